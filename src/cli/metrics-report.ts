// The `--metrics FILE` of `sluice run`: the run metrics report (format 'sluice-metrics',
// version 1; see src/lib/runtime/metrics/report.ts), the same JSON the editor's metrics panel
// downloads. Totals from the counters at start and end, series from a sampler the command ran
// every REPORT_SAMPLE_MS (the panel's rate), the bottleneck over the whole run.
import { writeFile } from 'node:fs/promises';
import type { CompiledPlan } from '../lib/compiler/physical';
import type { MetricsSnapshot } from '../lib/runtime/metrics/counters';
import type { Topology } from '../lib/runtime/metrics/rates';
import { buildRunMetricsReport, type RunMetricsReport } from '../lib/runtime/metrics/report';
import type { Sampler } from '../lib/runtime/metrics/sampler';

/** How often the command samples the counters for the report's series (as the panel does). */
export const REPORT_SAMPLE_MS = 250;

export function topologyOf(plan: CompiledPlan): Topology {
	return {
		edges: plan.rings.map((r) => ({ from: r.from.stage, to: r.to.stage, capacity: r.capacity })),
		stageNames: plan.stages.map((s) => s.name),
		edgeNames: plan.rings.map((r) => r.name)
	};
}

export interface CliReportInput {
	plan: CompiledPlan;
	sampler: Pick<Sampler, 'history'>;
	first: MetricsSnapshot;
	last: MetricsSnapshot;
	startedAt: Date;
	durationMs: number;
	/** 'done', 'failed' or 'cancelled'. */
	status: string;
	/** The pipeline document's name. */
	pipeline?: string;
}

export function metricsReport(input: CliReportInput): RunMetricsReport {
	const { plan } = input;
	return buildRunMetricsReport({
		...input,
		topology: topologyOf(plan),
		stageNodes: plan.origins.map((o) => o.nodes),
		stageInstances: plan.stages.map((s) => s.instances ?? 1)
	});
}

export async function writeMetricsReport(path: string, report: RunMetricsReport): Promise<void> {
	await writeFile(path, JSON.stringify(report, null, '\t') + '\n', 'utf8');
}
