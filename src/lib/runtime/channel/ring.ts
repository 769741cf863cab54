// Ring channel: a single-producer single-consumer ring of batch descriptors in a SharedArrayBuffer.
//
// Threads: exactly one producer thread pushes and exactly one consumer thread pops (each through
// its own RingChannel object, made by create() on one side and attach() on the other). close() is
// the producer's; fail(), cancel() and every query may come from any thread. Blocking push/pop
// are for workers; the main thread uses pushAsync/popAsync and never blocks.
//
// Layout: see ring-layout.ts. HEAD (consumer) and TAIL (producer) are monotonic int32 counters
// that wrap at 2^32; the slot of counter c is `c & (capacity - 1)`, occupancy is `tail - head`.
//
// Ordering invariant (the whole protocol, as in ringbuf.js and the kernel's kfifo):
//   producer: plain stores into slot[tail]  ->  Atomics.store(TAIL, tail + 1)  ->  ring consumer
//   consumer: Atomics.load(TAIL)  ->  plain reads of slot[head]  ->  Atomics.store(HEAD, head + 1)
//             -> ring producer
// Atomics are sequentially consistent, so a consumer that loads the new TAIL also sees every slot
// write made before it was stored, and a producer that loads the new HEAD knows the consumer has
// finished reading that slot, so overwriting it is safe. Each side only ever stores its own counter.
//
// Staleness: each side caches the other's counter and reloads it only when the ring looks full
// (producer) or empty (consumer). Counters only grow, so a stale value is conservative: the ring
// looks fuller to the producer and emptier to the consumer than it is, never the reverse.
// canPush()/canPop() true stays true for the side that asked (only it can undo it); size() is a
// snapshot that may already be off by the time the caller acts on it.
//
// Plain reads: an Atomics.load costs about ten plain loads in V8, so tryPush/tryPop read two
// cells plainly. A side's own counter (TAIL for the producer, HEAD for the consumer): only this
// thread stores it, so it reads back its own last store. STATE: a stop (fail/cancel from another
// thread) seen late lets one more push or pop through, which is harmless (teardown drains what
// is queued), and every wait re-reads STATE atomically before it parks, so a stop is never
// slept through. Everything that synchronises (the other side's counter, the doorbell, the
// counter stores) stays atomic.
//
// Abandon (early termination): the consumer may decide it wants no more input (a `limit` that
// has its rows). abandon() moves STATE from OPEN or CLOSED to ABANDONED with a compareExchange
// (never over FAILED/CANCELLED; a later fail/cancel may still replace it) and rings both
// doorbells, so a producer parked on a full ring wakes and sees it.
//   consumer: CAS(STATE -> ABANDONED)  ->  ring producer  ->  drainOne() until empty, releasing
//             each block  ->  (later steps, teardown) drainOne() again
//   producer: tryPush reads STATE != OPEN -> false; abandoned() (an Atomics.load) says why;
//             push()/pushAsync() answer RING_ABANDONED. The descriptor is not queued and the
//             block reference stays with the producer, which releases it (not an error).
// A push racing the abandon (STATE read as OPEN just before the CAS, TAIL stored just after the
// consumer's drain) lands in the ring after the drain: at most one per abandon, since the TAIL
// store is a full fence and the next tryPush re-reads STATE. The consumer drains again on its
// later steps and at teardown, and the run drains every ring once all hosts returned, so each
// queued block is released exactly once (drainOne advances HEAD, the consumer's own counter).
// status() reads ABANDONED as END (the consumer's stream is over by its own choice); tryPop,
// canPop and canPush refuse; drainOne still takes what is queued.
//
// Waiting: blocking push/pop spin briefly, then park on the doorbells with wake hysteresis; the
// protocol and its no-lost-wake-up argument are in ring-wait.ts (and doorbell.ts). A push rings
// the consumer's doorbell, a pop the producer's, each only if its owner has prepared to sleep
// (one shared load otherwise) and, for a blocking parker, asked for no more than is there.
//
// Allocation: tryPush/tryPop/canPush/canPop/size/status allocate nothing and never throw (the
// integrity failure path builds its message). error(), fail() and the async waits allocate.
import type { BatchSlot, BlockHandle, BlockMemory, RingStatus } from '../contracts';
import { RING } from '../contracts';
import { Doorbell } from './doorbell';
import * as L from './ring-layout';
import {
	checkRingDescriptor,
	createRingDescriptor,
	type RingDescriptor,
	type RingOptions
} from './ring-setup';
import { blockChecksum } from './ring-integrity';
import { integrityFailed, integrityUnreadable } from './messages';
import { NOT_YET, retryAsync } from './ring-async';
import { WaitTuning, waitToPop, waitToPush } from './ring-wait';

