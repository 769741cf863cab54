import { describe, expect, it } from 'vitest';
import { NO_BLOCK } from '../contracts';
import { acquireBlocking } from './acquire-wait';
import { CTL_RELEASE_SEQ, CTL_WAITERS } from './layout';
import { MemoryPool } from './pool';

const KiB = 1024;

/** A pool with room for one 64 KiB block, already taken; `control` is its control cells. */
function fullPool() {
	const pool = MemoryPool.create({ budgetBytes: 64 * KiB, maxBlockBytes: 64 * KiB });
	const held = pool.tryAcquire(60_000);
	return { pool, held, control: new Int32Array(pool.descriptor.control) };
}

describe('acquire waits without losing a wake-up (forced interleavings, one thread)', () => {
	it('a release with nobody waiting touches neither the sequence nor the waiter count', () => {
		const { pool, held, control } = fullPool();
		pool.release(held);
		expect([control[CTL_RELEASE_SEQ], control[CTL_WAITERS]]).toEqual([0, 0]);
	});

	it('a release between the announcement and the second try is seen by that try', () => {
		const { pool, held, control } = fullPool();
		let tries = 0;
		const source = {
			tryAcquire(bytes: number) {
				// 1. First try: pool empty. 2. The waiter announces itself, reads the sequence.
				// 3. The release lands now, with the waiter counted: it bumps the sequence.
				if (++tries === 2) {
					expect(control[CTL_WAITERS]).toBe(1);
					pool.release(held);
				}
				// 4. The second try finds the block: no wait at all.
				return pool.tryAcquire(bytes);
			}
		};
		expect(acquireBlocking(source, control, 60_000, 10_000)).not.toBe(NO_BLOCK);
		expect(tries).toBe(2);
		expect(control[CTL_WAITERS]).toBe(0);
	});

	it('a release after the second try bumps the sequence, so the wait returns at once', () => {
		const { pool, held, control } = fullPool();
		let tries = 0;
		const source = {
			tryAcquire(bytes: number) {
				const handle = pool.tryAcquire(bytes);
				// 1. First try fails. 2. Announce, read the sequence. 3. Second try fails (above).
				// 4. The release lands before the wait: the waiter is counted, so it bumps.
				if (++tries === 2) pool.release(held);
				return handle;
			}
		};
		// 5. Atomics.wait sees the sequence moved ('not-equal'); the third try gets the block.
		// A lost wake-up would wait the whole 10 s and answer NO_BLOCK.
		expect(acquireBlocking(source, control, 60_000, 10_000)).not.toBe(NO_BLOCK);
		expect(tries).toBe(3);
		expect(control[CTL_RELEASE_SEQ]).toBe(1);
	});

	it('a cancel that lands while the waiter is announced ends the wait with NO_BLOCK', () => {
		const { pool, control } = fullPool();
		let tries = 0;
		const source = {
			tryAcquire(bytes: number) {
				if (++tries === 2) pool.cancelWaiters();
				return pool.tryAcquire(bytes);
			}
		};
		expect(acquireBlocking(source, control, 60_000, 10_000)).toBe(NO_BLOCK);
		expect(control[CTL_WAITERS]).toBe(0);
	});
});
