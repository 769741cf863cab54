// The `--metrics` file: the run's final counters, the plan's shape they are indexed by, and the
// rates over the whole run (first snapshot to last), as JSON.
import { writeFile } from 'node:fs/promises';
import type { CompiledPlan } from '../lib/compiler/physical';
import type { MetricsSnapshot } from '../lib/runtime/metrics/counters';
import { computeRates, type Rates, type Topology } from '../lib/runtime/metrics/rates';
import { jsonReplacer } from './results';

export interface MetricsReport {
	/** 'done', 'failed' or 'cancelled'. */
	status: string;
	elapsedMs: number;
	workers: number;
	budgetBytes: number;
	batchRows: number;
	topology: Topology & {
		/** Logical node ids each stage runs (a fused chain lists several). */
		stageNodes: string[][];
	};
	/** The counters when the run ended (`Run.metrics.snapshot()`). */
	snapshot: MetricsSnapshot;
	/** Rates from the snapshot taken at start to `snapshot`: whole-run averages. */
	rates: Rates;
}

export function topologyOf(plan: CompiledPlan): Topology {
	return {
		edges: plan.rings.map((r) => ({ from: r.from.stage, to: r.to.stage, capacity: r.capacity })),
		stageNames: plan.stages.map((s) => s.name),
		edgeNames: plan.rings.map((r) => r.name)
	};
}

export function metricsReport(
	plan: CompiledPlan,
	workers: number,
	status: string,
	elapsedMs: number,
	first: MetricsSnapshot,
	last: MetricsSnapshot
): MetricsReport {
	const topology = topologyOf(plan);
	return {
		status,
		elapsedMs,
		workers,
		budgetBytes: plan.budgetBytes,
		batchRows: plan.batchRows,
		topology: { ...topology, stageNodes: plan.origins.map((o) => o.nodes) },
		snapshot: last,
		rates: computeRates(first, last, topology)
	};
}

export async function writeMetricsReport(path: string, report: MetricsReport): Promise<void> {
	await writeFile(path, JSON.stringify(report, jsonReplacer, '\t') + '\n', 'utf8');
}
