// The shared-memory block pool: size-classed, reference-counted blocks in SharedArrayBuffers,
// usable from every thread at once. Byte layouts are in layout.ts, the free lists in
// free-list.ts, carving and guards in carve.ts, reference counts in release.ts, waiting for
// budget in acquire-wait.ts, the bad-release record in bad-release.ts.
//
// Thread roles: every thread (page main thread, pool workers, Node worker_threads) holds its
// own MemoryPool over the same buffers: the creator calls `create`, the others `attach` to the
// descriptor it posts once. All of them acquire, retain and release; no thread is special.
//
// Memory: `budgetBytes` is split into arenas (SharedArrayBuffers of at most 1 GiB), all made
// at `create` because a thread cannot learn of a buffer made later. Blocks are carved lazily
// from a global bump cursor; carving reserves the block's bytes against the budget first, so
// carved bytes never exceed the budget (the arenas carry one largest block of slack per arena
// change, because a block never straddles two arenas). A carved block keeps its size class
// forever: freed blocks go onto their class's free list and nothing returns to the cursor.
//
// Acquire order: the class's free list; else carve; else a free block of a LARGER class (a
// smaller free block can never serve a larger request). If the budget is all carved into
// small blocks, a large request can only be met by a large block someone releases: carve the
// large classes you need early, or keep headroom.
//
// Ordering invariants:
//  - Carving writes the block's table entry, header and canary, then publishes the entry
//    with the Atomics.store of T_PLACE; until then the id reads as "not a block".
//  - A block's generation and refcount share one cell (T_STATE), so a release checks the
//    handle's generation and drops the count in one CAS: a stale handle can never free a
//    block that was reused. The final release bumps the generation in that same CAS, then
//    pushes the block onto its free list, then, only if CTL_WAITERS > 0, bumps
//    CTL_RELEASE_SEQ and notifies.
//  - acquire() counts itself in CTL_WAITERS, THEN reads CTL_RELEASE_SEQ, tries once more, and
//    waits only while the sequence is unchanged, so a release between its try and its wait is
//    never missed (acquire-wait.ts).
//  - A popped block is claimed with a CAS of its refcount 0 -> 1 (see free-list.ts).
//  - Hot-path reads are plain where that is safe, because an Atomics.load costs about ten plain
//    loads in V8: cells that never change once published (T_PLACE, T_OFFSET: the handle's holder
//    synchronised with their publication), and the first guess of every CAS loop (the CAS checks
//    it). What decides "empty", "waiters present" or a refusal is read with Atomics.
//  - Hot counters (hits, carves, releases, units in use) live on a line per MemoryPool object
//    (counters.ts), bumped after the claim or release they count with plain stores by the
//    line's one writer: no shared stats line and no locked instruction per counter per batch.
//
// Staleness: stats() sums the counter lines one by one; a snapshot taken while other threads
// work may be off by the operations in flight, and highWaterBytes is sampled (counters.ts).
// lastError() reads a seqlocked record of the most recent bad release from any thread.
//
// Who may block: acquire() parks with Atomics.wait (workers; a browser main thread throws).
// acquireAsync() never blocks (Atomics.waitAsync, or short timers where that is missing).
// Everything else is lock-free and never waits.
//
// What allocates: create/attach (buffers, one typed-array view per buffer, and a counter line
// claimed in the control buffer for good: COUNTER_LINES - 1 objects get their own), stats(),
// lastError(), verifyGuards(), acquireAsync() and thrown errors. tryAcquire, acquire,
// retain, release, refCount, bufferOf, offsetOf and capacityOf allocate nothing.

import { BLOCK_ID_MASK, NO_BLOCK } from '../contracts';
import type { BlockHandle, BlockMemory, PoolOptions, PoolStats } from '../contracts';
import { FreeLists } from './free-list';
import * as L from './layout';
import { carveBlock, verifyAll, type PoolViews } from './carve';
import { optionError } from './messages';
import { describeBadRelease } from './bad-release';
import { acquireBlocking, acquireNonBlocking, cancelWaiters, resetCancel } from './acquire-wait';
import { isCarved, refCountOf, releaseBlock, retainBlock } from './release';
import { bump, claimCounterLine, sampleHighWater, sumCounters } from './counters';

export interface PoolDescriptor {
	control: SharedArrayBuffer;
	arenas: SharedArrayBuffer[];
	options: Required<PoolOptions>;
}

export class MemoryPool implements BlockMemory {
	readonly descriptor: PoolDescriptor;
	/** Number of size classes; class c holds `classCapacity(c)` payload bytes. */
	readonly classCount: number;
	readonly #g: L.Geometry;
	readonly #v: PoolViews;
	readonly #control: Int32Array;
	readonly #lists: FreeLists;

	private constructor(descriptor: PoolDescriptor, geometry: L.Geometry) {
		this.descriptor = descriptor;
		this.#g = geometry;
		this.classCount = geometry.classCount;
		this.#control = new Int32Array(descriptor.control);
		this.#v = {
			control: this.#control,
			ints: descriptor.arenas.map((a) => new Int32Array(a)),
			bytes: descriptor.arenas.map((a) => new Uint8Array(a)),
			geometry,
			counters: claimCounterLine(this.#control)
		};
		this.#lists = new FreeLists(this.#control, geometry);
	}

