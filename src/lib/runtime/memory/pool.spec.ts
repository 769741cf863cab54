import { describe, expect, it } from 'vitest';
import { BLOCK_GEN_MASK, BLOCK_ID_BITS, BLOCK_ID_MASK, NO_BLOCK } from '../contracts';
import { MemoryPool } from './pool';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A small pool: classes 4, 8, 16, 32, 64 KiB. */
function smallPool(budgetBytes = 256 * KiB, guards = false): MemoryPool {
	return MemoryPool.create({ budgetBytes, maxBlockBytes: 64 * KiB, guards });
}

describe('MemoryPool size classes', () => {
	it('maps payload sizes to power-of-two classes that include a 64-byte header', () => {
		const pool = MemoryPool.create({ budgetBytes: 64 * MiB });
		expect(pool.classCount).toBe(13); // 4 KiB .. 16 MiB
		expect(pool.sizeClassFor(0)).toBe(0);
		expect(pool.sizeClassFor(4096 - 64)).toBe(0);
		expect(pool.sizeClassFor(4096 - 63)).toBe(1);
		expect(pool.sizeClassFor(64 * KiB - 64)).toBe(4);
		expect(pool.sizeClassFor(16 * MiB - 64)).toBe(12);
		expect(pool.classCapacity(0)).toBe(4096 - 64);
	});

	it('refuses a payload larger than the largest class with a RangeError', () => {
		const pool = MemoryPool.create({ budgetBytes: 64 * MiB });
		expect(() => pool.sizeClassFor(16 * MiB)).toThrow(RangeError);
		expect(() => pool.sizeClassFor(16 * MiB)).toThrow(/maxBlockBytes/);
		expect(() => pool.sizeClassFor(-1)).toThrow(RangeError);
		expect(pool.tryAcquire(16 * MiB)).toBe(NO_BLOCK);
		expect(() => pool.acquire(16 * MiB, 0)).toThrow(RangeError);
	});

	it('hands out 64-byte-aligned payloads of at least the requested capacity', () => {
		const pool = smallPool(1 * MiB);
		for (const bytes of [1, 100, 4032, 4033, 10_000, 65_472]) {
			const h = pool.tryAcquire(bytes);
			expect(h).not.toBe(NO_BLOCK);
			expect(pool.offsetOf(h) % 64).toBe(0);
			expect(pool.capacityOf(h)).toBeGreaterThanOrEqual(bytes);
			expect(pool.capacityOf(h)).toBe(pool.classCapacity(pool.sizeClassFor(bytes)));
			expect(pool.bufferOf(h)).toBeInstanceOf(SharedArrayBuffer);
			expect(pool.offsetOf(h) + pool.capacityOf(h)).toBeLessThanOrEqual(
				pool.bufferOf(h).byteLength
			);
		}
	});

	it('reserves 8 guard bytes after the payload in guards mode', () => {
		const pool = smallPool(256 * KiB, true);
		expect(pool.classCapacity(0)).toBe(4096 - 64 - 8);
		expect(pool.sizeClassFor(4096 - 64)).toBe(1);
	});

	it('gives every carved block its own bytes', () => {
		const pool = smallPool(2 * MiB);
		const ranges: [number, number][] = [];
		for (let i = 0; i < 40; i++) {
			const h = pool.tryAcquire((i % 5) * 9000);
			expect(h).not.toBe(NO_BLOCK);
			ranges.push([pool.offsetOf(h) - 64, pool.offsetOf(h) + pool.capacityOf(h)]);
		}
		ranges.sort((a, b) => a[0] - b[0]);
		for (let i = 1; i < ranges.length; i++)
			expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
	});
});

