// A run's metrics report: the JSON snapshot the panel downloads at the end of a run and the
// headless runner's `--metrics FILE` writes (one format for both). Totals come from the
// counters at the start and at the end; time series from the sampler's history (the last
// HISTORY_MS of it, one point per sample, `t` in ms since the first snapshot); the bottleneck
// from the whole run's rates, with the same sentence the live panel shows. Pure: no clock, no
// shared memory. `validateRunMetricsReport` checks a stored or loaded report.
import * as v from 'valibot';
import { explainBottleneck } from './bottleneck';
import type { MetricsSnapshot } from './counters';
import type { Topology } from './rates';
import { runFigures, stageGroups } from './run-figures';
import type { Sampler } from './sampler';
import { REPORTED } from './worker-probe';
import type { SourceReport } from '../source-report';

export const REPORT_FORMAT = 'sluice-metrics';
export const REPORT_VERSION = 1;

const num = v.number();
const nums = v.array(num);

const EdgeSchema = v.object({
	index: num,
	name: v.string(),
	from: num,
	to: num,
	totals: v.object({
		rows: num,
		bytes: num,
		batches: num,
		producerBlockedMs: num,
		consumerWaitMs: num
	}),
	peak: v.object({ backpressure: num, fill: num }),
	series: v.object({ t: nums, rowsPerSec: nums, bytesPerSec: nums, fill: nums, backpressure: nums })
});

const StageSchema = v.object({
	index: num,
	name: v.string(),
	nodes: v.array(v.string()),
	instances: v.optional(num),
	totals: v.object({
		busyMs: num,
		idleMs: num,
		backpressuredMs: num,
		rowsIn: num,
		rowsOut: num
	}),
	series: v.object({
		t: nums,
		busyRatio: nums,
		busyMsPerSec: nums,
		idleMsPerSec: nums,
		backpressuredMsPerSec: nums
	})
});

const Spread = v.object({ mean: num, max: num });

/** The whole run's stage table (run-figures.ts stageGroups): what the panel shows after it. */
const StageLineSchema = v.object({
	name: v.string(),
	/** The instances' stage indices. */
	stages: nums,
	instances: num,
	busyMsPerSec: Spread,
	idleMsPerSec: Spread,
	backpressuredMsPerSec: Spread,
	rowsInPerSec: num
});

const WorkerSchema = v.object({
	index: num,
	heapReported: v.boolean(),
	gcReported: v.boolean(),
	totals: v.object({
		outsidePoolBytes: num,
		batches: num,
		poolHits: num,
		poolMisses: num,
		gcPauseMs: num,
		gcCount: num
	}),
	series: v.object({
		t: v.array(num),
		heapUsedBytes: v.array(num),
		outsidePoolBytesPerBatch: v.array(num),
		/** null where the worker asked the pool for nothing in that window. */
		poolHitRate: v.array(v.nullable(num)),
		gcPauseMsPerSec: v.array(num)
	})
});

/** One source node's report (runtime/source-report.ts): rows skipped, nulled, cut; columns dropped. */
const SourceReportSchema = v.object({
	node: v.string(),
	issues: v.array(
		v.object({
			reason: v.string(),
			action: v.string(),
			count: num,
			samples: v.array(
				v.object({
					line: v.optional(num),
					offset: v.optional(num),
					column: v.optional(v.string()),
					message: v.string()
				})
			)
		})
	)
});

export const RunMetricsReportSchema = v.object({
	format: v.literal(REPORT_FORMAT),
	version: v.literal(REPORT_VERSION),
	pipeline: v.optional(v.string()),
	startedAt: v.pipe(v.string(), v.isoTimestamp('startedAt must be an ISO date and time')),
	durationMs: num,
	status: v.string(),
	edges: v.array(EdgeSchema),
	stages: v.array(StageSchema),
	/** Absent in reports written before it. */
	stageTable: v.optional(v.array(StageLineSchema)),
	workers: v.array(WorkerSchema),
	bottleneck: v.nullable(v.object({ stage: num, name: v.string(), reason: v.string() })),
	/** Sources that skipped, nulled or cut rows or dropped columns (absent: none did). */
	sources: v.optional(v.array(SourceReportSchema))
});

export type RunMetricsReport = v.InferOutput<typeof RunMetricsReportSchema>;

export interface RunMetricsReportInput {
	sampler: Pick<Sampler, 'history'>;
	topology: Topology;
	/** Counters when the run started (usually all 0) and when it ended. */
	first: MetricsSnapshot;
	last: MetricsSnapshot;
	startedAt: Date;
	durationMs: number;
	status: string;
	pipeline?: string;
	/** Per stage, the pipeline node ids it runs (a fused chain lists several). */
	stageNodes?: string[][];
	/** Per stage, how many parallel instances the node group runs as. */
	stageInstances?: number[];
	/** Each source node's report (null: nothing to say), from the run's outcome. */
	sourceReports?: ReadonlyMap<string, SourceReport | null>;
}

