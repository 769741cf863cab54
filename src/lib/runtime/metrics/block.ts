// Metrics counters in one SharedArrayBuffer: written by the threads that own them, sampled by
// the page a few times a second. No message per batch.
//
// Thread roles
// - Each counter has exactly one writer: an edge's producer thread writes the edge's batch,
//   row, byte, blocked-time and occupancy counters; its consumer thread writes consumer wait
//   time; the worker hosting a stage (one stage index per partition) writes that stage's
//   counters; each worker writes its own worker counters.
// - Any thread may read (`snapshot`); the page's main thread usually does, and never blocks.
// - Any thread may flip ENABLED (`setEnabled`); writers check it on every call.
//
// Byte layout (all offsets in bytes; every record starts on a 64-byte line)
//   0        header, Int32 cells: MAGIC, VERSION, ENABLED, EDGES, STAGES, WORKERS (64 bytes)
//   64       edges × 128: producer line (BATCHES, ROWS, BYTES, PRODUCER_BLOCKED_NS, OCCUPANCY,
//            CAPACITY) then consumer line (CONSUMER_WAIT_NS), float64 each; producer and
//            consumer run on different cores, so their counters never share a cache line
//   ...      stages × 128: time-and-rows line (BUSY_NS, IDLE_NS, BACKPRESSURED_NS, BATCHES_IN,
//            ROWS_IN, BATCHES_OUT, ROWS_OUT) then a source's progress line (BYTES_READ,
//            BYTES_TOTAL), float64 each; both lines have the same writer (the stage's host), the
//            second is written only by source kernels (`stageBytes`, at most every ~64 KiB)
//   ...      workers × 64: HEAP_USED_BYTES, OUTSIDE_POOL_BYTES, GC_PAUSE_NS, GC_COUNT,
//            POOL_HITS, POOL_MISSES, BATCHES, REPORTED (float64; REPORTED holds the bits of
//            worker-probe.ts REPORTED: which of the heap and GC figures the platform gives)
//
// Ordering and staleness
// - Counters are float64 so ns totals and byte counts never wrap. Atomics does not work on
//   Float64Array, so writers use plain stores (`f[i] += v`, safe because there is one writer).
//   Aligned 8-byte stores do not tear on the engines we target (V8, SpiderMonkey, JSC on x64
//   and arm64), so a reader sees either the old or the new value of each counter, never a mix.
// - There is no publishing store: a reader may see any counter up to one write stale, and two
//   counters of one record may come from different writes (rows already counted, batches not
//   yet). Rates over a window of a few hundred ms absorb this.
// - Counters only grow (except the gauges OCCUPANCY, CAPACITY and HEAP_USED_BYTES), so a
//   reader's Δcounter / Δt is never negative. Event writers (edge*, stageTime) add deltas;
//   summary writers (stageRows, workerHeap, workerAllocations) store the writer's running
//   totals, and a total smaller than the stored one is ignored. NaN, negative and absurd
//   values are ignored everywhere. BYTES_TOTAL is a gauge too: -1 = the source cannot know its
//   size, 0 = not reported; a reader may see a new BYTES_READ with the previous BYTES_TOTAL
//   (the stage writes the total first, so it is at most one report stale), which is why
//   progress is clamped to 0..1 by its readers.
// - ENABLED is an Int32 cell written with Atomics.store; writers read it with Atomics.load.
//
// Blocking and allocation: nothing here blocks. Writers never allocate and never throw (a bad
// index or value is ignored). `snapshot` allocates only when not given a target to reuse.
//
// Hosts: report long waits in slices (e.g. each Atomics.wait timeout of ≤ 100 ms), not once at
// the end, or a window in which a thread was blocked throughout shows no blocked time.

import {
	emptyEdge,
	emptyStage,
	emptyWorker,
	nowNs,
	type MetricsDescriptor,
	type MetricsLayout,
	type MetricsSnapshot
} from './counters';

export type {
	EdgeCounters,
	MetricsDescriptor,
	MetricsLayout,
	MetricsSnapshot,
	StageCounters,
	WorkerCounters
} from './counters';
export { nowNs } from './counters';

// Header cells (Int32 indices).
const MAGIC = 0;
const VERSION = 1;
const ENABLED = 2;
const LAYOUT_EDGES = 3;
const LAYOUT_STAGES = 4;
const LAYOUT_WORKERS = 5;
const MAGIC_VALUE = 0x534c4d31; // 'SLM1'
const VERSION_VALUE = 2; // 2: stage records gained the progress line