describe('MemoryPool option validation', () => {
	it.each([
		[{ budgetBytes: '1' }, TypeError, /budgetBytes must be a number/],
		[
			{ budgetBytes: 1 * MiB },
			RangeError,
			/budgetBytes must be an integer of at least maxBlockBytes/
		],
		[
			{ budgetBytes: 64 * MiB, minBlockBytes: 3000 },
			RangeError,
			/minBlockBytes must be a power of two/
		],
		[{ budgetBytes: 64 * MiB, minBlockBytes: 128 }, RangeError, /minBlockBytes/],
		[
			{ budgetBytes: 64 * MiB, maxBlockBytes: 2 ** 31 },
			RangeError,
			/maxBlockBytes must be a power of two/
		],
		[
			{ budgetBytes: 64 * MiB, minBlockBytes: 8192, maxBlockBytes: 4096 },
			RangeError,
			/maxBlockBytes \(4096\) must be at least minBlockBytes/
		],
		[{ budgetBytes: 64 * MiB, guards: 'yes' }, TypeError, /guards must be a boolean/],
		[{ budgetBytes: 2 ** 40 }, RangeError, /budgetBytes must be at most 64 GiB/],
		[null, TypeError, /pool options must be an object/]
	])('rejects %o with an error naming the option', (options, type, message) => {
		expect(() => MemoryPool.create(options as never)).toThrow(type);
		expect(() => MemoryPool.create(options as never)).toThrow(message);
	});

	it('refuses to attach to a descriptor whose buffers do not match its options', () => {
		const pool = smallPool();
		const { control, arenas, options } = pool.descriptor;
		expect(() =>
			MemoryPool.attach({ control, arenas, options: { ...options, guards: true } })
		).toThrow(/options differ/);
		expect(() => MemoryPool.attach({ control, arenas: [], options })).toThrow(/arenas/);
		expect(() =>
			MemoryPool.attach({ control: new SharedArrayBuffer(control.byteLength), arenas, options })
		).toThrow(/does not hold a memory pool/);
	});
});

describe('MemoryPool reference counts', () => {
	it('frees a block fanned out to three consumers exactly once, after the last release', () => {
		const pool = smallPool();
		const h = pool.tryAcquire(1000);
		expect(pool.refCount(h)).toBe(1);
		expect(pool.retain(h, 2)).toBe(true);
		expect(pool.refCount(h)).toBe(3);
		expect(pool.release(h)).toBe(true);
		expect(pool.release(h)).toBe(true);
		expect(pool.stats().blocksInUse).toBe(1);
		expect(pool.release(h)).toBe(true);
		expect(pool.stats().blocksInUse).toBe(0);
		expect(pool.refCount(h)).toBe(0);
		// A fourth release is refused, counted and explained.
		expect(pool.release(h)).toBe(false);
		expect(pool.stats().badReleases).toBe(1);
		const id = h & BLOCK_ID_MASK;
		expect(pool.lastError()).toBe(
			`release of block ${id} generation 0 refused: double release, the block is already free (now generation 1)`
		);
		// The refused release did not push the block twice: it comes back once, then a carve.
		const again = pool.tryAcquire(1000);
		expect(again & BLOCK_ID_MASK).toBe(id);
		expect(pool.tryAcquire(1000) & BLOCK_ID_MASK).not.toBe(id);
	});

	it('refuses a stale handle once its block was reused, and leaves the new owner alone', () => {
		const pool = smallPool();
		const old = pool.tryAcquire(1000);
		pool.release(old);
		const reused = pool.tryAcquire(1000);
		expect(reused & BLOCK_ID_MASK).toBe(old & BLOCK_ID_MASK);
		expect(reused >>> BLOCK_ID_BITS).toBe(1);
		expect(pool.retain(old)).toBe(false);
		expect(pool.refCount(old)).toBe(0);
		expect(pool.release(old)).toBe(false);
		expect(pool.lastError()).toMatch(
			/block \d+ generation 0 refused: stale handle.*now generation 1/
		);
		expect(pool.refCount(reused)).toBe(1);
		expect(pool.release(reused)).toBe(true);
	});

	it('refuses garbage handles without touching any block', () => {
		const pool = smallPool();
		const h = pool.tryAcquire(10);
		for (const bad of [NO_BLOCK, 1.5, NaN, 2 ** 31, 12345, (3 << BLOCK_ID_BITS) | 7]) {
			expect(pool.release(bad)).toBe(false);
			expect(pool.capacityOf(bad)).toBe(0);
			expect(pool.offsetOf(bad)).toBe(-1);
		}
		expect(pool.lastError()).toMatch(/not a block handle/);
		expect(pool.stats().badReleases).toBe(6);
		expect(pool.refCount(h)).toBe(1);
		expect(pool.stats().blocksInUse).toBe(1);
	});

	it('wraps generations at BLOCK_GEN_MASK and keeps handles non-negative', () => {
		const pool = smallPool();
		let h = pool.tryAcquire(10);
		for (let i = 0; i < BLOCK_GEN_MASK + 1; i++) {
			expect(h).toBeGreaterThanOrEqual(0);
			pool.release(h);
			h = pool.tryAcquire(10);
		}
		expect(h >>> BLOCK_ID_BITS).toBe(0);
		expect(pool.stats().badReleases).toBe(0);
	});
});

