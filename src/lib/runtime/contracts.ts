// The seams between the engine's modules: memory pool, batch frames, ring channels, metrics
// and the scheduler. Each module implements its side; nothing here allocates or runs.
//
// Threads: the page's main thread (never blocks: async waits only), pool workers (block with
// Atomics.wait on their doorbell), and in Node the same workers as worker_threads.
// Everything a worker needs to attach to shared state travels once, at stage start, as a
// structured-cloneable *descriptor* (SharedArrayBuffers plus numbers); after that, data never
// crosses postMessage.

/** A block handle: `(generation << BLOCK_ID_BITS) | id`, always a non-negative int32. */
export type BlockHandle = number;
/** Returned by `tryAcquire` when no block can be had within the budget. */
export const NO_BLOCK = -1;
export const BLOCK_ID_BITS = 20;
export const BLOCK_ID_MASK = (1 << BLOCK_ID_BITS) - 1;
/** Generations wrap after 2^11 reuses of one block; a stale handle older than that is missed. */
export const BLOCK_GEN_MASK = (1 << 11) - 1;

export interface PoolOptions {
	/** Bytes that may be carved into blocks in all; acquisitions past it wait. */
	budgetBytes: number;
	/** Smallest size class (power of two, default 4096). */
	minBlockBytes?: number;
	/** Largest size class (power of two, default 16 MiB). */
	maxBlockBytes?: number;
	/** Write and check canary bytes after each block's payload (tests). Default false. */
	guards?: boolean;
}

export interface PoolStats {
	blocksInUse: number;
	bytesInUse: number;
	highWaterBytes: number;
	carvedBytes: number;
	budgetBytes: number;
	/** Acquisitions served from a free list. */
	freeListHits: number;
	/** Acquisitions that carved a new block. */
	freshCarves: number;
	/** Releases refused because the handle was stale, double-released or not a block. */
	badReleases: number;
	/** Acquisitions that had to wait for a release (budget backpressure). */
	budgetWaits: number;
}

/** The pool's memory as seen by the code that reads and writes block payloads. */
export interface BlockMemory {
	/** The SharedArrayBuffer (or, in the fallback, ArrayBuffer) holding the block. */
	bufferOf(handle: BlockHandle): ArrayBufferLike;
	/** Byte offset of the block's payload in `bufferOf(handle)`; 8-byte aligned. */
	offsetOf(handle: BlockHandle): number;
	/** Usable payload bytes of the block (its size class minus the header). */
	capacityOf(handle: BlockHandle): number;
}

/** A descriptor popped from a ring: which block, how many bytes and rows, in what order. */
export interface BatchSlot {
	block: BlockHandle;
	byteLength: number;
	rows: number;
	/** 0, 1, 2, ... per ring; wraps at 2^31. */
	seq: number;
	/** Checksum of the block's first `byteLength` bytes when the ring runs in integrity mode, else 0. */
	checksum: number;
}

/** Result codes of blocking and async ring operations. Hot-path try* calls return booleans. */
export const RING = {
	OK: 0,
	/** Producer closed the ring and every batch was popped. */
	END: 1,
	/** The ring was failed with an error; read it with `error()`. */
	FAILED: 2,
	/** The run was cancelled. */
	CANCELLED: 3,
	TIMED_OUT: 4
} as const;
export type RingStatus = (typeof RING)[keyof typeof RING];

/** Where a thread parks: one Int32 cell in a SharedArrayBuffer, bumped and notified to wake it. */
export interface DoorbellDescriptor {
	sab: SharedArrayBuffer;
	index: number;
}

/** Per-edge counters, each written by one thread only (see runtime/metrics). */
export interface EdgeCounterNames {
	batches: number;
	rows: number;
	bytes: number;
	/** ns the producer spent blocked on a full ring. */
	producerBlockedNs: number;
	/** ns the consumer spent waiting on an empty ring. */
	consumerWaitNs: number;
}

/** Per-stage time split, written by the worker hosting the stage. */
export interface StageCounterNames {
	busyNs: number;
	idleNs: number;
	backpressuredNs: number;
	batchesIn: number;
	batchesOut: number;
	rowsIn: number;
	rowsOut: number;
}

/** Column types a batch frame can carry (Arrow physical layouts). */
export type ColumnType =
	| 'int8'
	| 'int16'
	| 'int32'
	| 'int64'
	| 'uint8'
	| 'uint16'
	| 'uint32'
	| 'uint64'
	| 'float32'
	| 'float64'
	| 'bool'
	| 'utf8'
	/** Days since the epoch, int32. */
	| 'date32'
	/** Milliseconds since the epoch, int64 (Arrow Timestamp, unit ms, no time zone). */
	| 'timestamp';

export type ColumnValues =
	| Int8Array
	| Int16Array
	| Int32Array
	| BigInt64Array
	| Uint8Array
	| Uint16Array
	| Uint32Array
	| BigUint64Array
	| Float32Array
	| Float64Array;

/**
 * One column of a batch as raw typed-array views, the form kernels and the expression
 * evaluator work on. Arrow conventions: `validity` is a bitmap, least significant bit first,
 * 1 = valid, `null` when the column has no nulls; `bool` values are bit-packed the same way;
 * `utf8` has `offsets` (length + 1 entries) into `values` (Uint8Array of UTF-8 bytes).
 */
export interface ColumnView {
	type: ColumnType;
	length: number;
	nullCount: number;
	validity: Uint8Array | null;
	offsets: Int32Array | null;
	values: ColumnValues;
}

/** A batch as columns, in schema order, all of `length` rows. */
export interface BatchView {
	length: number;
	columns: ColumnView[];
}
