// The fallback's block pool: one per worker thread, over ordinary ArrayBuffers, for pages
// without SharedArrayBuffer. It has the methods stages use of the shared MemoryPool
// (StagePool), so StageRunner and the kernels cannot tell the two apart.
//
// Threads: one. Nothing here is shared; a block is one whole ArrayBuffer (payload at offset 0)
// that exists in exactly one thread at a time. Handing a block to another thread *transfers*
// its buffer (postMessage with a transfer list): the buffer is gone from this thread until it
// is transferred back. There are no Atomics and nothing here ever blocks.
//
// Two kinds of blocks sit in the table, both addressed by handles `(generation << 20) | id`:
//  - owned: carved by this pool's tryAcquire, counted against its budget, kept forever in a
//    per-size-class free list once released. While an owned block is away (`detach`) it keeps
//    the reference the ring took; the ring's acknowledgement gives the buffer back
//    (`reattach`) and drops that reference. So the budget bounds the bytes a producer has out
//    in flight as well as those it holds: that is the fallback's backpressure.
//  - adopted: a buffer another thread's pool owns, received from a ring (`adopt`). Its last
//    release sends the buffer home through the ReturnPath it arrived with, and frees the id.
// Releasing the last reference bumps the generation, so a stale handle is refused (and
// counted in badReleases) rather than freeing a block that was reused.
//
// Allocation: carving a block allocates its ArrayBuffer; adopting or freeing an id may grow
// the table arrays. tryAcquire from a free list, retain, release, bufferOf, offsetOf and
// capacityOf allocate nothing and never throw.
import { BLOCK_GEN_MASK, BLOCK_ID_BITS, BLOCK_ID_MASK, NO_BLOCK } from '../contracts';
import type { BlockHandle, PoolStats } from '../contracts';
import type { StagePool } from '../scheduler/kernel';

/** Where an adopted block goes when its last reference is dropped. */
export interface ReturnPath {
	giveBack(token: number, buffer: ArrayBuffer): void;
}

export interface LocalPoolOptions {
	/** Bytes of owned blocks this pool may carve in all, at home and in flight. */
	budgetBytes: number;
	/** Smallest size class (power of two, default 4096). */
	minBlockBytes?: number;
	/** Largest size class (power of two, default 16 MiB). */
	maxBlockBytes?: number;
}

export interface LocalPoolStats extends PoolStats {
	/** Adopted blocks (other threads' buffers) still held here. */
	adoptedInUse: number;
	/** Owned blocks whose buffer is away in another thread now. */
	blocksAway: number;
}

const ADOPTED = -1;
const MAX_IDS = BLOCK_ID_MASK + 1;
const EMPTY = new ArrayBuffer(0);

export class LocalPool implements StagePool {
	readonly budgetBytes: number;
	readonly minBlockBytes: number;
	readonly maxBlockBytes: number;
	private readonly minShift: number;
	private readonly buffers: (ArrayBuffer | null)[] = [];
	private readonly refs: number[] = [];
	private readonly gens: number[] = [];
	/** Size class of an owned block, ADOPTED for an adopted one. */
	private readonly classes: number[] = [];
	private readonly returns: (ReturnPath | null)[] = [];
	private readonly tokens: number[] = [];
	/** Per size class, ids of owned blocks at home with no reference. */
	private readonly free: number[][] = [];
	/** Ids of table rows not in use (adopted blocks that went home). */
	private readonly spareIds: number[] = [];
	private carved = 0;
	private inUseBytes = 0;
	private highWater = 0;
	private inUse = 0;
	private adopted = 0;
	private away = 0;
	private hits = 0;
	private carves = 0;
	private bad = 0;
	private waits = 0;
	private refusedSinceGrant = false;

	constructor(options: LocalPoolOptions) {
		const { budgetBytes, minBlockBytes = 4096, maxBlockBytes = 16 << 20 } = options;
		for (const [name, v] of [
			['minBlockBytes', minBlockBytes],
			['maxBlockBytes', maxBlockBytes]
		] as const) {
			if (!Number.isInteger(v) || v < 8 || (v & (v - 1)) !== 0)
				throw new RangeError(`${name} must be a power of two of at least 8, got ${v}`);
		}
		if (maxBlockBytes < minBlockBytes)
			throw new RangeError('maxBlockBytes must be at least minBlockBytes');
		if (!Number.isFinite(budgetBytes) || budgetBytes < minBlockBytes)
			throw new RangeError(`budgetBytes must be at least ${minBlockBytes}, got ${budgetBytes}`);
		this.budgetBytes = budgetBytes;
		this.minBlockBytes = minBlockBytes;
		this.maxBlockBytes = maxBlockBytes;
		this.minShift = 31 - Math.clz32(minBlockBytes);
		for (let c = 0; c <= 31 - Math.clz32(maxBlockBytes) - this.minShift; c++) this.free.push([]);
	}

	// StagePool ----------------------------------------------------------------------------

	largestPayload(): number {
		return this.maxBlockBytes;
	}

	tryAcquire(payloadBytes: number): BlockHandle {
		const cls = this.classOf(payloadBytes);
		if (cls < 0) return NO_BLOCK;
		let id = this.free[cls].pop();
		if (id !== undefined) this.hits++;
		else if (
			this.carved + this.classBytes(cls) <= this.budgetBytes &&
			this.buffers.length < MAX_IDS
		)
			id = this.carve(cls);
		else {
			// A free block of a larger class serves too (a smaller one never can).
			for (let c = cls + 1; c < this.free.length && id === undefined; c++) id = this.free[c].pop();
			if (id === undefined) {
				this.refusedSinceGrant = true;
				return NO_BLOCK;
			}
			this.hits++;
		}
		if (this.refusedSinceGrant) {
			this.waits++;
			this.refusedSinceGrant = false;
		}
		this.refs[id] = 1;
		this.inUse++;
		this.inUseBytes += this.classBytes(this.classes[id]);
		if (this.inUseBytes > this.highWater) this.highWater = this.inUseBytes;
		return this.handleOf(id);
	}

