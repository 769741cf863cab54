// A ring whose producer and consumer stages run on the same worker, in the fallback: a plain
// FIFO of descriptors, no messages and no copies. A push moves the block's reference into the
// ring and a pop moves it to the consumer, exactly as in the shared ring, so fan-out needs no
// copies here.
//
// Abandon: the consumer's abandon() refuses every later push (the producing stage releases the
// block itself, seeing abandoned()), and drainOne() hands the consumer what is still queued.
// One thread, so no push can race it.
//
// Thread: one (the worker hosting both stages). Nothing blocks; try* never allocate or throw
// (except the integrity failure path, which builds its message).
import { RING } from '../contracts';
import type { BatchSlot, BlockHandle, RingStatus } from '../contracts';
import { integrityFailed } from '../channel/messages';
import { checksum } from '../memory/checksum';
import type { LocalPool } from './local-pool';

const OPEN = 0;
const CLOSED = 1;
const FAILED = 2;
const CANCELLED = 3;
/** The consumer abandoned the ring (as channel/ring.ts's STATE_ABANDONED): pushes refused. */
const ABANDONED = 4;
const SEQ_MASK = 0x7fffffff;

/** A same-worker ring as a worker receives it at run start. */
export interface LocalRingEnd {
	ring: number;
	name: string;
	capacity: number;
	integrity: boolean;
}

export class LocalRing {
	readonly name: string;
	readonly capacity: number;
	private readonly integrity: boolean;
	private readonly blocks: Int32Array;
	private readonly lengths: Float64Array;
	private readonly rows: Float64Array;
	private readonly sums: Uint32Array;
	private head = 0;
	private count = 0;
	private popSeq = 0;
	private state = OPEN;
	private failure: string | undefined;

	constructor(
		end: LocalRingEnd,
		private readonly pool: LocalPool
	) {
		if (!Number.isInteger(end.capacity) || end.capacity < 1)
			throw new RangeError(`capacity must be a whole number of at least 1, got ${end.capacity}`);
		this.name = end.name;
		this.capacity = end.capacity;
		this.integrity = end.integrity;
		this.blocks = new Int32Array(end.capacity);
		this.lengths = new Float64Array(end.capacity);
		this.rows = new Float64Array(end.capacity);
		this.sums = new Uint32Array(end.capacity);
	}

	tryPush(block: BlockHandle, byteLength: number, rows: number): boolean {
		if (this.state !== OPEN || this.count >= this.capacity) return false;
		const at = (this.head + this.count) % this.capacity;
		this.blocks[at] = block;
		this.lengths[at] = byteLength;
		this.rows[at] = rows;
		this.sums[at] = this.integrity ? this.sumOf(block, byteLength) : 0;
		this.count++;
		return true;
	}

	tryPop(out: BatchSlot): boolean {
		if (this.state >= FAILED || this.count === 0) return false; // stopped or abandoned
		const at = this.head;
		out.block = this.blocks[at];
		out.byteLength = this.lengths[at];
		out.rows = this.rows[at];
		out.checksum = this.sums[at];
		out.seq = this.popSeq;
		if (this.integrity) {
			const sum = this.sumOf(out.block, out.byteLength);
			if (sum !== out.checksum) {
				this.fail(integrityFailed(this.name, out.seq, out.checksum, sum));
				return false;
			}
		}
		this.head = (at + 1) % this.capacity;
		this.count--;
		this.popSeq = (this.popSeq + 1) & SEQ_MASK;
		return true;
	}

	status(): RingStatus {
		if (this.state === FAILED) return RING.FAILED;
		if (this.state === CANCELLED) return RING.CANCELLED;
		if (this.state === ABANDONED) return RING.END;
		return this.state === CLOSED && this.count === 0 ? RING.END : RING.OK;
	}

	/** Consumer: wants no more batches; later pushes are refused. No-op once stopped. */
	abandon(): void {
		if (this.state === OPEN || this.state === CLOSED) this.state = ABANDONED;
	}

	/** True once the consumer abandoned the ring. */
	abandoned(): boolean {
		return this.state === ABANDONED;
	}

	/** Consumer after abandon(): takes the oldest queued batch whatever the state (caller releases). */
	drainOne(out: BatchSlot): boolean {
		if (this.count === 0) return false;
		const at = this.head;
		out.block = this.blocks[at];
		out.byteLength = this.lengths[at];
		out.rows = this.rows[at];
		out.checksum = this.sums[at];
		out.seq = this.popSeq;
		this.head = (at + 1) % this.capacity;
		this.count--;
		this.popSeq = (this.popSeq + 1) & SEQ_MASK;
		return true;
	}

	error(): string | undefined {
		return this.state === FAILED ? this.failure : undefined;
	}

	size(): number {
		return this.count;
	}

	close(): void {
		if (this.state === OPEN) this.state = CLOSED;
	}

	fail(message: string): void {
		if (this.state === FAILED || this.state === CANCELLED) return;
		this.state = FAILED;
		this.failure = message;
	}

	cancel(): void {
		if (this.state !== FAILED) this.state = CANCELLED;
	}

	/** Teardown: releases the blocks of every batch still queued. */
	drain(): void {
		while (this.count > 0) {
			this.pool.release(this.blocks[this.head]);
			this.head = (this.head + 1) % this.capacity;
			this.count--;
		}
	}

	private sumOf(block: BlockHandle, byteLength: number): number {
		const pool = this.pool;
		return checksum(pool.bufferOf(block), pool.offsetOf(block), byteLength) >>> 0;
	}
}