// Float64 slot offsets.
const HEADER_SLOTS = 8;
const EDGE_SLOTS = 16;
const STAGE_SLOTS = 16;
const WORKER_SLOTS = 8;
// Edge record, producer line.
const BATCHES = 0;
const ROWS = 1;
const BYTES = 2;
const PRODUCER_BLOCKED_NS = 3;
const OCCUPANCY = 4;
const CAPACITY = 5;
// Edge record, consumer line.
const CONSUMER_WAIT_NS = 8;
// Stage record.
const BUSY_NS = 0;
const IDLE_NS = 1;
const BACKPRESSURED_NS = 2;
const BATCHES_IN = 3;
const ROWS_IN = 4;
const BATCHES_OUT = 5;
const ROWS_OUT = 6;
// Stage record, progress line.
const BYTES_READ = 8;
const BYTES_TOTAL = 9;
// Worker record.
const HEAP_USED_BYTES = 0;
const OUTSIDE_POOL_BYTES = 1;
const GC_PAUSE_NS = 2;
const GC_COUNT = 3;
const POOL_HITS = 4;
const POOL_MISSES = 5;
const WORKER_BATCHES = 6;
const REPORTED = 7;

/** Largest count of edges, stages or workers one block holds. */
export const MAX_METRICS_ENTRIES = 1 << 16;
/** A delta or gauge above this is ignored (it can only be a bug). */
const MAX_VALUE = Number.MAX_SAFE_INTEGER;

/** Bytes of the SharedArrayBuffer for `layout`. */
export function metricsByteLength(layout: MetricsLayout): number {
	checkLayout(layout);
	const slots =
		HEADER_SLOTS +
		layout.edges * EDGE_SLOTS +
		layout.stages * STAGE_SLOTS +
		layout.workers * WORKER_SLOTS;
	return slots * Float64Array.BYTES_PER_ELEMENT;
}

export class MetricsBlock {
	readonly descriptor: MetricsDescriptor;
	private readonly cells: Int32Array;
	private readonly f: Float64Array;
	private readonly edgeCount: number;
	private readonly stageCount: number;
	private readonly workerCount: number;
	private readonly stageBase: number;
	private readonly workerBase: number;

	private constructor(d: MetricsDescriptor) {
		this.descriptor = d;
		this.cells = new Int32Array(d.sab, 0, HEADER_SLOTS * 2);
		this.f = new Float64Array(d.sab);
		this.edgeCount = d.layout.edges;
		this.stageCount = d.layout.stages;
		this.workerCount = d.layout.workers;
		this.stageBase = HEADER_SLOTS + this.edgeCount * EDGE_SLOTS;
		this.workerBase = this.stageBase + this.stageCount * STAGE_SLOTS;
	}

	/** A zeroed, enabled block for `layout` (called once by the scheduler, on any thread). */
	static create(layout: MetricsLayout): MetricsBlock {
		const sab = new SharedArrayBuffer(metricsByteLength(layout));
		const { edges, stages, workers } = layout;
		const cells = new Int32Array(sab);
		cells[VERSION] = VERSION_VALUE;
		cells[LAYOUT_EDGES] = edges;
		cells[LAYOUT_STAGES] = stages;
		cells[LAYOUT_WORKERS] = workers;
		cells[ENABLED] = 1;
		// Publishes the header above; the block is handed to other threads only afterwards.
		Atomics.store(cells, MAGIC, MAGIC_VALUE);
		return new MetricsBlock({ sab, layout: { edges, stages, workers } });
	}

	/** Attaches to a block made by `create` (in a worker, from the descriptor it was sent). */
	static attach(d: MetricsDescriptor): MetricsBlock {
		if (!d || !(d.sab instanceof SharedArrayBuffer))
			throw new TypeError('descriptor.sab must be a SharedArrayBuffer');
		const bytes = metricsByteLength(d.layout);
		if (d.sab.byteLength !== bytes)
			throw new RangeError(`descriptor.sab must be ${bytes} bytes for its layout`);
		const cells = new Int32Array(d.sab, 0, HEADER_SLOTS * 2);
		if (
			Atomics.load(cells, MAGIC) !== MAGIC_VALUE ||
			cells[VERSION] !== VERSION_VALUE ||
			cells[LAYOUT_EDGES] !== d.layout.edges ||
			cells[LAYOUT_STAGES] !== d.layout.stages ||
			cells[LAYOUT_WORKERS] !== d.layout.workers
		)
			throw new TypeError('descriptor.layout must match the block made by MetricsBlock.create');
		return new MetricsBlock(d);
	}

