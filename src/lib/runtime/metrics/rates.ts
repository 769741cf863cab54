// Turns two counter snapshots into the figures of the live panel (DESIGN.md, Metrics): rates
// per second over the window between them, ratios of the window, and the bottleneck.
// Pure: no shared memory, no clock. Every figure is a finite number: a window of Δt <= 0, a
// counter that went backwards (a reset) or a non-finite counter contributes 0, never NaN.

import type { MetricsSnapshot } from './counters';
import { findBottleneck, type Bottleneck } from './bottleneck';
import { REPORTED } from './worker-probe';

/** Flink's levels of the share of time a producer is blocked: OK <= 0.1, LOW <= 0.5, HIGH above. */
export type BackpressureLevel = 'OK' | 'LOW' | 'HIGH';
export const BACKPRESSURE_OK_MAX = 0.1;
export const BACKPRESSURE_LOW_MAX = 0.5;

export interface EdgeRates {
	rowsPerSec: number;
	bytesPerSec: number;
	batchesPerSec: number;
	/** Ring occupancy / capacity now, 0..1 (0 when the capacity is unknown). */
	fill: number;
	/** Share of the window the producer spent blocked on this ring, 0..1. */
	backpressure: number;
	level: BackpressureLevel;
	/** Share of the window the consumer spent waiting on this ring for input, 0..1. */
	consumerWaitRatio: number;
}

/**
 * A stage's time split. The three ms-per-second figures sum to about 1000 when the host
 * accounts all of the stage's time; a worker hosting several stages splits (or, while parked,
 * may attribute to each of them) its time, so each stage sums to at most about 1000.
 */
export interface StageRates {
	busyMsPerSec: number;
	idleMsPerSec: number;
	backpressuredMsPerSec: number;
	/** busy / (busy + idle + backpressured) over the window, 0..1; 0 when nothing was
	 * accounted. A share of the stage's accounted time, so it is not diluted on a shared worker. */
	busyRatio: number;
	rowsInPerSec: number;
	rowsOutPerSec: number;
	batchesInPerSec: number;
	batchesOutPerSec: number;
	/** A source's bytes read so far (a running total, not a rate; 0 for other stages). */
	bytesRead: number;
	/** Bytes the source will read in all; -1 when it cannot know, 0 when it reports none. */
	bytesTotal: number;
	/** bytesRead / bytesTotal, 0..1; null when the total is unknown or not reported. */
	progress: number | null;
}

/** Bytes read against bytes to read, of one source stage or summed over several. */
export interface ByteProgress {
	bytesRead: number;
	/** -1 when any part cannot know its size; 0 when no part reports bytes. */
	bytesTotal: number;
	/** 0..1; null when the total is unknown or nothing reports bytes. */
	progress: number | null;
}

export interface WorkerRates {
	/** Heap in use as last reported (0 when not reported: see heapReported). */
	heapUsedBytes: number;
	/** False where the worker's platform does not report its heap (browser workers). */
	heapReported: boolean;
	/** False where the platform does not report GC pauses (browsers): show "not reported". */
	gcReported: boolean;
	outsidePoolBytesPerSec: number;
	/** Bytes allocated outside the pool per batch the worker produced (0 with no batches). */
	outsidePoolBytesPerBatch: number;
	/** Share of pool acquisitions served from a free list; null when there were none. */
	poolHitRate: number | null;
	gcPauseMsPerSec: number;
	gcPerSec: number;
}

export interface Rates {
	/** `t` of the later snapshot (ns, the sampling thread's clock). */
	t: number;
	/** Length of the window (0 when the clock did not advance). */
	windowMs: number;
	edges: EdgeRates[];
	stages: StageRates[];
	workers: WorkerRates[];
	bottleneck: Bottleneck | null;
	/** Every source stage's bytes (all instances of all sources) as one figure. */
	bytes: ByteProgress;
}

/** The plan's shape as the panel needs it; indices match the metrics block's. */
export interface Topology {
	edges: { from: number; to: number; capacity: number }[];
	stageNames: string[];
	edgeNames: string[];
	/**
	 * Per stage, how many parallel instances its group runs as (instances of one group are
	 * consecutive stages of one name); absent: every stage runs alone.
	 */
	stageInstances?: number[];
}

export function backpressureLevel(ratio: number): BackpressureLevel {
	if (!(ratio > BACKPRESSURE_OK_MAX)) return 'OK';
	return ratio <= BACKPRESSURE_LOW_MAX ? 'LOW' : 'HIGH';
}

/**
 * Rates over the window from `prev` to `cur`. `occupancy` holds current ring sizes read by
 * the caller (e.g. from the rings themselves); without it, fill comes from the occupancy the
 * producers last reported. Capacity comes from the topology, else from the counters.
 */
