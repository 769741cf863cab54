// The shapes of the metrics block's counters as plain numbers (what `MetricsBlock.snapshot`
// returns and the sampler reads), and the clock the counters are measured with. No shared
// memory here; see block.ts for the layout and the writers.

import type { EdgeCounterNames, StageCounterNames } from '../contracts';

export interface MetricsLayout {
	edges: number;
	stages: number;
	workers: number;
}

/** Structured-cloneable: sent once to each worker at stage start. */
export interface MetricsDescriptor {
	sab: SharedArrayBuffer;
	layout: MetricsLayout;
}

export interface EdgeCounters extends EdgeCounterNames {
	/** Ring size last reported by the producer (gauge). */
	occupancy: number;
	/** Ring capacity last reported by the producer (gauge, 0 until reported). */
	capacity: number;
}

/** A stage's counters: its time split and rows (contracts.ts), and a source's bytes. */
export interface StageCounters extends StageCounterNames {
	/** Bytes a source stage has read of its input so far (0 for stages that read no bytes). */
	bytesRead: number;
	/**
	 * Bytes the source stage will read in all: the file's size or a URL's Content-Length (or,
	 * for one instance of a split source, its range's length). -1 when the source cannot know
	 * (a chunked or compressed response); 0 until the stage reports (and for stages that read no
	 * bytes). Summing instances' values is meaningful only when none is -1.
	 */
	bytesTotal: number;
}

export interface WorkerCounters {
	/** Gauge: the worker's JS heap in use when last reported. */
	heapUsedBytes: number;
	/** Bytes the worker allocated outside the pool, summed. */
	outsidePoolBytes: number;
	gcPauseNs: number;
	gcCount: number;
	/** Pool acquisitions served from a free list. */
	poolHits: number;
	/** Pool acquisitions that carved a fresh block or waited for the budget. */
	poolMisses: number;
	/** Batches the worker produced (the denominator of outside-pool bytes per batch). */
	batches: number;
	/** Which figures the worker's platform reports: REPORTED bits (1 heap, 2 GC); 0 = none yet. */
	reported: number;
}

/** Every counter as plain numbers: structured-cloneable and JSON-able. */
export interface MetricsSnapshot {
	/** `nowNs()` of the reading thread when the snapshot was taken. */
	t: number;
	edges: EdgeCounters[];
	stages: StageCounters[];
	workers: WorkerCounters[];
}

/** Monotonic ns as a float (`performance.now() * 1e6`). Each thread has its own time origin:
 * compare durations across threads, never timestamps. Browsers coarsen it to 5–100 µs. */
export function nowNs(): number {
	return performance.now() * 1e6;
}

export const emptyEdge = (): EdgeCounters => ({
	batches: 0,
	rows: 0,
	bytes: 0,
	producerBlockedNs: 0,
	consumerWaitNs: 0,
	occupancy: 0,
	capacity: 0
});

export const emptyStage = (): StageCounters => ({
	busyNs: 0,
	idleNs: 0,
	backpressuredNs: 0,
	batchesIn: 0,
	batchesOut: 0,
	rowsIn: 0,
	rowsOut: 0,
	bytesRead: 0,
	bytesTotal: 0
});

export const emptyWorker = (): WorkerCounters => ({
	heapUsedBytes: 0,
	outsidePoolBytes: 0,
	gcPauseNs: 0,
	gcCount: 0,
	poolHits: 0,
	poolMisses: 0,
	batches: 0,
	reported: 0
});
