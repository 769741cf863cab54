// A full run's outcome as one run-history record: when, how long, how it ended, rows per sink,
// throughput and peak backpressure per edge, the bottleneck, and the metrics behind them.
// Plain TypeScript over the FullRun the engine ran; compare() lines two runs up edge by edge.
import { buildRunMetricsReport, type RunMetricsReport } from '../../runtime/metrics/report';
import type { Topology } from '../../runtime/metrics/rates';
import { runFigures } from '../../runtime/metrics/run-figures';
import type { RunEdgeSummary, RunRecord, RunSinkSummary } from '../../store/db';
import type { FullRun, FullRunOutcome } from '../engine/full-run';
import { displayName } from '../engine/failure';
import { resultRows } from '../engine/results';
import { reportBadge } from '../../nodes/formats/source-report-text';

export type RunSummary = Omit<RunRecord, 'id' | 'pipelineId'>;

/** The record for `outcome` of `run`, or null for an outcome that never ran ('invalid'). */
export function summariseRun(
	outcome: FullRunOutcome,
	run: FullRun | null,
	at: number
): RunSummary | null {
	if (outcome.status === 'invalid') return null;
	const engineRun = run?.run ?? null;
	const plan = run?.compiled.plan ?? null;
	const topology = safe(() => engineRun?.topology() ?? null, null);
	const sampler = run?.sampler ?? null;
	const snapshot = run?.counters?.last ?? null;

	const edges: RunEdgeSummary[] = (topology?.edgeNames ?? []).map((name, index) => {
		const history = sampler?.history('edge', index) ?? [];
		const rates = history.map((point) => point.value);
		const mean = rates.reduce((sum, r) => sum + r.rowsPerSec, 0) / Math.max(1, rates.length);
		const peak = rates.reduce((max, r) => Math.max(max, r.backpressure), 0);
		return { name, rowsPerSec: mean, peakBackpressure: peak };
	});

	const sinks: RunSinkSummary[] = [];
	if (plan && run) {
		for (const [node, stage] of plan.sinks) {
			const counters = snapshot?.stages[stage];
			const result = outcome.status === 'done' ? outcome.results.get(node) : undefined;
			sinks.push({
				node,
				name: displayName(run.doc, node),
				rowsIn: counters?.rowsIn ?? 0,
				rowsOut: resultRows(result) ?? counters?.rowsOut ?? 0
			});
		}
	}

	// The whole run's figures, as the panel, the report and the CLI show them.
	const counters = run?.counters ?? null;
	const figures =
		counters && topology
			? safe(() => runFigures(counters.first, counters.last, topology), null)
			: null;
	const bottleneck = figures?.bottleneck
		? `${figures.bottleneck.name}: ${figures.bottleneck.reason}`
		: null;
	const summary: RunSummary = {
		at,
		durationMs: outcome.elapsedMs,
		status: outcome.status,
		sourceRows: run?.progress.sourceRows ?? 0,
		sinks,
		edges,
		peakBackpressure: edges.reduce((max, e) => Math.max(max, e.peakBackpressure), 0),
		bottleneck,
		// The run's 'sluice-metrics' v1 report (per edge totals, peaks and series).
		metrics: safe(() => metricsReport(outcome, run, topology), undefined)
	};
	if (outcome.status === 'failed') summary.message = outcome.message;
	// What each source skipped, nulled, cut or dropped, in the words the card uses.
	const sources = [...(run?.reports ?? [])].flatMap(([node, report]) =>
		report
			? [{ node, name: run ? displayName(run.doc, node) : node, text: reportBadge(report) }]
			: []
	);
	if (sources.length > 0) summary.sources = sources;
	return summary;
}

function metricsReport(
	outcome: FullRunOutcome,
	run: FullRun | null,
	topology: Topology | null
): RunMetricsReport | undefined {
	const counters = run?.counters;
	const sampler = run?.sampler;
	if (!run || !counters || !sampler || !topology) return undefined;
	return buildRunMetricsReport({
		sampler,
		topology,
		first: counters.first,
		last: counters.last,
		startedAt: counters.startedAt,
		durationMs: counters.durationMs,
		status: outcome.status,
		pipeline: run.doc.name,
		stageNodes: run.compiled.plan?.origins.map((o) => o.nodes),
		sourceReports: run.reports
	});
}

function safe<T>(read: () => T, fallback: T): T {
	try {
		return read();
	} catch {
		return fallback;
	}
}

export interface EdgeComparison {
	name: string;
	before: number | null;
	after: number | null;
	/** after / before; null when either side is missing or before is 0. */
	ratio: number | null;
}

/** Throughput per edge of two runs side by side, matched by edge name, in `after`'s order. */
export function compareRuns(before: RunRecord, after: RunRecord): EdgeComparison[] {
	const old = new Map(before.edges.map((e) => [e.name, e.rowsPerSec]));
	const rows: EdgeComparison[] = after.edges.map((edge) => {
		const was = old.get(edge.name) ?? null;
		old.delete(edge.name);
		return {
			name: edge.name,
			before: was,
			after: edge.rowsPerSec,
			ratio: was === null || was === 0 ? null : edge.rowsPerSec / was
		};
	});
	for (const [name, was] of old) rows.push({ name, before: was, after: null, ratio: null });
	return rows;
}