export type { RingDescriptor, RingOptions } from './ring-setup';

/**
 * What push()/pushAsync() answer when the consumer abandoned the ring: the descriptor was not
 * queued and the caller still holds the block's reference (release it). Not an error. Kept here,
 * beside RING's codes (contracts.ts), as the producer's one extra outcome.
 */
export const RING_ABANDONED = 5;
/** A push's outcome: a RingStatus, or RING_ABANDONED. */
export type PushStatus = RingStatus | typeof RING_ABANDONED;
export { HYSTERESIS_MS, SPIN_MAX, SPIN_MIN } from './ring-wait';

export class RingChannel {
	readonly descriptor: RingDescriptor;
	readonly capacity: number;
	readonly name: string;
	/** @internal The ring's cells (ring-layout.ts); for ring-wait.ts only. */
	readonly cells: Int32Array;
	private readonly mask: number;
	private readonly integrity: boolean;
	private readonly memory: BlockMemory | undefined;
	/** @internal Where the producer parks; for ring-wait.ts only. */
	readonly producerBell: Doorbell;
	/** @internal Where the consumer parks; for ring-wait.ts only. */
	readonly consumerBell: Doorbell;
	/** Producer's last view of HEAD (stale = conservative). */
	private headCache: number;
	/** Consumer's last view of TAIL (stale = conservative). */
	private tailCache: number;
	/** @internal How this side's blocking waits spin and park; adapts (ring-wait.ts). */
	readonly waits = new WaitTuning();

	private constructor(d: RingDescriptor, memory: BlockMemory | undefined) {
		this.descriptor = d;
		this.capacity = d.capacity;
		this.name = d.name;
		this.cells = new Int32Array(d.sab);
		this.mask = d.capacity - 1;
		this.integrity = d.integrity;
		this.memory = memory;
		this.producerBell = new Doorbell(d.producerBell);
		this.consumerBell = new Doorbell(d.consumerBell);
		this.headCache = Atomics.load(this.cells, L.HEAD);
		this.tailCache = Atomics.load(this.cells, L.TAIL);
	}

	/** A new, open, empty ring. `memory` is needed only in integrity mode. */
	static create(options: RingOptions, memory?: BlockMemory): RingChannel {
		return RingChannel.attach(createRingDescriptor(options), memory);
	}

	/** The other side of a ring made by create(), from its descriptor. */
	static attach(descriptor: RingDescriptor, memory?: BlockMemory): RingChannel {
		checkRingDescriptor(descriptor, memory);
		return new RingChannel(descriptor, memory);
	}

