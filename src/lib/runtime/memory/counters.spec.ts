import { describe, expect, it } from 'vitest';
import { NO_BLOCK } from '../contracts';
import { COUNTER_LINES, CTL_COUNTERS, LINE_INTS } from './layout';
import { MemoryPool } from './pool';

const KiB = 1024;

/** A pool of 4 .. 64 KiB classes and a second object attached to it (as another thread would). */
function twoObjects(budgetBytes = 256 * KiB) {
	const pool = MemoryPool.create({ budgetBytes, maxBlockBytes: 64 * KiB });
	return { pool, other: MemoryPool.attach(pool.descriptor) };
}

describe('MemoryPool counters (one line per pool object)', () => {
	it('sums acquisitions and releases made through different objects into one picture', () => {
		const { pool, other } = twoObjects();
		const a = pool.tryAcquire(4000); // carve, 4 KiB class
		const b = pool.tryAcquire(30_000); // carve, 32 KiB class
		other.release(a); // released by "the other thread"
		expect(pool.tryAcquire(100)).not.toBe(NO_BLOCK); // a again, from the free list
		for (const view of [pool, other]) {
			expect(view.stats()).toMatchObject({
				blocksInUse: 2,
				bytesInUse: 36 * KiB,
				freeListHits: 1,
				freshCarves: 2,
				highWaterBytes: 36 * KiB
			});
		}
		other.release(b);
		expect(pool.stats()).toMatchObject({ blocksInUse: 1, bytesInUse: 4 * KiB });
	});

	it('writes each object’s hot counters on its own line, never on another object’s', () => {
		const { pool, other } = twoObjects();
		const cells = new Int32Array(pool.descriptor.control);
		const line = (n: number) => [
			...cells.subarray(CTL_COUNTERS + n * LINE_INTS, CTL_COUNTERS + (n + 1) * LINE_INTS)
		];
		const before = line(0).join();
		for (let i = 0; i < 100; i++) other.release(other.tryAcquire(4000));
		expect(line(0).join()).toBe(before); // the creator's line: untouched
		expect(line(1).some((c) => c !== 0)).toBe(true);
	});

	it('stays exact when more objects attach than there are counter lines (they share the last)', () => {
		const { pool } = twoObjects(1024 * KiB);
		const objects = Array.from({ length: COUNTER_LINES + 5 }, () =>
			MemoryPool.attach(pool.descriptor)
		);
		const held = objects.map((o) => o.tryAcquire(4000));
		expect(pool.stats()).toMatchObject({
			blocksInUse: objects.length,
			freshCarves: objects.length
		});
		held.forEach((h, i) => objects[(i + 7) % objects.length].release(h));
		expect(pool.stats()).toMatchObject({ blocksInUse: 0, bytesInUse: 0 });
	});

	it('keeps the high-water mark after the blocks come back', () => {
		const { pool, other } = twoObjects();
		const held = [1, 2, 3].map(() => pool.tryAcquire(60_000));
		held.forEach((h) => other.release(h));
		expect(pool.stats()).toMatchObject({ bytesInUse: 0, highWaterBytes: 192 * KiB });
	});
});
