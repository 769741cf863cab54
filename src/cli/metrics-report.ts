// The `--metrics FILE` of `sluice run`: the run metrics report (format 'sluice-metrics',
// version 1; see src/lib/runtime/metrics/report.ts), the same JSON the editor's metrics panel
// downloads. Totals from the counters at start and end, series from a sampler the command ran
// every REPORT_SAMPLE_MS (the panel's rate), the bottleneck over the whole run.
import { writeFile } from 'node:fs/promises';
import type { CompiledPlan } from '../lib/compiler/physical';
import {
	buildRunMetricsReport,
	type RunMetricsReport,
	type RunMetricsReportInput
} from '../lib/runtime/metrics/report';
import { planTopology } from '../lib/runtime/scheduler/run';

/** How often the command samples the counters for the report's series (as the panel does). */
export const REPORT_SAMPLE_MS = 250;

/** The report's figures, with the plan standing for its topology, stage nodes and instances. */
export type CliReportInput = Omit<
	RunMetricsReportInput,
	'topology' | 'stageNodes' | 'stageInstances'
> & { plan: CompiledPlan };

export function metricsReport(input: CliReportInput): RunMetricsReport {
	const { plan } = input;
	return buildRunMetricsReport({
		...input,
		topology: planTopology(plan),
		stageNodes: plan.origins.map((o) => o.nodes),
		stageInstances: plan.stages.map((s) => s.instances ?? 1)
	});
}

export async function writeMetricsReport(path: string, report: RunMetricsReport): Promise<void> {
	await writeFile(path, JSON.stringify(report, null, '\t') + '\n', 'utf8');
}
