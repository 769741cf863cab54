import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_ID_BITS, BLOCK_ID_MASK, NO_BLOCK } from '../contracts';
import { MemoryPool } from './pool';
import type { PoolJob } from './testing/pool-worker';
import { runStress, type StressReport } from './testing/stress';

const KiB = 1024;
const BOOTSTRAP = new URL('../../../workers/node-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./testing/pool-worker.ts', import.meta.url).href;

const started: Worker[] = [];
afterEach(async () => {
	await Promise.all(started.splice(0).map((w) => w.terminate()));
});

/** Starts a worker on `pool` doing `job`; resolves with what it posts. */
function inWorker<T>(pool: MemoryPool, job: PoolJob): Promise<T> {
	const worker = new Worker(BOOTSTRAP, {
		workerData: { entry: ENTRY, descriptor: pool.descriptor, ...job }
	});
	started.push(worker);
	return new Promise<T>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
		worker.once('exit', (code) => reject(new Error(`pool worker exited with ${code}`)));
	});
}

/** Resolves once some thread has started waiting for budget (polls the shared counter). */
async function untilSomeoneWaits(pool: MemoryPool, waits = 1): Promise<void> {
	while (pool.stats().budgetWaits < waits) await new Promise((r) => setTimeout(r, 5));
}

/** A pool whose whole 64 KiB budget is one block the main thread holds. */
function fullPool(): { pool: MemoryPool; held: number } {
	const pool = MemoryPool.create({ budgetBytes: 64 * KiB, maxBlockBytes: 64 * KiB });
	const held = pool.tryAcquire(60_000);
	expect(pool.tryAcquire(10)).toBe(NO_BLOCK);
	return { pool, held };
}

describe('MemoryPool across threads', () => {
	it('parks a worker in acquire() until the main thread releases, then hands it that block', async () => {
		const { pool, held } = fullPool();
		const got = inWorker<number>(pool, { job: 'acquire', bytes: 1000, timeoutMs: 20_000 });
		await untilSomeoneWaits(pool);
		expect(pool.release(held)).toBe(true);
		const handle = await got;
		expect(handle & BLOCK_ID_MASK).toBe(held & BLOCK_ID_MASK);
		expect(handle >>> BLOCK_ID_BITS).toBe((held >>> BLOCK_ID_BITS) + 1);
		expect(pool.refCount(handle)).toBe(1);
		expect(pool.stats()).toMatchObject({ budgetWaits: 1, blocksInUse: 1 });
	});

	it('returns NO_BLOCK from a worker’s acquire() when its timeout passes', async () => {
		const { pool } = fullPool();
		expect(await inWorker<number>(pool, { job: 'acquire', bytes: 1000, timeoutMs: 30 })).toBe(
			NO_BLOCK
		);
		expect(pool.stats().budgetWaits).toBe(1);
	});

	it('wakes a worker blocked without a timeout when cancelWaiters is called', async () => {
		const { pool } = fullPool();
		const got = inWorker<number>(pool, { job: 'acquire', bytes: 1000, timeoutMs: Infinity });
		await untilSomeoneWaits(pool);
		pool.cancelWaiters();
		// Without the wake-up this would hang until the test times out.
		expect(await got).toBe(NO_BLOCK);
		expect(pool.stats().blocksInUse).toBe(1);
	});

	it('resolves acquireAsync on the main thread after a worker releases', async () => {
		const { pool, held } = fullPool();
		const pending = pool.acquireAsync(1000, 20_000);
		let settled = false;
		void pending.then(() => (settled = true));
		await new Promise((r) => setTimeout(r, 20));
		expect(settled).toBe(false);
		expect(await inWorker<boolean>(pool, { job: 'release', handle: held })).toBe(true);
		const handle = await pending;
		expect(handle & BLOCK_ID_MASK).toBe(held & BLOCK_ID_MASK);
		expect(pool.stats().budgetWaits).toBe(1);
	});

	it('wakes a pending acquireAsync with NO_BLOCK on cancelWaiters', async () => {
		const { pool } = fullPool();
		const pending = pool.acquireAsync(1000);
		await untilSomeoneWaits(pool);
		pool.cancelWaiters();
		expect(await pending).toBe(NO_BLOCK);
	});

	it('survives 200k acquire/fill/verify/release cycles on two workers and the main thread', async () => {
		const seed = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
		const pool = MemoryPool.create({
			budgetBytes: 192 * KiB,
			minBlockBytes: 256,
			maxBlockBytes: 16 * KiB,
			guards: true
		});
		// Carve one block of every class first (largest first), so any request can be met
		// once the others release: see the deadlock note in testing/stress.ts.
		const warm = [];
		for (let c = pool.classCount - 1; c >= 0; c--)
			warm.push(pool.tryAcquire(pool.classCapacity(c)));
		warm.forEach((h) => pool.release(h));
		const maxHeld = 6;
		const workers = [1, 2].map((thread) =>
			inWorker<StressReport>(pool, {
				job: 'stress',
				seed: seed + thread,
				thread,
				cycles: 70_000,
				maxHeld
			})
		);
		const mine = runStress(pool, { seed, thread: 0, cycles: 60_000, maxHeld });
		const reports = [mine, ...(await Promise.all(workers))];
		const why = `seed ${seed}: ${JSON.stringify(reports)}`;
		for (const r of reports) {
			expect(r.firstMismatch, why).toBe('');
			expect(r.mismatches, why).toBe(0);
			expect(r.refusedReleases, why).toBe(0);
			expect(r.timeouts, why).toBe(0);
		}
		expect(
			reports.reduce((n, r) => n + r.cycles, 0),
			why
		).toBe(200_000);
		expect(pool.verifyGuards(), why).toEqual([]);
		const stats = pool.stats();
		expect(stats, why).toMatchObject({ blocksInUse: 0, bytesInUse: 0, badReleases: 0 });
		expect(stats.carvedBytes, why).toBeLessThanOrEqual(stats.budgetBytes);
		expect(stats.freeListHits / (stats.freeListHits + stats.freshCarves), why).toBeGreaterThan(
			0.99
		);
		// The free lists are whole: taking blocks until none is left yields every carved block once.
		const ids = new Set<number>();
		let taken = 0;
		for (let h = pool.tryAcquire(1); h !== NO_BLOCK; h = pool.tryAcquire(1)) {
			ids.add(h & BLOCK_ID_MASK);
			taken++;
		}
		expect(taken, why).toBe(ids.size);
		expect(ids.size, why).toBe(pool.stats().freshCarves);
		expect(pool.stats().carvedBytes, why).toBeGreaterThan(stats.budgetBytes - 16 * KiB);
	});
});