export function computeRates(
	prev: MetricsSnapshot,
	cur: MetricsSnapshot,
	topology: Topology,
	occupancy?: number[]
): Rates {
	const dtNs = grew(prev.t, cur.t);
	const perSec = dtNs > 0 ? 1e9 / dtNs : 0;
	const share = (ns: number): number => (dtNs > 0 ? clamp01(ns / dtNs) : 0);

	const edges = cur.edges.map((c, i): EdgeRates => {
		const p = prev.edges[i] ?? c;
		const backpressure = share(grew(p.producerBlockedNs, c.producerBlockedNs));
		const size = occupancy?.[i] ?? c.occupancy;
		const capacity = topology.edges[i]?.capacity ?? c.capacity;
		return {
			rowsPerSec: grew(p.rows, c.rows) * perSec,
			bytesPerSec: grew(p.bytes, c.bytes) * perSec,
			batchesPerSec: grew(p.batches, c.batches) * perSec,
			fill: capacity > 0 && size > 0 ? clamp01(size / capacity) : 0,
			backpressure,
			level: backpressureLevel(backpressure),
			consumerWaitRatio: share(grew(p.consumerWaitNs, c.consumerWaitNs))
		};
	});

	const stages = cur.stages.map((c, i): StageRates => {
		const p = prev.stages[i] ?? c;
		const busy = grew(p.busyNs, c.busyNs);
		const idle = grew(p.idleNs, c.idleNs);
		const backpressured = grew(p.backpressuredNs, c.backpressuredNs);
		const accounted = busy + idle + backpressured;
		const msPerSec = perSec / 1e6;
		return {
			busyMsPerSec: busy * msPerSec,
			idleMsPerSec: idle * msPerSec,
			backpressuredMsPerSec: backpressured * msPerSec,
			busyRatio: accounted > 0 ? clamp01(busy / accounted) : 0,
			rowsInPerSec: grew(p.rowsIn, c.rowsIn) * perSec,
			rowsOutPerSec: grew(p.rowsOut, c.rowsOut) * perSec,
			batchesInPerSec: grew(p.batchesIn, c.batchesIn) * perSec,
			batchesOutPerSec: grew(p.batchesOut, c.batchesOut) * perSec,
			...combineProgress([c])
		};
	});

	const workers = cur.workers.map((c, i): WorkerRates => {
		const p = prev.workers[i] ?? c;
		const outside = grew(p.outsidePoolBytes, c.outsidePoolBytes);
		const batches = grew(p.batches, c.batches);
		const hits = grew(p.poolHits, c.poolHits);
		const acquisitions = hits + grew(p.poolMisses, c.poolMisses);
		return {
			heapUsedBytes: Number.isFinite(c.heapUsedBytes) ? c.heapUsedBytes : 0,
			heapReported: ((c.reported | 0) & REPORTED.HEAP) !== 0,
			gcReported: ((c.reported | 0) & REPORTED.GC) !== 0,
			outsidePoolBytesPerSec: outside * perSec,
			outsidePoolBytesPerBatch: batches > 0 ? outside / batches : 0,
			poolHitRate: acquisitions > 0 ? hits / acquisitions : null,
			gcPauseMsPerSec: (grew(p.gcPauseNs, c.gcPauseNs) * perSec) / 1e6,
			gcPerSec: grew(p.gcCount, c.gcCount) * perSec
		};
	});

	return {
		t: Number.isFinite(cur.t) ? cur.t : 0,
		windowMs: dtNs / 1e6,
		edges,
		stages,
		workers,
		bottleneck: findBottleneck(stages, edges, topology),
		bytes: combineProgress(stages)
	};
}

/**
 * Bytes of several source stages (the instances of one split source, or every source of a
 * run) as one: bytes read summed; totals summed when every stage that reports knows its own
 * (-1 when one cannot know). Stages reporting nothing (no bytes read, total 0) are left out,
 * so a source's idle instances and the non-source stages change nothing. Each instance of a
 * split source reports its own byte range, so the ranges' sum is the file's size.
 */
export function combineProgress(
	list: readonly ({ bytesRead: number; bytesTotal: number } | undefined)[]
): ByteProgress {
	let read = 0;
	let total = 0;
	let unknown = false;
	for (const s of list) {
		if (!s) continue;
		const r = Number.isFinite(s.bytesRead) && s.bytesRead > 0 ? s.bytesRead : 0;
		read += r;
		if (s.bytesTotal === -1) unknown = true;
		else if (Number.isFinite(s.bytesTotal) && s.bytesTotal > 0) total += s.bytesTotal;
	}
	if (unknown) return { bytesRead: read, bytesTotal: -1, progress: null };
	return { bytesRead: read, bytesTotal: total, progress: total > 0 ? clamp01(read / total) : null };
}

/** How much a counter grew from `before` to `after`: 0 if it shrank or either is not finite. */
function grew(before: number, after: number): number {
	const d = after - before;
	return d > 0 && d < Infinity ? d : 0;
}

function clamp01(x: number): number {
	return x > 0 ? (x < 1 ? x : 1) : 0;
}