	retain(handle: BlockHandle, count = 1): boolean {
		const id = this.live(handle);
		if (id < 0 || !(count >= 0)) return false;
		this.refs[id] += count;
		return true;
	}

	release(handle: BlockHandle): boolean {
		const id = this.live(handle);
		if (id < 0) {
			this.bad++;
			return false;
		}
		if (--this.refs[id] > 0) return true;
		this.gens[id] = (this.gens[id] + 1) & BLOCK_GEN_MASK;
		const cls = this.classes[id];
		if (cls !== ADOPTED) {
			this.inUse--;
			this.inUseBytes -= this.classBytes(cls);
			this.free[cls].push(id);
			return true;
		}
		const buffer = this.buffers[id];
		const path = this.returns[id];
		this.buffers[id] = null;
		this.returns[id] = null;
		this.adopted--;
		this.spareIds.push(id);
		if (buffer && path) path.giveBack(this.tokens[id], buffer);
		return true;
	}

	refCount(handle: BlockHandle): number {
		const id = this.live(handle);
		return id < 0 ? 0 : this.refs[id];
	}

	bufferOf(handle: BlockHandle): ArrayBuffer {
		const id = handle & BLOCK_ID_MASK;
		return this.buffers[id] ?? EMPTY;
	}

	offsetOf(handle: BlockHandle): number {
		return this.buffers[handle & BLOCK_ID_MASK] ? 0 : -1;
	}

	capacityOf(handle: BlockHandle): number {
		return this.buffers[handle & BLOCK_ID_MASK]?.byteLength ?? 0;
	}

	// Moving blocks between threads ------------------------------------------------------

	/**
	 * Takes a live block's buffer out for transfer; its references stay (the one the ring
	 * holds is dropped when the buffer comes back). Null if the handle is stale or away.
	 */
	detach(handle: BlockHandle): ArrayBuffer | null {
		const id = this.live(handle);
		const buffer = id < 0 ? null : this.buffers[id];
		if (!buffer) return null;
		this.buffers[id] = null;
		if (this.classes[id] !== ADOPTED) this.away++;
		return buffer;
	}

	/** Puts a transferred-back buffer in place; false if the handle is stale or not away. */
	reattach(handle: BlockHandle, buffer: ArrayBuffer): boolean {
		const id = this.live(handle);
		if (id < 0 || this.buffers[id] !== null) return false;
		this.buffers[id] = buffer;
		if (this.classes[id] !== ADOPTED) this.away--;
		return true;
	}

	/** A block over a buffer another thread owns; its last release calls `path.giveBack(token)`. */
	adopt(buffer: ArrayBuffer, path: ReturnPath, token: number): BlockHandle {
		let id = this.spareIds.pop();
		if (id === undefined) {
			id = this.buffers.length;
			if (id >= MAX_IDS) throw new RangeError(`a pool holds at most ${MAX_IDS} blocks`);
			this.pushRow(ADOPTED);
		}
		this.classes[id] = ADOPTED;
		this.buffers[id] = buffer;
		this.returns[id] = path;
		this.tokens[id] = token;
		this.refs[id] = 1;
		this.adopted++;
		return this.handleOf(id);
	}

	stats(): LocalPoolStats {
		return {
			blocksInUse: this.inUse,
			bytesInUse: this.inUseBytes,
			highWaterBytes: this.highWater,
			carvedBytes: this.carved,
			budgetBytes: this.budgetBytes,
			freeListHits: this.hits,
			freshCarves: this.carves,
			badReleases: this.bad,
			budgetWaits: this.waits,
			adoptedInUse: this.adopted,
			blocksAway: this.away
		};
	}

	// Private ------------------------------------------------------------------------------

	private carve(cls: number): number {
		const id = this.buffers.length;
		this.pushRow(cls);
		this.buffers[id] = new ArrayBuffer(this.classBytes(cls));
		this.carved += this.classBytes(cls);
		this.carves++;
		return id;
	}

	private pushRow(cls: number): void {
		this.buffers.push(null);
		this.refs.push(0);
		this.gens.push(0);
		this.classes.push(cls);
		this.returns.push(null);
		this.tokens.push(0);
	}

	private classBytes(cls: number): number {
		return 1 << (cls + this.minShift);
	}

	/** Size class for a payload, -1 if none fits. */
	private classOf(bytes: number): number {
		if (!(bytes >= 0 && bytes <= this.maxBlockBytes)) return -1;
		const need = Math.ceil(bytes);
		return need <= this.minBlockBytes ? 0 : 32 - Math.clz32(need - 1) - this.minShift;
	}

	private handleOf(id: number): BlockHandle {
		return ((this.gens[id] << BLOCK_ID_BITS) | id) >>> 0;
	}

	/** The id of a handle that is current and referenced, else -1. */
	private live(handle: BlockHandle): number {
		if (!(handle >= 0)) return -1;
		const id = handle & BLOCK_ID_MASK;
		if (id >= this.refs.length || this.refs[id] <= 0) return -1;
		return handle >>> BLOCK_ID_BITS === this.gens[id] ? id : -1;
	}
}
