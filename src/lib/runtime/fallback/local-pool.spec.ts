import { describe, expect, it } from 'vitest';
import { NO_BLOCK } from '../contracts';
import { LocalPool } from './local-pool';

const KiB = 1024;

describe('LocalPool', () => {
	it('carves blocks up to its budget, then refuses until one is released, and reuses it', () => {
		const pool = new LocalPool({ budgetBytes: 16 * KiB, maxBlockBytes: 16 * KiB });
		const blocks = [0, 1, 2, 3].map(() => pool.tryAcquire(4000));
		expect(blocks).not.toContain(NO_BLOCK);
		expect(pool.tryAcquire(4000)).toBe(NO_BLOCK);
		expect(pool.release(blocks[2])).toBe(true);
		const again = pool.tryAcquire(100);
		expect(again).not.toBe(NO_BLOCK);
		expect(pool.bufferOf(again)).toBe(pool.bufferOf(blocks[2]));
		expect(pool.stats()).toMatchObject({
			blocksInUse: 4,
			carvedBytes: 16 * KiB,
			freshCarves: 4,
			freeListHits: 1,
			budgetWaits: 1
		});
	});

	it('serves a small request from a free larger block when the budget is all carved', () => {
		const pool = new LocalPool({ budgetBytes: 16 * KiB, maxBlockBytes: 16 * KiB });
		const big = pool.tryAcquire(10 * KiB);
		expect(pool.capacityOf(big)).toBe(16 * KiB);
		pool.release(big);
		const small = pool.tryAcquire(10);
		expect(pool.capacityOf(small)).toBe(16 * KiB);
		expect(pool.tryAcquire(17 * KiB)).toBe(NO_BLOCK);
	});

	it('refuses a stale or double release and counts it, without freeing the reused block', () => {
		const pool = new LocalPool({ budgetBytes: 4 * KiB });
		const first = pool.tryAcquire(8);
		pool.release(first);
		const second = pool.tryAcquire(8);
		expect(second & 0xfffff).toBe(first & 0xfffff);
		expect(pool.release(first)).toBe(false);
		expect(pool.refCount(second)).toBe(1);
		expect(pool.stats().badReleases).toBe(1);
	});

	it('keeps a detached block in use and away until its buffer is reattached and released', () => {
		const pool = new LocalPool({ budgetBytes: 8 * KiB });
		const block = pool.tryAcquire(8);
		const buffer = pool.detach(block)!;
		expect(buffer.byteLength).toBe(4 * KiB);
		expect(pool.bufferOf(block).byteLength).toBe(0);
		expect(pool.detach(block)).toBeNull();
		expect(pool.stats()).toMatchObject({ blocksInUse: 1, blocksAway: 1 });
		expect(pool.reattach(block, buffer)).toBe(true);
		pool.release(block);
		expect(pool.stats()).toMatchObject({ blocksInUse: 0, blocksAway: 0 });
	});

	it('sends an adopted buffer home with its token on the last release, and reuses the id', () => {
		const pool = new LocalPool({ budgetBytes: 4 * KiB });
		const home: [number, ArrayBuffer][] = [];
		const path = { giveBack: (token: number, buffer: ArrayBuffer) => home.push([token, buffer]) };
		const buffer = new ArrayBuffer(64);
		const block = pool.adopt(buffer, path, 77);
		expect(pool.bufferOf(block)).toBe(buffer);
		pool.retain(block, 1);
		pool.release(block);
		expect(home).toEqual([]);
		expect(pool.stats().adoptedInUse).toBe(1);
		pool.release(block);
		expect(home).toEqual([[77, buffer]]);
		expect(pool.stats().adoptedInUse).toBe(0);
		const next = pool.adopt(new ArrayBuffer(8), path, 78);
		expect(next & 0xfffff).toBe(block & 0xfffff);
		expect(next).not.toBe(block);
		// Adopted blocks are another pool's: they never count against this one's budget.
		expect(pool.stats().blocksInUse).toBe(0);
	});

	it('names the option when set up wrongly', () => {
		expect(() => new LocalPool({ budgetBytes: 100 })).toThrow(/budgetBytes must be at least/);
		expect(() => new LocalPool({ budgetBytes: 1 << 20, maxBlockBytes: 5000 })).toThrow(
			/maxBlockBytes must be a power of two/
		);
	});
});