	/** Producer. Queues one descriptor; false when full or no longer open. Rings the consumer. */
	tryPush(block: BlockHandle, byteLength: number, rows: number): boolean {
		const cells = this.cells;
		// Plain reads (see "Plain reads" in the header): STATE may be stale, TAIL is our own.
		if (cells[L.STATE] !== L.STATE_OPEN) return false;
		const tail = cells[L.TAIL];
		if ((tail - this.headCache) >>> 0 >= this.capacity) {
			// Looks full: reload HEAD. The consumer stores HEAD only after reading the slot, so a slot
			// freed by the HEAD we load here is safe to overwrite below.
			this.headCache = Atomics.load(cells, L.HEAD);
			if ((tail - this.headCache) >>> 0 >= this.capacity) return false;
		}
		let sum = 0;
		if (this.integrity) {
			sum = this.checksumOf(block, byteLength, tail & L.SEQ_MASK);
			if (sum === -1) return false;
		}
		const base = L.SLOTS_BASE + (tail & this.mask) * L.SLOT_INT32;
		cells[base + L.SLOT_BLOCK] = block;
		cells[base + L.SLOT_BYTE_LENGTH] = byteLength;
		cells[base + L.SLOT_ROWS] = rows;
		cells[base + L.SLOT_SEQ] = tail & L.SEQ_MASK;
		cells[base + L.SLOT_CHECKSUM] = sum;
		// Publishes the slot written above: the consumer reads it only after loading this TAIL.
		Atomics.store(cells, L.TAIL, (tail + 1) | 0);
		// Read after the TAIL store (doorbell.ts): a consumer parked with WANT_READY > 1 is rung
		// only once that many batches are queued; HEAD cannot move while it sleeps.
		if (this.consumerBell.isArmed()) {
			const want = Atomics.load(cells, L.WANT_READY);
			if (want <= 1 || ((tail + 1 - Atomics.load(cells, L.HEAD)) | 0) >= want)
				this.consumerBell.ring();
		}
		return true;
	}

	/**
	 * Consumer. Pops one descriptor into `out`; false when empty or failed/cancelled (see
	 * status()). In integrity mode a checksum mismatch fails the ring and returns false.
	 */
	tryPop(out: BatchSlot): boolean {
		const cells = this.cells;
		// Plain reads (see "Plain reads" in the header): STATE may be stale, HEAD is our own.
		const state = cells[L.STATE];
		if (state >= L.STATE_FAILED) return false; // failed, cancelled or abandoned
		const head = cells[L.HEAD];
		const ready = (this.tailCache - head) >>> 0;
		if (ready === 0 || ready > this.capacity) {
			// Looks empty: reload TAIL. It must be loaded before the slot is read: the producer
			// stored TAIL after writing the slot, so this load makes those writes visible.
			this.tailCache = Atomics.load(cells, L.TAIL);
			if (this.tailCache === head) return false;
		}
		const base = L.SLOTS_BASE + (head & this.mask) * L.SLOT_INT32;
		out.block = cells[base + L.SLOT_BLOCK];
		out.byteLength = cells[base + L.SLOT_BYTE_LENGTH];
		out.rows = cells[base + L.SLOT_ROWS];
		out.seq = cells[base + L.SLOT_SEQ];
		out.checksum = cells[base + L.SLOT_CHECKSUM];
		if (this.integrity && !this.verify(out)) return false;
		// Publishes that the slot is free: the producer may overwrite it once it loads this HEAD.
		Atomics.store(cells, L.HEAD, (head + 1) | 0);
		// Read after the HEAD store (doorbell.ts): a producer parked with WANT_ROOM > 1 is rung
		// only once that many slots are free; TAIL cannot move while it sleeps.
		if (this.producerBell.isArmed()) {
			const want = Atomics.load(cells, L.WANT_ROOM);
			if (want <= 1 || this.capacity - ((Atomics.load(cells, L.TAIL) - head - 1) | 0) >= want)
				this.producerBell.ring();
		}
		return true;
	}

	/** Producer: room for one more push (true stays true until this side pushes). */
	canPush(): boolean {
		return Atomics.load(this.cells, L.STATE) === L.STATE_OPEN && this.size() < this.capacity;
	}

	/** Consumer: a batch is waiting (true stays true until this side pops, unless stopped). */
	canPop(): boolean {
		const state = Atomics.load(this.cells, L.STATE);
		return state < L.STATE_FAILED && this.size() > 0; // not failed, cancelled or abandoned
	}