	setEnabled(on: boolean): void {
		// Publishes the switch; writers see it on their next call.
		Atomics.store(this.cells, ENABLED, on ? 1 : 0);
	}

	enabled(): boolean {
		return Atomics.load(this.cells, ENABLED) === 1;
	}

	// ---- writers: hot path, no allocation, no throw -------------------------------------

	/** Producer thread, on each push: one batch of `rows` rows and `bytes` bytes. */
	edgeBatch(edge: number, rows: number, bytes: number): void {
		const i = this.edgeSlot(edge);
		if (i < 0) return;
		this.f[i + BATCHES] += 1;
		this.add(i + ROWS, rows);
		this.add(i + BYTES, bytes);
	}

	/** Producer thread: `ns` more spent blocked on the full ring. */
	edgeProducerBlocked(edge: number, ns: number): void {
		const i = this.edgeSlot(edge);
		if (i >= 0) this.add(i + PRODUCER_BLOCKED_NS, ns);
	}

	/** Consumer thread: `ns` more spent waiting on the empty ring. */
	edgeConsumerWaiting(edge: number, ns: number): void {
		const i = this.edgeSlot(edge);
		if (i >= 0) this.add(i + CONSUMER_WAIT_NS, ns);
	}

	/** Producer thread (optional): the ring's fill as last seen. */
	edgeOccupancy(edge: number, size: number, capacity: number): void {
		const i = this.edgeSlot(edge);
		if (i < 0 || !(size >= 0 && size <= capacity && capacity <= MAX_VALUE)) return;
		this.f[i + OCCUPANCY] = size;
		this.f[i + CAPACITY] = capacity;
	}

	/** Stage's host: ns more spent busy, idle (no input) and backpressured (no room for output). */
	stageTime(stage: number, busyNs: number, idleNs: number, backpressuredNs: number): void {
		const i = this.stageSlot(stage);
		if (i < 0) return;
		this.add(i + BUSY_NS, busyNs);
		this.add(i + IDLE_NS, idleNs);
		this.add(i + BACKPRESSURED_NS, backpressuredNs);
	}

	/** Stage's host: its running totals of batches and rows in and out. */
	stageRows(
		stage: number,
		batchesIn: number,
		rowsIn: number,
		batchesOut: number,
		rowsOut: number
	): void {
		const i = this.stageSlot(stage);
		if (i < 0) return;
		this.raise(i + BATCHES_IN, batchesIn);
		this.raise(i + ROWS_IN, rowsIn);
		this.raise(i + BATCHES_OUT, batchesOut);
		this.raise(i + ROWS_OUT, rowsOut);
	}

	/** A source stage's host, from the kernel's `reportProgress`: its running total of bytes
	 * read and the bytes it will read in all (-1 when it cannot know). */
	stageBytes(stage: number, bytesRead: number, bytesTotal: number): void {
		const i = this.stageSlot(stage);
		if (i < 0) return;
		if (bytesTotal === -1 || (bytesTotal >= 0 && bytesTotal <= MAX_VALUE))
			this.f[i + BYTES_TOTAL] = bytesTotal;
		this.raise(i + BYTES_READ, bytesRead);
	}

	/** The worker itself: heap in use now (gauge), and its running totals of bytes allocated
	 * outside the pool, GC pause ns and GCs (pass 0 where the platform reports nothing), and
	 * which of them the platform reports (`reported`, REPORTED bits; a gauge). */
	workerHeap(
		worker: number,
		heapUsedBytes: number,
		outsidePoolBytes: number,
		gcPauseNs: number,
		gcCount: number,
		reported?: number
	): void {
		const i = this.workerSlot(worker);
		if (i < 0) return;
		if (reported !== undefined && reported >= 0 && reported < 256) this.f[i + REPORTED] = reported;
		if (heapUsedBytes >= 0 && heapUsedBytes <= MAX_VALUE)
			this.f[i + HEAP_USED_BYTES] = heapUsedBytes;
		this.raise(i + OUTSIDE_POOL_BYTES, outsidePoolBytes);
		this.raise(i + GC_PAUSE_NS, gcPauseNs);
		this.raise(i + GC_COUNT, gcCount);
	}

	/** The worker itself, running totals: batches produced, pool acquisitions served from a
	 * free list (hits) and by a fresh carve or a budget wait (misses). */
	workerAllocations(worker: number, batches: number, poolHits: number, poolMisses: number): void {
		const i = this.workerSlot(worker);
		if (i < 0) return;
		this.raise(i + WORKER_BATCHES, batches);
		this.raise(i + POOL_HITS, poolHits);
		this.raise(i + POOL_MISSES, poolMisses);
	}