export function buildRunMetricsReport(input: RunMetricsReportInput): RunMetricsReport {
	const { sampler, topology, first, last } = input;
	const t0 = first.t;
	const ms = (t: number) => round((t - t0) / 1e6, 1);
	const whole = runFigures(first, last, topology).rates;
	const spread = (x: { mean: number; max: number }) => ({
		mean: round(x.mean, 2),
		max: round(x.max, 2)
	});
	const stageTable = stageGroups(whole, {
		...topology,
		stageInstances: topology.stageInstances ?? input.stageInstances
	}).map((g) => ({
		name: g.name,
		stages: g.stages,
		instances: g.instances,
		busyMsPerSec: spread(g.busyMsPerSec),
		idleMsPerSec: spread(g.idleMsPerSec),
		backpressuredMsPerSec: spread(g.backpressuredMsPerSec),
		rowsInPerSec: round(g.rowsInPerSec, 1)
	}));
	const delta = (a: number | undefined, b: number | undefined) => Math.max(0, (b ?? 0) - (a ?? 0));

	const edges = last.edges.map((c, i) => {
		const p = first.edges[i];
		const h = sampler.history('edge', i);
		const fill = h.map((x) => round(x.value.fill, 4));
		const backpressure = h.map((x) => round(x.value.backpressure, 4));
		return {
			index: i,
			name: topology.edgeNames[i] ?? `edge ${i}`,
			from: topology.edges[i]?.from ?? -1,
			to: topology.edges[i]?.to ?? -1,
			totals: {
				rows: delta(p?.rows, c.rows),
				bytes: delta(p?.bytes, c.bytes),
				batches: delta(p?.batches, c.batches),
				producerBlockedMs: round(delta(p?.producerBlockedNs, c.producerBlockedNs) / 1e6, 3),
				consumerWaitMs: round(delta(p?.consumerWaitNs, c.consumerWaitNs) / 1e6, 3)
			},
			peak: { backpressure: Math.max(0, ...backpressure), fill: Math.max(0, ...fill) },
			series: {
				t: h.map((x) => ms(x.t)),
				rowsPerSec: h.map((x) => round(x.value.rowsPerSec, 1)),
				bytesPerSec: h.map((x) => round(x.value.bytesPerSec, 1)),
				fill,
				backpressure
			}
		};
	});

	const stages = last.stages.map((c, i) => {
		const p = first.stages[i];
		const h = sampler.history('stage', i);
		const instances = input.stageInstances?.[i];
		return {
			index: i,
			name: topology.stageNames[i] ?? `stage ${i}`,
			nodes: input.stageNodes?.[i] ?? [],
			...(instances !== undefined ? { instances } : {}),
			totals: {
				busyMs: round(delta(p?.busyNs, c.busyNs) / 1e6, 3),
				idleMs: round(delta(p?.idleNs, c.idleNs) / 1e6, 3),
				backpressuredMs: round(delta(p?.backpressuredNs, c.backpressuredNs) / 1e6, 3),
				rowsIn: delta(p?.rowsIn, c.rowsIn),
				rowsOut: delta(p?.rowsOut, c.rowsOut)
			},
			series: {
				t: h.map((x) => ms(x.t)),
				busyRatio: h.map((x) => round(x.value.busyRatio, 4)),
				busyMsPerSec: h.map((x) => round(x.value.busyMsPerSec, 2)),
				idleMsPerSec: h.map((x) => round(x.value.idleMsPerSec, 2)),
				backpressuredMsPerSec: h.map((x) => round(x.value.backpressuredMsPerSec, 2))
			}
		};
	});

	const workers = last.workers.map((c, i) => {
		const p = first.workers[i];
		const h = sampler.history('worker', i);
		const reported = c.reported | 0;
		return {
			index: i,
			heapReported: (reported & REPORTED.HEAP) !== 0,
			gcReported: (reported & REPORTED.GC) !== 0,
			totals: {
				outsidePoolBytes: delta(p?.outsidePoolBytes, c.outsidePoolBytes),
				batches: delta(p?.batches, c.batches),
				poolHits: delta(p?.poolHits, c.poolHits),
				poolMisses: delta(p?.poolMisses, c.poolMisses),
				gcPauseMs: round(delta(p?.gcPauseNs, c.gcPauseNs) / 1e6, 3),
				gcCount: delta(p?.gcCount, c.gcCount)
			},
			series: {
				t: h.map((x) => ms(x.t)),
				heapUsedBytes: h.map((x) => x.value.heapUsedBytes),
				outsidePoolBytesPerBatch: h.map((x) => round(x.value.outsidePoolBytesPerBatch, 1)),
				poolHitRate: h.map((x) =>
					x.value.poolHitRate === null ? null : round(x.value.poolHitRate, 4)
				),
				gcPauseMsPerSec: h.map((x) => round(x.value.gcPauseMsPerSec, 3))
			}
		};
	});

	const b = whole.bottleneck;
	const sources = [...(input.sourceReports ?? [])].flatMap(([node, report]) =>
		report ? [{ node, issues: report.issues }] : []
	);
	return {
		...(sources.length > 0 ? { sources } : {}),
		format: REPORT_FORMAT,
		version: REPORT_VERSION,
		...(input.pipeline !== undefined ? { pipeline: input.pipeline } : {}),
		startedAt: input.startedAt.toISOString(),
		durationMs: round(input.durationMs, 1),
		status: input.status,
		edges,
		stages,
		stageTable,
		workers,
		bottleneck: b
			? {
					stage: b.stage,
					name: topology.stageNames[b.stage] ?? `stage ${b.stage}`,
					reason: explainBottleneck(b, whole, topology)
				}
			: null
	};
}

/** A report read from a file or storage, checked; the problems name the field's path. */
export function validateRunMetricsReport(
	json: unknown
): { ok: true; report: RunMetricsReport } | { ok: false; problems: string[] } {
	const result = v.safeParse(RunMetricsReportSchema, json);
	if (result.success) return { ok: true, report: result.output };
	return {
		ok: false,
		problems: result.issues.map((i) => `${v.getDotPath(i) ?? '(report)'}: ${i.message}`)
	};
}

function round(x: number, digits: number): number {
	if (!Number.isFinite(x)) return 0;
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}
