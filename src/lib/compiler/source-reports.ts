// The run's source reports (runtime/source-report.ts) by document node: a source node runs as
// one stage or as several instances (a CSV split by byte ranges), whose reports merge here.
// Every source node of the plan gets an entry, null when it had nothing to say, so a clean run
// clears what an earlier one reported.
import type { SourceReport } from '../runtime/source-report';
import { mergeReports } from '../runtime/source-report';
import type { CompiledPlan } from './physical';

/** Source report per node id; `nodeOf` maps plan node ids back to the document's (previews). */
export function sourceReportsOf(
	plan: Pick<CompiledPlan, 'origins' | 'stages'>,
	stageReports: ReadonlyMap<number, SourceReport>,
	nodeOf: (id: string) => string = (id) => id
): Map<string, SourceReport | null> {
	const byNode = new Map<string, SourceReport[]>();
	plan.stages.forEach((stage, i) => {
		const node = plan.origins[i]?.nodes[0];
		if (stage.inputSchemas.length > 0 || node === undefined) return;
		const id = nodeOf(node);
		const list = byNode.get(id) ?? [];
		const report = stageReports.get(i);
		if (report) list.push(report);
		byNode.set(id, list);
	});
	const out = new Map<string, SourceReport | null>();
	for (const [id, list] of byNode) {
		const merged = mergeReports(list);
		out.set(id, merged.issues.length > 0 ? merged : null);
	}
	return out;
}