	/**
	 * Takes the oldest queued descriptor whatever the ring's state, without integrity checks or
	 * doorbells, so the caller can release its block. False when nothing is left. Called by the
	 * consumer after abandon() (the producer may still be running: HEAD is the consumer's own
	 * counter, so this is an ordinary pop), or at teardown once neither side runs any more.
	 */
	drainOne(out: BatchSlot): boolean {
		const cells = this.cells;
		const head = Atomics.load(cells, L.HEAD);
		if (Atomics.load(cells, L.TAIL) === head) return false;
		const base = L.SLOTS_BASE + (head & this.mask) * L.SLOT_INT32;
		out.block = cells[base + L.SLOT_BLOCK];
		out.byteLength = cells[base + L.SLOT_BYTE_LENGTH];
		out.rows = cells[base + L.SLOT_ROWS];
		out.seq = cells[base + L.SLOT_SEQ];
		out.checksum = cells[base + L.SLOT_CHECKSUM];
		// Publishes the slot as consumed (no other thread is running, but keep the ring coherent).
		Atomics.store(cells, L.HEAD, (head + 1) | 0);
		return true;
	}

	/** Batches queued now, 0..capacity: a snapshot, possibly stale by the time it is used. */
	size(): number {
		// HEAD first: it can only grow while TAIL is loaded, so the difference errs low, never
		// above what was ever queued; the clamp covers a TAIL that moved on in between.
		const head = Atomics.load(this.cells, L.HEAD);
		const used = (Atomics.load(this.cells, L.TAIL) - head) | 0;
		return used < 0 ? 0 : used > this.capacity ? this.capacity : used;
	}

	/**
	 * Producer, workers only: waits for room. OK, or END (already closed), FAILED, CANCELLED,
	 * TIMED_OUT, or RING_ABANDONED (the consumer wants no more: release the block yourself).
	 */
	push(block: BlockHandle, byteLength: number, rows: number, timeoutMs = Infinity): PushStatus {
		if (this.tryPush(block, byteLength, rows)) return RING.OK; // no clock, no doorbell
		return waitToPush(this, block, byteLength, rows, timeoutMs);
	}

	/** Consumer, workers only: waits for a batch. OK, END once closed and drained, FAILED, CANCELLED, TIMED_OUT. */
	pop(out: BatchSlot, timeoutMs = Infinity): RingStatus {
		if (this.tryPop(out)) return RING.OK; // no clock, no doorbell
		return waitToPop(this, out, timeoutMs);
	}

	/** push() for the main thread: sleeps with Atomics.waitAsync, never blocks. */
	pushAsync(
		block: BlockHandle,
		byteLength: number,
		rows: number,
		timeoutMs = Infinity
	): Promise<PushStatus> {
		return retryAsync<PushStatus>(this.producerBell, timeoutMs, () => {
			if (this.tryPush(block, byteLength, rows)) return RING.OK;
			const refusal = this.pushRefusal();
			return refusal === RING.OK ? NOT_YET : refusal;
		});
	}

	/** pop() for the main thread: sleeps with Atomics.waitAsync, never blocks. */
	popAsync(out: BatchSlot, timeoutMs = Infinity): Promise<RingStatus> {
		return retryAsync<RingStatus>(this.consumerBell, timeoutMs, () => {
			if (this.tryPop(out)) return RING.OK;
			const status = this.status();
			return status === RING.OK ? NOT_YET : status;
		});
	}

	/** Producer: end of stream after what is queued. No-op unless open. Wakes both sides. */
	close(): void {
		// Publishes end of stream; every TAIL store this producer made comes before it.
		Atomics.compareExchange(this.cells, L.STATE, L.STATE_OPEN, L.STATE_CLOSED);
		this.wakeBoth();
	}

	/** Either side: stops the ring with `message` (UTF-8, cut to 1 KiB). The first error wins. */
	fail(message: string): void {
		const cells = this.cells;
		if (Atomics.compareExchange(cells, L.ERROR_LOCK, 0, 1) === 0) {
			const length = L.writeErrorBytes(this.descriptor.sab, message);
			// Publishes the message length; the message bytes were plain stores just before.
			Atomics.store(cells, L.ERROR_LENGTH, length);
			this.moveTo(L.STATE_FAILED);
		}
		this.wakeBoth();
	}