	// ---- reader ----------------------------------------------------------------------------

	/** Copies every counter, plus `t = nowNs()`, into `into` (reused) or a new snapshot. */
	snapshot(into?: MetricsSnapshot): MetricsSnapshot {
		const s = into ?? { t: 0, edges: [], stages: [], workers: [] };
		fit(s.edges, this.edgeCount, emptyEdge);
		fit(s.stages, this.stageCount, emptyStage);
		fit(s.workers, this.workerCount, emptyWorker);
		const f = this.f;
		s.t = nowNs();
		for (let e = 0; e < this.edgeCount; e++) {
			const i = HEADER_SLOTS + e * EDGE_SLOTS;
			const c = s.edges[e];
			c.batches = f[i + BATCHES];
			c.rows = f[i + ROWS];
			c.bytes = f[i + BYTES];
			c.producerBlockedNs = f[i + PRODUCER_BLOCKED_NS];
			c.consumerWaitNs = f[i + CONSUMER_WAIT_NS];
			c.occupancy = f[i + OCCUPANCY];
			c.capacity = f[i + CAPACITY];
		}
		for (let st = 0; st < this.stageCount; st++) {
			const i = this.stageBase + st * STAGE_SLOTS;
			const c = s.stages[st];
			c.busyNs = f[i + BUSY_NS];
			c.idleNs = f[i + IDLE_NS];
			c.backpressuredNs = f[i + BACKPRESSURED_NS];
			c.batchesIn = f[i + BATCHES_IN];
			c.rowsIn = f[i + ROWS_IN];
			c.batchesOut = f[i + BATCHES_OUT];
			c.rowsOut = f[i + ROWS_OUT];
			c.bytesRead = f[i + BYTES_READ];
			c.bytesTotal = f[i + BYTES_TOTAL];
		}
		for (let w = 0; w < this.workerCount; w++) {
			const i = this.workerBase + w * WORKER_SLOTS;
			const c = s.workers[w];
			c.heapUsedBytes = f[i + HEAP_USED_BYTES];
			c.outsidePoolBytes = f[i + OUTSIDE_POOL_BYTES];
			c.gcPauseNs = f[i + GC_PAUSE_NS];
			c.gcCount = f[i + GC_COUNT];
			c.poolHits = f[i + POOL_HITS];
			c.poolMisses = f[i + POOL_MISSES];
			c.batches = f[i + WORKER_BATCHES];
			c.reported = f[i + REPORTED];
		}
		return s;
	}

	// ---- private ---------------------------------------------------------------------------

	/** Adds a delta; NaN, negative and absurd values are dropped so counters only grow. */
	private add(i: number, v: number): void {
		if (v > 0 && v <= MAX_VALUE) this.f[i] += v;
	}

	/** Stores a running total; one below the stored total (or NaN, or absurd) is dropped. */
	private raise(i: number, total: number): void {
		if (total > this.f[i] && total <= MAX_VALUE) this.f[i] = total;
	}

	/** First slot of the edge's record, or -1 when `edge` is not an index of this block. */
	private edgeSlot(edge: number): number {
		if (!this.enabled() || edge >>> 0 !== edge || edge >= this.edgeCount) return -1;
		return HEADER_SLOTS + edge * EDGE_SLOTS;
	}

	private stageSlot(stage: number): number {
		if (!this.enabled() || stage >>> 0 !== stage || stage >= this.stageCount) return -1;
		return this.stageBase + stage * STAGE_SLOTS;
	}

	private workerSlot(worker: number): number {
		if (!this.enabled() || worker >>> 0 !== worker || worker >= this.workerCount) return -1;
		return this.workerBase + worker * WORKER_SLOTS;
	}
}

function checkLayout(layout: MetricsLayout): void {
	if (!layout || typeof layout !== 'object') throw new TypeError('layout must be an object');
	for (const key of ['edges', 'stages', 'workers'] as const) {
		const n = layout[key];
		if (!Number.isInteger(n) || n < 0 || n > MAX_METRICS_ENTRIES)
			throw new RangeError(`layout.${key} must be an integer from 0 to ${MAX_METRICS_ENTRIES}`);
	}
}

/** Grows or shrinks `list` to `n` entries, making new ones with `make`. */
function fit<T>(list: T[], n: number, make: () => T): void {
	while (list.length < n) list.push(make());
	list.length = n;
}
