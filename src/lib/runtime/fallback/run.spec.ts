import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/prng';
import { chain, expectedSum, MiB, source, stage } from '../testing/plans';
import type { PhysicalPlan } from '../scheduler/run';
import type { WorkerPool } from '../scheduler/worker-pool';
import { createNodeFallbackPool } from './node-pool';
import { FallbackRun } from './run';
import { createRun } from './create-run';
import { Run } from '../scheduler/run';
import { TEST_KERNEL } from '../scheduler/test-kernels';

// The cases of scheduler/run.spec.ts, on the message-passing transport.

describe('runs over message passing on a pool of Node worker_threads', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeFallbackPool(3);
	});
	afterAll(async () => pool.shutdown());

	it('moves every row of a chain across three workers exactly once, in order', async () => {
		const plan = chain([
			source(400, 1000, 0),
			stage('increment', TEST_KERNEL.increment, 1),
			stage('pass', TEST_KERNEL.pass, 1),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new FallbackRun(pool, plan);
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
		expect(run.memoryStats().badReleases).toBe(0);
		// Counters posted by three workers, merged: each edge carried every batch.
		const metrics = run.metricsSnapshot();
		for (const edge of metrics.edges) expect(edge).toMatchObject({ batches: 400, rows: 400_000 });
		expect(metrics.stages[3]).toMatchObject({ batchesIn: 400, rowsIn: 400_000 });
		expect(metrics.stages[0].busyNs).toBeGreaterThan(0);
	});

	it('fans out to a consumer on the same worker and to others across workers, all exactly once', async () => {
		const stages = [
			source(150, 700, 0),
			stage('here', TEST_KERNEL.verify, 0, {}, true),
			stage('there', TEST_KERNEL.verify, 1, {}, true),
			stage('increment', TEST_KERNEL.increment, 0),
			stage('after', TEST_KERNEL.verify, 2, {}, true)
		];
		const ring = (from: number, to: number) => ({
			name: `${stages[from].name} → ${stages[to].name}`,
			from: { stage: from, port: 0 },
			to: { stage: to, port: 0 },
			capacity: 4
		});
		const plan: PhysicalPlan = {
			stages,
			rings: [ring(0, 1), ring(0, 2), ring(0, 3), ring(3, 4)],
			budgetBytes: 8 * MiB,
			batchRows: 700,
			integrity: true
		};
		const run = new FallbackRun(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('done');
		if (outcome.status !== 'done') return;
		const all = { batches: 150, rows: 105_000, outOfOrder: 0, corrupt: 0 };
		expect(outcome.results.get(1)).toMatchObject({ ...all, sum: expectedSum(150, 700) });
		expect(outcome.results.get(2)).toMatchObject({ ...all, sum: expectedSum(150, 700) });
		expect(outcome.results.get(4)).toMatchObject({ ...all, sum: expectedSum(150, 700, 1) });
		expect(run.leakedBlocks()).toBe(0);
	});

	it('fans one output out to three consumers, copying for all but the last, and recycles every block', async () => {
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
		const run = new FallbackRun(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('done');
		if (outcome.status !== 'done') return;
		for (const sink of [1, 2]) {
			expect(outcome.results.get(sink)).toMatchObject({ rows: 100_000, outOfOrder: 0, corrupt: 0 });
		}
		const stats = run.memoryStats();
		expect(stats.badReleases).toBe(0);
		expect(stats.blocksInUse).toBe(0);
		// 600 deliveries from far fewer blocks: buffers came back and were used again.
		expect(stats.freeListHits).toBeGreaterThan(stats.freshCarves);
	});

	it('makes a producer wait when its share of the budget is out in flight, without deadlock', async () => {
		// 256 KiB split over the two producing workers leaves the source room for four 32 KiB
		// blocks: it must wait for buffers to come back from the slow stage.
		const plan = chain(
			[
				source(60, 4000, 0),
				stage('slow', TEST_KERNEL.sleep, 1, { ms: 1 }, false),
				stage('verify', TEST_KERNEL.verify, 2, {}, true)
			],
			64,
			256 * 1024
		);
		const run = new FallbackRun(pool, plan);
		const outcome = await run.start();
		expect(outcome).toMatchObject({ status: 'done' });
		if (outcome.status !== 'done') return;
		expect(outcome.results.get(2)).toMatchObject({ rows: 240_000, outOfOrder: 0, corrupt: 0 });
		const stats = run.memoryStats();
		expect(stats.carvedBytes).toBeLessThanOrEqual(256 * 1024);
		expect(stats.budgetWaits).toBeGreaterThan(0);
		expect(run.leakedBlocks()).toBe(0);
	});

	it('fails the run with the stage name, the error and the batch sequence when a kernel throws', async () => {
		const plan = chain([
			source(1000, 100, 0),
			stage('boom', TEST_KERNEL.throw, 1, { at: 37, message: 'bad value in column x' }),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new FallbackRun(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure).toEqual({ stage: 'boom', message: 'bad value in column x', seq: 37 });
		expect(run.leakedBlocks()).toBe(0);
	});

	it('cancels a run whose producer is blocked on a full ring, and every buffer comes home', async () => {
		const plan = chain(
			[source(1000, 100, 0), stage('slow', TEST_KERNEL.sleep, 1, { ms: 200 }, true)],
			2
		);
		const run = new FallbackRun(pool, plan);
		const done = run.start();
		await new Promise((r) => setTimeout(r, 300));
		run.cancel();
		const outcome = await done;
		expect(outcome.status).toBe('cancelled');
		expect(run.leakedBlocks()).toBe(0);
	});

	it('ends a run cancelled before it started as cancelled, with nothing left out', async () => {
		const run = new FallbackRun(
			pool,
			chain([source(100, 100, 0), stage('verify', TEST_KERNEL.verify, 1, {}, true)])
		);
		run.cancel();
		expect((await run.start()).status).toBe('cancelled');
		expect(run.leakedBlocks()).toBe(0);
	});

	it('replaces a hung worker after the cancel deadline and keeps the pool usable', async () => {
		const plan = chain([
			source(100, 100, 0),
			stage('stuck', TEST_KERNEL.hang, 1, { at: 3 }),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new FallbackRun(pool, plan, { cancelDeadlineMs: 300 });
		const done = run.start();
		await new Promise((r) => setTimeout(r, 200));
		run.cancel();
		const outcome = await done;
		expect(outcome.status).toBe('cancelled');
		expect(await pool.worker(1).api.ping()).toBe('pong');

		const again = new FallbackRun(
			pool,
			chain([source(10, 100, 1), stage('verify', TEST_KERNEL.verify, 2, {}, true)])
		);
		expect((await again.start()).status).toBe('done');
		expect(again.leakedBlocks()).toBe(0);
	});

	it('fails the run naming the stages of a worker that dies, and replaces it', async () => {
		const plan = chain([
			source(100, 100, 0),
			stage('exit', TEST_KERNEL.exit, 1, { at: 2 }),
			stage('verify', TEST_KERNEL.verify, 2, {}, true)
		]);
		const run = new FallbackRun(pool, plan);
		const outcome = await run.start();
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.stage).toBe('exit');
		expect(outcome.failure.message).toMatch(/worker 1 died/);
		expect(await pool.worker(1).api.ping()).toBe('pong');
	});

	it('delivers every row exactly once for random placements, capacities and batch sizes (seeded)', async () => {
		const seed = 20261123;
		const prng = mulberry32(seed);
		for (let trial = 0; trial < 8; trial++) {
			const batches = prng.int(1, 200);
			const rows = prng.int(1, 3000);
			const capacity = 2 ** prng.int(0, 5);
			const w = () => prng.int(0, 2);
			const plan = chain(
				[
					source(batches, rows, w()),
					stage('increment', TEST_KERNEL.increment, w()),
					stage('pass', TEST_KERNEL.pass, w()),
					stage('verify', TEST_KERNEL.verify, w(), {}, true)
				],
				capacity,
				prng.int(1, 8) * MiB
			);
			plan.integrity = true;
			const run = new FallbackRun(pool, plan);
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

	it('picks the message transport when asked, and shared memory by default in Node', async () => {
		const plan = chain(
			[source(20, 100, 0), stage('verify', TEST_KERNEL.verify, 1, {}, true)],
			8,
			MiB
		);
		const fallback = createRun(pool, plan, {}, 'message');
		expect(fallback).toBeInstanceOf(FallbackRun);
		expect(createRun(pool, plan)).toBeInstanceOf(Run);
		const outcome = await fallback.start();
		expect(outcome.status).toBe('done');
	});
});