	/**
	 * Consumer: it wants no more batches (see "Abandon" in the header). No-op once failed,
	 * cancelled or abandoned. Wakes both sides. The caller then drains what is queued with
	 * drainOne() and releases each block.
	 */
	abandon(): void {
		const cells = this.cells;
		for (;;) {
			const state = Atomics.load(cells, L.STATE);
			if (state !== L.STATE_OPEN && state !== L.STATE_CLOSED) return;
			// Publishes the abandon: the producer's next tryPush (or its wait's re-check) sees it.
			if (Atomics.compareExchange(cells, L.STATE, state, L.STATE_ABANDONED) === state) break;
		}
		this.wakeBoth();
	}

	/** True once the consumer abandoned the ring (and it was not failed or cancelled since). */
	abandoned(): boolean {
		return Atomics.load(this.cells, L.STATE) === L.STATE_ABANDONED;
	}

	/** Anyone: stops the ring without an error. No-op once failed or cancelled. Wakes both sides. */
	cancel(): void {
		this.moveTo(L.STATE_CANCELLED);
		this.wakeBoth();
	}

	/**
	 * OK while open (or closed with batches left), END once closed and drained or once abandoned
	 * (the consumer ended its stream itself), FAILED, CANCELLED.
	 */
	status(): RingStatus {
		const cells = this.cells;
		const state = Atomics.load(cells, L.STATE);
		if (state === L.STATE_OPEN) return RING.OK;
		if (state === L.STATE_FAILED) return RING.FAILED;
		if (state === L.STATE_CANCELLED) return RING.CANCELLED;
		if (state === L.STATE_ABANDONED) return RING.END;
		// Closed. STATE was loaded first: close() came after the producer's last TAIL store, so the
		// TAIL loaded now counts every batch ever pushed.
		return Atomics.load(cells, L.TAIL) === Atomics.load(cells, L.HEAD) ? RING.END : RING.OK;
	}

	/** The message given to fail(), from either side; undefined unless the ring failed. */
	error(): string | undefined {
		if (Atomics.load(this.cells, L.STATE) !== L.STATE_FAILED) return undefined;
		// ERROR_LENGTH was stored before STATE became FAILED, so it is final here.
		return L.readErrorBytes(this.descriptor.sab, Atomics.load(this.cells, L.ERROR_LENGTH));
	}

	/** True once the ring takes no more pushes: closed, failed, cancelled or abandoned. */
	isClosed(): boolean {
		return Atomics.load(this.cells, L.STATE) !== L.STATE_OPEN;
	}

	/** @internal The status that refuses a push (RING.OK if the ring is merely full). */
	pushRefusal(): PushStatus {
		const state = Atomics.load(this.cells, L.STATE);
		if (state === L.STATE_OPEN) return RING.OK;
		if (state === L.STATE_CLOSED) return RING.END;
		if (state === L.STATE_ABANDONED) return RING_ABANDONED;
		return state === L.STATE_FAILED ? RING.FAILED : RING.CANCELLED;
	}

	/** Moves STATE to FAILED or CANCELLED unless it already is one of them (over ABANDONED too). */
	private moveTo(target: number): void {
		for (;;) {
			const state = Atomics.load(this.cells, L.STATE);
			if (state === L.STATE_FAILED || state === L.STATE_CANCELLED) return;
			// Publishes the stop; for FAILED, ERROR_LENGTH was stored before it.
			if (Atomics.compareExchange(this.cells, L.STATE, state, target) === state) return;
		}
	}

	private wakeBoth(): void {
		this.producerBell.ring();
		this.consumerBell.ring();
	}

	/** Checksum of the block's first byteLength bytes, or -1 after failing the ring (unreadable). */
	private checksumOf(block: BlockHandle, byteLength: number, seq: number): number {
		try {
			return blockChecksum(this.memory as BlockMemory, block, byteLength) >>> 0;
		} catch (cause) {
			this.fail(integrityUnreadable(this.name, seq, cause));
			return -1;
		}
	}

	/** Integrity mode: recomputes the popped block's checksum; fails the ring on a mismatch. */
	private verify(out: BatchSlot): boolean {
		const got = this.checksumOf(out.block, out.byteLength, out.seq);
		if (got === -1) return false;
		out.checksum >>>= 0;
		if (got === out.checksum) return true;
		this.fail(integrityFailed(this.name, out.seq, out.checksum, got));
		return false;
	}
}