	static create(options: PoolOptions): MemoryPool {
		const resolved = L.resolveOptions(options);
		if (typeof SharedArrayBuffer !== 'function') throw optionError.noSharedMemory();
		const g = L.computeGeometry(resolved);
		const control = new SharedArrayBuffer(g.controlBytes);
		const arenas = g.arenaUnits.map((units) => new SharedArrayBuffer(units * L.UNIT_BYTES));
		const cells = new Int32Array(control);
		Atomics.store(cells, L.CTL_SHAPE, L.shapeOf(resolved));
		// Publishes the initialised control block; attach() checks it.
		Atomics.store(cells, L.CTL_MAGIC, L.POOL_MAGIC);
		return new MemoryPool({ control, arenas, options: resolved }, g);
	}

	static attach(descriptor: PoolDescriptor): MemoryPool {
		if (typeof descriptor !== 'object' || descriptor === null)
			throw optionError.badDescriptor('must be the object from pool.descriptor');
		const g = L.computeGeometry(L.resolveOptions(descriptor.options));
		const { control, arenas } = descriptor;
		if (!(control instanceof SharedArrayBuffer) || control.byteLength !== g.controlBytes)
			throw optionError.badDescriptor('control must be the pool’s control SharedArrayBuffer');
		const cells = new Int32Array(control);
		if (Atomics.load(cells, L.CTL_MAGIC) !== L.POOL_MAGIC)
			throw optionError.badDescriptor('control does not hold a memory pool');
		if (Atomics.load(cells, L.CTL_SHAPE) !== L.shapeOf(g.options))
			throw optionError.badDescriptor('options differ from those the pool was created with');
		const ok =
			Array.isArray(arenas) &&
			arenas.length === g.arenaUnits.length &&
			arenas.every(
				(a, i) => a instanceof SharedArrayBuffer && a.byteLength === g.arenaUnits[i] * L.UNIT_BYTES
			);
		if (!ok) throw optionError.badDescriptor('arenas do not match the options');
		return new MemoryPool({ control, arenas: [...arenas], options: g.options }, g);
	}

