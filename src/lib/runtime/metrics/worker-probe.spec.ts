import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../scheduler/node-pool';
import { Run } from '../scheduler/run';
import type { WorkerPool } from '../scheduler/worker-pool';
import { chain, source, stage } from '../testing/plans';
import { REPORTED, createWorkerProbe } from './worker-probe';
import { TEST_KERNEL } from '../scheduler/test-kernels';

describe('the worker probe', () => {
	it('reports the heap and GC on Node, and counts heap growth as outside-pool bytes', () => {
		const probe = createWorkerProbe();
		try {
			const first = { ...probe.sample() };
			expect(first.reported).toBe(REPORTED.HEAP | REPORTED.GC);
			expect(first.heapUsedBytes).toBeGreaterThan(0);
			const keep = Array.from({ length: 200_000 }, (_, i) => ({ i }));
			const second = probe.sample();
			expect(keep.length).toBe(200_000);
			expect(second.outsidePoolBytes).toBeGreaterThan(first.outsidePoolBytes + 1e6);
		} finally {
			probe.dispose();
		}
	});
});

describe('worker figures of a run on Node worker_threads', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	const plan = () =>
		chain([
			source(300, 2000, 0),
			stage('increment', TEST_KERNEL.increment, 1),
			stage('verify', TEST_KERNEL.verify, 0, {}, true)
		]);

	it('land in the metrics block: heap, what is reported, batches and pool hits', async () => {
		const run = new Run(pool, plan());
		expect((await run.start()).status).toBe('done');
		const workers = run.metrics.snapshot().workers;
		for (const w of workers) {
			expect(w.reported).toBe(REPORTED.HEAP | REPORTED.GC);
			expect(w.heapUsedBytes).toBeGreaterThan(0);
		}
		// Worker 0 hosts the source (300 batches of its own), worker 1 the increment (300 more).
		expect(workers[0].batches).toBe(300);
		expect(workers[1].batches).toBe(300);
		expect(workers[0].poolHits + workers[0].poolMisses).toBeGreaterThanOrEqual(300);
		expect(workers[0].poolHits).toBeGreaterThan(0);
	});

	it('stay at zero, with every other counter, in a run whose counters are disabled', async () => {
		const run = new Run(pool, plan(), { metrics: false });
		const outcome = await run.start();
		expect(outcome.status).toBe('done');
		if (outcome.status === 'done') expect(outcome.results.get(2)).toMatchObject({ rows: 600_000 });
		const snap = run.metrics.snapshot();
		const all = [...snap.edges, ...snap.stages, ...snap.workers].flatMap((r) => Object.values(r));
		expect(all.every((v) => v === 0)).toBe(true);
	});
});