describe('MemoryPool budget', () => {
	it('returns NO_BLOCK when the budget is carved and in use, without growing any buffer', () => {
		const pool = smallPool(256 * KiB);
		const before = pool.descriptor.arenas.map((a) => a.byteLength);
		const held: number[] = [];
		for (let h = pool.tryAcquire(4000); h !== NO_BLOCK; h = pool.tryAcquire(4000)) held.push(h);
		expect(held.length).toBe(64);
		expect(pool.stats().carvedBytes).toBe(256 * KiB);
		expect(pool.tryAcquire(60_000)).toBe(NO_BLOCK);
		expect(pool.descriptor.arenas.map((a) => a.byteLength)).toEqual(before);
		expect(pool.stats()).toMatchObject({
			blocksInUse: 64,
			bytesInUse: 256 * KiB,
			highWaterBytes: 256 * KiB
		});
	});

	it('serves a small request from a free larger block once carving is out of budget, never the reverse', () => {
		const pool = smallPool(128 * KiB);
		const big = pool.tryAcquire(60_000); // 64 KiB
		const small: number[] = [];
		for (let h = pool.tryAcquire(4000); h !== NO_BLOCK; h = pool.tryAcquire(4000)) small.push(h);
		expect(small.length).toBe(16);
		pool.release(small[0]);
		expect(pool.tryAcquire(10_000)).toBe(NO_BLOCK); // a free 4 KiB block cannot hold 10 KB
		pool.release(big);
		const h = pool.tryAcquire(10_000);
		expect(h & BLOCK_ID_MASK).toBe(big & BLOCK_ID_MASK);
		expect(pool.capacityOf(h)).toBe(64 * KiB - 64);
	});

	it('times out a blocking acquire with NO_BLOCK and counts the wait', () => {
		const pool = smallPool(64 * KiB);
		expect(pool.tryAcquire(60_000)).not.toBe(NO_BLOCK);
		expect(pool.acquire(60_000, 20)).toBe(NO_BLOCK);
		expect(pool.stats().budgetWaits).toBe(1);
	});

	it('returns NO_BLOCK from acquire after cancelWaiters until resetCancel', async () => {
		const pool = smallPool(64 * KiB);
		pool.cancelWaiters();
		expect(pool.acquire(10, 1000)).toBe(NO_BLOCK);
		expect(await pool.acquireAsync(10, 1000)).toBe(NO_BLOCK);
		expect(pool.tryAcquire(10)).not.toBe(NO_BLOCK);
		pool.resetCancel();
		expect(pool.acquire(10, 1000)).not.toBe(NO_BLOCK);
	});
});

describe('MemoryPool guards', () => {
	it('refuses the release of a block written past its capacity and reports it', () => {
		const pool = smallPool(256 * KiB, true);
		const h = pool.tryAcquire(32 * KiB);
		const ok = pool.tryAcquire(100);
		const bytes = new Uint8Array(pool.bufferOf(h), pool.offsetOf(h), pool.capacityOf(h) + 3);
		bytes.fill(0x11);
		expect(pool.verifyGuards()).toEqual([
			`block ${h & BLOCK_ID_MASK} (64 KiB class): 3 guard bytes overwritten`
		]);
		expect(pool.release(h)).toBe(false);
		expect(pool.lastError()).toMatch(
			/block \d+ generation 0 \(64 KiB class\) refused: 3 guard bytes/
		);
		expect(pool.stats().badReleases).toBe(1);
		expect(pool.release(ok)).toBe(true);
	});

	it('refuses the release of a block whose header was overwritten', () => {
		const pool = smallPool(256 * KiB);
		const a = pool.tryAcquire(100);
		const b = pool.tryAcquire(100);
		// Write 4 bytes past a's payload: that is b's header (no guards in this pool).
		new Uint8Array(pool.bufferOf(a), pool.offsetOf(a), pool.capacityOf(a) + 4).fill(0);
		expect(pool.release(b)).toBe(false);
		expect(pool.lastError()).toMatch(/header was overwritten/);
		expect(pool.verifyGuards()).toEqual([
			`block ${b & BLOCK_ID_MASK} (4 KiB class): header overwritten`
		]);
	});
});
