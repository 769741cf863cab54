import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/prng';
import { chain, expectedSum, MiB, source, stage } from '../testing/plans';
import { createNodeWorkerPool } from './node-pool';
import { Run, type PhysicalPlan } from './run';
import type { WorkerPool } from './worker-pool';
import { TEST_KERNEL } from './test-kernels';

describe('runs on a pool of Node worker_threads', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(3);
	});
	afterAll(async () => pool.shutdown());

	it('moves every row of a chain across three workers exactly once, in order', async () => {
		const plan = chain([
			source(400, 1000, 0),
			stage('increment', TEST_KERNEL.increment, 1),
			stage('pass', TEST_KERNEL.pass, 1),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new Run(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('done');
		if (outcome.status !== 'done') return;
		expect(outcome.results.get(3)).toEqual({
			batches: 400,
			rows: 400_000,
			sum: expectedSum(400, 1000, 1),
			outOfOrder: 0,
			corrupt: 0
		});
		expect(run.leakedBlocks()).toBe(0);
	});

	it('leaves no timer pending once a run has returned, so a headless process can exit', async () => {
		// Every timeout or interval the run starts must have fired or been cleared by the time
		// start() resolves: a pending one keeps Node's event loop (and `sluice run`) alive.
		const pending = new Set<unknown>();
		const real = { setTimeout, clearTimeout, setInterval, clearInterval };
		globalThis.setTimeout = ((fn: () => void, ms?: number) => {
			const handle = real.setTimeout(() => {
				pending.delete(handle);
				fn();
			}, ms);
			pending.add(handle);
			return handle;
		}) as typeof setTimeout;
		globalThis.setInterval = ((fn: () => void, ms?: number) => {
			const handle = real.setInterval(fn, ms);
			pending.add(handle);
			return handle;
		}) as typeof setInterval;
		const clear = (handle: ReturnType<typeof setTimeout> | undefined) => {
			pending.delete(handle);
			real.clearTimeout(handle);
		};
		globalThis.clearTimeout = clear as typeof clearTimeout;
		globalThis.clearInterval = clear as typeof clearInterval;
		try {
			const run = new Run(
				pool,
				chain([source(20, 100, 0), stage('verify', TEST_KERNEL.verify, 1, {}, true)])
			);
			expect(await run.start()).toMatchObject({ status: 'done' });
			expect(pending.size).toBe(0);
		} finally {
			Object.assign(globalThis, real);
		}
	});

	it('fans one output out to three consumers and frees each block once, after the last', async () => {
		const stages = [
			source(200, 500, 0),
			stage('a', TEST_KERNEL.verify, 1, {}, true),
			stage('b', TEST_KERNEL.verify, 2, {}, true),
			stage('c', TEST_KERNEL.sleep, 2, { ms: 0 }, true)
		];
		const plan: PhysicalPlan = {
			stages,
			rings: [1, 2, 3].map((to) => ({
				name: `source → ${stages[to].name}`,
				from: { stage: 0, port: 0 },
				to: { stage: to, port: 0 },
				capacity: 4
			})),
			budgetBytes: 16 * MiB,
			batchRows: 500
		};
		const run = new Run(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('done');
		if (outcome.status !== 'done') return;
		for (const sink of [1, 2]) {
			expect(outcome.results.get(sink)).toMatchObject({ rows: 100_000, outOfOrder: 0 });
		}
		const stats = run.memory.stats();
		expect(stats.badReleases).toBe(0);
		expect(stats.blocksInUse).toBe(0);
	});

	it('makes a producer wait when the memory budget is spent, without deadlock', async () => {
		// 256 KiB of budget holds only a few 16 KiB blocks; the slow sink paces the source.
		const plan = chain(
			[
				source(60, 4000, 0),
				stage('slow', TEST_KERNEL.sleep, 1, { ms: 1 }, false),
				stage('verify', TEST_KERNEL.verify, 2, {}, true)
			],
			64,
			256 * 1024
		);
		const run = new Run(pool, plan);
		const outcome = await run.start();
		expect(outcome).toMatchObject({ status: 'done' });
		if (outcome.status !== 'done') return;
		expect(outcome.results.get(2)).toMatchObject({ rows: 240_000, outOfOrder: 0, corrupt: 0 });
		expect(run.memory.stats().budgetWaits + run.memory.stats().carvedBytes).toBeGreaterThan(0);
		expect(run.memory.stats().carvedBytes).toBeLessThanOrEqual(256 * 1024);
		expect(run.leakedBlocks()).toBe(0);
	});

	it('fails with a clear message, not a hang, when one batch is larger than any block', async () => {
		// 256 KiB budget: the largest block is 64 KiB, and 20 000 int32 rows need 80 KiB.
		const plan = chain(
			[source(3, 20_000, 0), stage('verify', TEST_KERNEL.verify, 1, {}, true)],
			4,
			256 * 1024
		);
		const outcome = await new Run(pool, plan).start();
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.stage).toBe('source');
		expect(outcome.failure.message).toMatch(/more than the largest memory block/);
	});

	it('fails the run with the stage name, the error and the batch sequence when a kernel throws', async () => {
		const plan = chain([
			source(1000, 100, 0),
			stage('boom', TEST_KERNEL.throw, 1, { at: 37, message: 'bad value in column x' }),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new Run(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure).toEqual({ stage: 'boom', message: 'bad value in column x', seq: 37 });
		expect(run.leakedBlocks()).toBe(0);
	});

	it('cancels a run whose producer is blocked on a full ring, and returns every block', async () => {
		const plan = chain(
			[source(1000, 100, 0), stage('slow', TEST_KERNEL.sleep, 1, { ms: 200 }, true)],
			2
		);
		const run = new Run(pool, plan);
		const done = run.start();
		await new Promise((r) => setTimeout(r, 300));
		run.cancel();
		// Without the cancel the slow stage would sleep 200 ms × 1000 batches: the test's own
		// timeout, not a wall-clock figure, is what fails a cancel that does not arrive.
		const outcome = await done;
		expect(outcome.status).toBe('cancelled');
		expect(run.leakedBlocks()).toBe(0);
	});

	it('replaces a hung worker after the cancel deadline and keeps the pool usable', async () => {
		const plan = chain([
			source(100, 100, 0),
			stage('stuck', TEST_KERNEL.hang, 1, { at: 3 }),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new Run(pool, plan, { cancelDeadlineMs: 300 });
		const done = run.start();
		await new Promise((r) => setTimeout(r, 200));
		run.cancel();
		const outcome = await done;
		expect(outcome.status).toBe('cancelled');
		expect(await pool.worker(1).api.ping()).toBe('pong');

		const again = new Run(
			pool,
			chain([source(10, 100, 1), stage('verify', TEST_KERNEL.verify, 2, {}, true)])
		);
		const second = await again.start();
		expect(second.status).toBe('done');
	});

	it('fails a run whose worker is stuck in one step, naming its stage, and replaces the worker', async () => {
		// No cancel here: the stall watch alone must end the run (a decoder looping forever).
		const plan = chain([
			source(100, 100, 0),
			stage('stuck', TEST_KERNEL.hang, 1, { at: 3 }),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new Run(pool, plan, { cancelDeadlineMs: 300, stallMs: 500 });
		const outcome = await run.start();
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.stage).toBe('stuck');
		expect(outcome.failure.message).toMatch(/^stopped responding: one step ran for over 500 ms/);
		// The batch in the stuck kernel's hands dies with its worker (at most one block per stuck
		// stage); it belonged to this run's own pool, which goes with the run.
		expect(run.leakedBlocks()).toBeLessThanOrEqual(1);
		expect(await pool.worker(1).api.ping()).toBe('pong');
	});

	it('does not take a slow but beating worker for a stalled one', async () => {
		const plan = chain([source(6, 10, 0), stage('slow', TEST_KERNEL.sleep, 1, { ms: 150 }, true)]);
		const run = new Run(pool, plan, { stallMs: 400 });
		expect((await run.start()).status).toBe('done');
	});

	it('fails the run naming the stages of a worker that dies, and replaces it', async () => {
		const plan = chain([
			source(100, 100, 0),
			stage('exit', TEST_KERNEL.exit, 1, { at: 2 }),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new Run(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.stage).toBe('exit');
		expect(outcome.failure.message).toMatch(/worker 1 died/);
		expect(await pool.worker(1).api.ping()).toBe('pong');
	});

	it('delivers every row exactly once for random placements, capacities and batch sizes (seeded)', async () => {
		const seed = 20261122;
		const prng = mulberry32(seed);
		const random = prng.next;
		for (let trial = 0; trial < 12; trial++) {
			const batches = 1 + Math.floor(random() * 300);
			const rows = 1 + Math.floor(random() * 3000);
			const capacity = 2 ** (1 + Math.floor(random() * 6));
			const w = () => Math.floor(random() * 3);
			const plan = chain(
				[
					source(batches, rows, w()),
					stage('increment', TEST_KERNEL.increment, w()),
					stage('pass', TEST_KERNEL.pass, w()),
					stage('verify', TEST_KERNEL.verify, w(), {}, true)
				],
				capacity,
				(1 + Math.floor(random() * 8)) * MiB
			);
			plan.integrity = true;
			const run = new Run(pool, plan);
			const outcome = await run.start();
			const where = `seed ${seed} trial ${trial}`;
			expect(outcome.status, where).toBe('done');
			if (outcome.status !== 'done') return;
			expect(outcome.results.get(3), where).toEqual({
				batches,
				rows: batches * rows,
				sum: expectedSum(batches, rows, 1),
				outOfOrder: 0,
				corrupt: 0
			});
			expect(run.leakedBlocks(), where).toBe(0);
		}
	});
});

describe('live metrics of a run', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('shows the edge into a slow sink as backpressured and names the sink the bottleneck', async () => {
		const plan = chain(
			[source(400, 1000, 0), stage('slow sink', TEST_KERNEL.sleep, 1, { ms: 5 }, true)],
			4
		);
		const run = new Run(pool, plan);
		const sampler = run.sampler();
		await Promise.all([pool.worker(0).api.ping(), pool.worker(1).api.ping()]);
		const done = run.start();
		// Let the ring fill up, then measure over a window of steady backpressure.
		await new Promise((r) => setTimeout(r, 300));
		sampler.sample();
		await new Promise((r) => setTimeout(r, 600));
		const rates = sampler.sample();
		run.cancel();
		await done;
		expect(rates).not.toBeNull();
		expect(rates!.edges[0].level).toBe('HIGH');
		expect(rates!.stages[1].busyRatio).toBeGreaterThan(0.8);
		expect(rates!.bottleneck?.stage).toBe(1);
		const producer = rates!.stages[0];
		const total = producer.busyMsPerSec + producer.idleMsPerSec + producer.backpressuredMsPerSec;
		expect(total).toBeGreaterThan(900);
		expect(total).toBeLessThan(1100);
	});
});
