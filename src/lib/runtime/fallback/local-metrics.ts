// The fallback's metrics: the same counters as MetricsBlock, kept per worker in plain numbers
// and posted to the page as snapshots (about four a second and at the end), because without
// SharedArrayBuffer the page cannot read a worker's memory.
//
// Threads: each worker writes its own LocalMetrics (only the counters it owns, exactly as with
// MetricsBlock: an edge's producer writes its batch/row/byte/blocked/occupancy counters, its
// consumer the wait time, a stage's host the stage's counters, a worker its own). The page
// keeps the latest snapshot of each worker in MergedMetrics and sums them: a counter a worker
// does not own stays 0 in its snapshot, so the sum is the owner's value.
//
// Staleness: a merged snapshot is as old as the oldest worker's last post (≤ ~250 ms while
// the run streams). Writers ignore NaN, negative and absurd values and never allocate.
import {
	emptyEdge,
	emptyStage,
	emptyWorker,
	nowNs,
	type MetricsLayout,
	type MetricsSnapshot
} from '../metrics/counters';

const MAX_VALUE = Number.MAX_SAFE_INTEGER;

/** A snapshot of `layout` with every counter 0. */
export function emptySnapshot(layout: MetricsLayout): MetricsSnapshot {
	return {
		t: 0,
		edges: Array.from({ length: layout.edges }, emptyEdge),
		stages: Array.from({ length: layout.stages }, emptyStage),
		workers: Array.from({ length: layout.workers }, emptyWorker)
	};
}

const grow = (v: number) => v > 0 && v <= MAX_VALUE;

/** A worker's counters, with the writer methods of MetricsBlock. */
export class LocalMetrics {
	readonly counters: MetricsSnapshot;

	constructor(layout: MetricsLayout) {
		this.counters = emptySnapshot(layout);
	}

	edgeBatch(edge: number, rows: number, bytes: number): void {
		const e = this.counters.edges[edge];
		if (!e) return;
		e.batches += 1;
		if (grow(rows)) e.rows += rows;
		if (grow(bytes)) e.bytes += bytes;
	}

	edgeProducerBlocked(edge: number, ns: number): void {
		const e = this.counters.edges[edge];
		if (e && grow(ns)) e.producerBlockedNs += ns;
	}

	edgeConsumerWaiting(edge: number, ns: number): void {
		const e = this.counters.edges[edge];
		if (e && grow(ns)) e.consumerWaitNs += ns;
	}

	edgeOccupancy(edge: number, size: number, capacity: number): void {
		const e = this.counters.edges[edge];
		if (!e || !(size >= 0 && size <= capacity && capacity <= MAX_VALUE)) return;
		e.occupancy = size;
		e.capacity = capacity;
	}

	stageTime(stage: number, busyNs: number, idleNs: number, backpressuredNs: number): void {
		const s = this.counters.stages[stage];
		if (!s) return;
		if (grow(busyNs)) s.busyNs += busyNs;
		if (grow(idleNs)) s.idleNs += idleNs;
		if (grow(backpressuredNs)) s.backpressuredNs += backpressuredNs;
	}

	stageRows(stage: number, batchesIn: number, rowsIn: number, batchesOut: number, rowsOut: number) {
		const s = this.counters.stages[stage];
		if (!s) return;
		s.batchesIn = raise(s.batchesIn, batchesIn);
		s.rowsIn = raise(s.rowsIn, rowsIn);
		s.batchesOut = raise(s.batchesOut, batchesOut);
		s.rowsOut = raise(s.rowsOut, rowsOut);
	}

	stageBytes(stage: number, bytesRead: number, bytesTotal: number): void {
		const s = this.counters.stages[stage];
		if (!s) return;
		if (bytesTotal === -1 || (bytesTotal >= 0 && bytesTotal <= MAX_VALUE))
			s.bytesTotal = bytesTotal;
		s.bytesRead = raise(s.bytesRead, bytesRead);
	}

	workerHeap(
		worker: number,
		heapUsed: number,
		outsidePool: number,
		gcPauseNs: number,
		gcs: number,
		reported?: number
	) {
		const w = this.counters.workers[worker];
		if (!w) return;
		if (reported !== undefined && reported >= 0 && reported < 256) w.reported = reported;
		if (heapUsed >= 0 && heapUsed <= MAX_VALUE) w.heapUsedBytes = heapUsed;
		w.outsidePoolBytes = raise(w.outsidePoolBytes, outsidePool);
		w.gcPauseNs = raise(w.gcPauseNs, gcPauseNs);
		w.gcCount = raise(w.gcCount, gcs);
	}

	workerAllocations(worker: number, batches: number, poolHits: number, poolMisses: number) {
		const w = this.counters.workers[worker];
		if (!w) return;
		w.batches = raise(w.batches, batches);
		w.poolHits = raise(w.poolHits, poolHits);
		w.poolMisses = raise(w.poolMisses, poolMisses);
	}
}

function raise(stored: number, total: number): number {
	return total > stored && total <= MAX_VALUE ? total : stored;
}

/** The page's view: the latest snapshot of each worker, summed. Sampler accepts it. */
export class MergedMetrics {
	private readonly latest = new Map<number, MetricsSnapshot>();

	constructor(readonly layout: MetricsLayout) {}

	/** Keeps `snapshot` as worker `worker`'s latest (ignored unless it fits the layout). */
	update(worker: number, snapshot: MetricsSnapshot): void {
		const { edges, stages, workers } = this.layout;
		if (
			snapshot?.edges?.length === edges &&
			snapshot.stages?.length === stages &&
			snapshot.workers?.length === workers
		)
			this.latest.set(worker, snapshot);
	}

	/** Every counter summed over the workers' latest snapshots, `t = nowNs()` of this thread. */
	snapshot(into?: MetricsSnapshot): MetricsSnapshot {
		const s = emptySnapshot(this.layout);
		for (const part of this.latest.values()) {
			sumInto(s.edges, part.edges);
			sumInto(s.stages, part.stages);
			sumInto(s.workers, part.workers);
		}
		s.t = nowNs();
		if (!into) return s;
		Object.assign(into, s);
		return into;
	}
}

function sumInto<T extends object>(into: T[], from: T[]): void {
	for (let i = 0; i < into.length; i++) {
		const a = into[i] as Record<string, number>;
		const b = from[i] as Record<string, number>;
		for (const key in a) a[key] += b[key] ?? 0;
	}
}