	/** Class index for a payload; RangeError if it exceeds the largest class's capacity. */
	sizeClassFor(bytes: number): number {
		if (typeof bytes !== 'number' || !(bytes >= 0)) throw optionError.badPayload(bytes);
		const c = this.#classOf(bytes);
		if (c < 0) throw optionError.payloadTooLarge(bytes, this.#g.maxPayloadBytes);
		return c;
	}

	/** Payload bytes of a block of the largest class. */
	largestPayload(): number {
		return this.classCapacity(this.classCount - 1);
	}

	/** Payload bytes of a block of class `sizeClass`. */
	classCapacity(sizeClass: number): number {
		return this.#g.classBytes[sizeClass] - this.#g.overheadBytes;
	}

	tryAcquire(payloadBytes: number): BlockHandle {
		let cls = this.#classOf(payloadBytes);
		if (cls < 0) return NO_BLOCK;
		const c = this.#control;
		const line = this.#v.counters;
		let handle = this.#popClaim(cls);
		if (handle < 0) {
			handle = carveBlock(this.#v, cls);
			if (handle >= 0) {
				bump(c, line, L.C_CARVES, 1);
				bump(c, line, L.C_UNITS, this.#g.classBytes[cls] / L.UNIT_BYTES);
				sampleHighWater(c);
				return handle;
			}
			// Out of budget: a free block of a larger class will do (never a smaller one).
			while (handle < 0) {
				if (++cls >= this.#g.classCount) return NO_BLOCK;
				handle = this.#popClaim(cls);
			}
		}
		// Counted on this object's own line after the claim (counters.ts): no shared write.
		bump(c, line, L.C_HITS, 1);
		bump(c, line, L.C_UNITS, this.#g.classBytes[cls] / L.UNIT_BYTES);
		return handle;
	}

	/** Blocks (Atomics.wait; not on a page's main thread) until a block is free or timeout. */
	acquire(payloadBytes: number, timeoutMs = Infinity): BlockHandle {
		this.sizeClassFor(payloadBytes);
		if (!(timeoutMs >= 0)) throw optionError.badTimeout(timeoutMs);
		return acquireBlocking(this, this.#control, payloadBytes, timeoutMs);
	}

	/** Like acquire() but never blocks the calling thread: for the page's main thread. */
	async acquireAsync(payloadBytes: number, timeoutMs = Infinity): Promise<BlockHandle> {
		this.sizeClassFor(payloadBytes);
		if (!(timeoutMs >= 0)) throw optionError.badTimeout(timeoutMs);
		return acquireNonBlocking(this, this.#control, payloadBytes, timeoutMs);
	}

	/** Adds `count` references (fan-out); false if the handle is stale or not a block. */
	retain(handle: BlockHandle, count = 1): boolean {
		return retainBlock(this.#v, handle, count);
	}

	/** Drops one reference; the last one frees the block. False (and recorded) if refused. */
	release(handle: BlockHandle): boolean {
		return releaseBlock(this.#v, this.#lists, handle);
	}

	/** References held on the block; 0 if the handle is stale or not a block. */
	refCount(handle: BlockHandle): number {
		return refCountOf(this.#v, handle);
	}

	/** The arena holding the block. Does not check the generation; arena 0 for a non-block. */
	bufferOf(handle: BlockHandle): SharedArrayBuffer {
		if (!this.#isCarved(handle)) return this.descriptor.arenas[0];
		// A plain read: T_PLACE is final once published (release.ts, isCarved).
		const place =
			this.#control[L.TABLE_BASE + (handle & BLOCK_ID_MASK) * L.TABLE_STRIDE + L.T_PLACE] - 1;
		return this.descriptor.arenas[place >>> L.PLACE_CLASS_BITS];
	}

	/** Payload offset (64-byte aligned) in bufferOf(handle); -1 for a non-block. */
	offsetOf(handle: BlockHandle): number {
		if (!this.#isCarved(handle)) return -1;
		// A plain read: T_OFFSET is final once T_PLACE is published (release.ts, isCarved).
		const entry = L.TABLE_BASE + (handle & BLOCK_ID_MASK) * L.TABLE_STRIDE;
		return this.#control[entry + L.T_OFFSET] + L.HEADER_BYTES;
	}

	/** Payload bytes of the block's class (minus header and guard); 0 for a non-block. */
	capacityOf(handle: BlockHandle): number {
		if (!this.#isCarved(handle)) return 0;
		return this.#g.classBytes[this.#classOfId(handle & BLOCK_ID_MASK)] - this.#g.overheadBytes;
	}

	stats(): PoolStats {
		const c = this.#control;
		const read = (cell: number) => Atomics.load(c, cell) >>> 0;
		const sums = sumCounters(c);
		return {
			blocksInUse: sums.blocksInUse,
			bytesInUse: sums.unitsInUse * L.UNIT_BYTES,
			highWaterBytes: sampleHighWater(c, sums.unitsInUse) * L.UNIT_BYTES,
			carvedBytes: read(L.CTL_CARVED_UNITS) * L.UNIT_BYTES,
			budgetBytes: this.#g.options.budgetBytes,
			freeListHits: sums.hits,
			freshCarves: sums.carves,
			badReleases: read(L.CTL_BAD_RELEASES),
			budgetWaits: read(L.CTL_BUDGET_WAITS)
		};
	}

	lastError(): string | undefined {
		return describeBadRelease(this.#v);
	}

	/** Guards mode: one line per block whose canary (or header) was overwritten. */
	verifyGuards(): string[] {
		return verifyAll(this.#v);
	}

	/** Wakes every acquire()/acquireAsync() waiter with NO_BLOCK, and keeps answering NO_BLOCK. */
	cancelWaiters(): void {
		cancelWaiters(this.#control);
	}

	/** Lets acquire() wait again after cancelWaiters(). */
	resetCancel(): void {
		resetCancel(this.#control);
	}

	/** Class index for a payload, -1 if no class fits (or not a non-negative number). */
	#classOf(bytes: number): number {
		if (!(bytes >= 0 && bytes <= this.#g.maxPayloadBytes)) return -1;
		const need = Math.ceil(bytes) + this.#g.overheadBytes;
		const min = this.#g.options.minBlockBytes;
		return need <= min ? 0 : 32 - Math.clz32(need - 1) - this.#g.minShift;
	}

	#classOfId(id: number): number {
		const place = Atomics.load(this.#control, L.TABLE_BASE + id * L.TABLE_STRIDE + L.T_PLACE) - 1;
		return place & ((1 << L.PLACE_CLASS_BITS) - 1);
	}

	#isCarved(handle: number): boolean {
		return isCarved(this.#v, handle);
	}

	/** Pops a free block of `cls` and claims it (refcount 0 -> 1); its handle, or -1. */
	#popClaim(cls: number): BlockHandle {
		const c = this.#control;
		for (let attempt = 0; attempt < 64; attempt++) {
			const id = this.#lists.pop(cls);
			if (id < 0) return -1;
			const cell = L.TABLE_BASE + id * L.TABLE_STRIDE + L.T_STATE;
			// A plain read as the CAS's guess: the release that freed the block wrote it before the
			// free-list CAS this pop synchronised with, so it is current unless the list is damaged.
			const s = c[cell];
			// Claim by CAS: only a block that is really free (refcount 0) can be taken.
			if ((s & L.REFCOUNT_MASK) === 0 && Atomics.compareExchange(c, cell, s, s + 1) === s) {
				// The header's generation stamp was written by the release that freed the block
				// (release.ts): writing it here would pull the header line from the releaser's cache.
				return s | id;
			}
		}
		return -1;
	}
}
