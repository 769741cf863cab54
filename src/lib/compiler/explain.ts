// `explain(plan)`: the physical plan as text — stages, where they run, what they fuse, how
// they connect and how deep each ring is.
import type { CompiledPlan } from './physical';
import { conditionText } from '../nodes/row-conditions';

export function explain(plan: CompiledPlan): string {
	const lines: string[] = [];
	const workers = new Set(plan.stages.map((s) => s.worker)).size;
	const mib = (plan.budgetBytes / (1 << 20)).toFixed(0);
	lines.push(
		`Plan: ${plan.stages.length} stages on ${workers} worker${workers === 1 ? '' : 's'}, ${plan.rings.length} rings, budget ${mib} MiB, ${plan.batchRows} rows per batch`
	);
	plan.stages.forEach((s, i) => {
		const instance =
			(s.instances ?? 1) > 1 ? ` [instance ${(s.instance ?? 0) + 1}/${s.instances}]` : '';
		const origin = plan.origins[i];
		const fused = origin.nodes.length > 1 ? ` (fused: ${origin.nodes.length} nodes)` : '';
		lines.push(
			`  stage ${i}: ${s.name}${instance} — kernel ${s.kernel}, worker ${s.worker}${fused}`
		);
		if (origin.conditions)
			lines.push(
				`    skips row groups whose statistics rule out: ${origin.conditions.map(conditionText).join(' and ')}`
			);
		const schema = s.outputSchemas[0];
		if (schema) {
			lines.push(`    out: ${schema.names.map((n, c) => `${n}: ${schema.types[c]}`).join(', ')}`);
		}
	});
	for (const [i, r] of plan.rings.entries()) {
		const mode = r.group !== undefined ? `, round-robin group ${r.group}` : '';
		lines.push(
			`  ring ${i}: stage ${r.from.stage} → stage ${r.to.stage} (${r.name}), capacity ${r.capacity}${mode}`
		);
	}
	return lines.join('\n');
}
