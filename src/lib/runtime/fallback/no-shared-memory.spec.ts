import { Worker } from 'node:worker_threads';
import { wrap } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeWorkerEndpoint } from '../endpoint';
import type { KernelName } from '../scheduler/kernel';
import type { PhysicalPlan, PhysicalStage } from '../scheduler/run';
import { SEQUENCE_SCHEMA, TEST_KERNEL } from '../scheduler/test-kernels';
import { WorkerPool, type HostApi, type WorkerHandle } from '../scheduler/worker-pool';
import { FallbackRun } from './run';

// The fallback host in workers that have no SharedArrayBuffer at all, as in a page that is not
// cross-origin isolated: it loads, runs plans over message passing, and its slow and hung test
// kernels (which park on Atomics.wait where they can) still slow down and hang.

const S = SEQUENCE_SCHEMA;
const BOOTSTRAP = new URL('../../../workers/node-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./no-shared-memory-host.spec-worker.ts', import.meta.url).href;

function handle(): WorkerHandle {
	const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY } });
	let terminated = false;
	let listener: ((reason: string) => void) | undefined;
	const die = (reason: string) => {
		if (!terminated) listener?.(reason);
		terminated = true;
	};
	worker.on('error', (e) => die(e instanceof Error ? e.message : String(e)));
	worker.on('exit', (code) => die(`exited with code ${code}`));
	return {
		api: wrap<HostApi>(nodeWorkerEndpoint(worker)),
		onDeath: (l) => (listener = l),
		async terminate() {
			terminated = true;
			await worker.terminate();
		}
	};
}

const source = (batches: number, rows: number, worker: number): PhysicalStage => ({
	name: 'source',
	kernel: TEST_KERNEL.sequence,
	params: { batches, rows },
	inputSchemas: [],
	outputSchemas: [S],
	worker
});

const stage = (name: string, kernel: KernelName, worker: number, params: unknown, sink = false) =>
	({
		name,
		kernel,
		params,
		inputSchemas: [S],
		outputSchemas: sink ? [] : [S],
		worker
	}) satisfies PhysicalStage;

function chain(stages: PhysicalStage[], capacity = 4): PhysicalPlan {
	const rings = stages.slice(1).map((s, i) => ({
		name: `${stages[i].name} → ${s.name}`,
		from: { stage: i, port: 0 },
		to: { stage: i + 1, port: 0 },
		capacity
	}));
	return { stages, rings, budgetBytes: 4 << 20, batchRows: 1024 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The worker's answer to a ping, or 'no answer' after 10 s (a worker that failed to load). */
function ping(handle: WorkerHandle): Promise<string> {
	const late = new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 10_000));
	return Promise.race([handle.api.ping(), late]);
}

describe('the fallback host in workers without SharedArrayBuffer', () => {
	let pool: WorkerPool;
	const deaths: string[] = [];
	beforeAll(() => {
		pool = new WorkerPool(2, handle);
		pool.onDeath((index, reason) => deaths.push(`worker ${index}: ${reason}`));
	});
	afterAll(async () => pool.shutdown());

	it('loads and answers a ping', async () => {
		expect(await ping(pool.worker(0))).toBe('pong');
		expect(await ping(pool.worker(1))).toBe('pong');
		expect(deaths).toEqual([]);
	});

	it('runs a chain through a slow stage that cannot park, delivering every row in order', async () => {
		const plan = chain([
			source(40, 500, 0),
			stage('slow', TEST_KERNEL.sleep, 1, { ms: 1 }),
			stage('verify', TEST_KERNEL.verify, 0, {}, true)
		]);
		const run = new FallbackRun(pool, plan);
		const outcome = await run.start();
		expect(outcome.status, JSON.stringify(outcome)).toBe('done');
		if (outcome.status !== 'done') return;
		const n = 40 * 500;
		expect(outcome.results.get(2)).toEqual({
			batches: 40,
			rows: n,
			sum: (n * (n - 1)) / 2,
			outOfOrder: 0,
			corrupt: 0
		});
		expect(run.leakedBlocks()).toBe(0);
		// The slow stage's time is its kernel's: the spin counted as busy.
		expect(run.metricsSnapshot().stages[1].busyNs).toBeGreaterThan(40 * 0.5e6);
	});

	it('cancels a run whose stage hangs by spinning, and replaces that worker', async () => {
		const before = pool.worker(1);
		const run = new FallbackRun(
			pool,
			chain([
				source(100, 100, 0),
				stage('stuck', TEST_KERNEL.hang, 1, { at: 2 }),
				stage('verify', TEST_KERNEL.verify, 0, {}, true)
			]),
			{ cancelDeadlineMs: 200 }
		);
		const ended = run.start();
		// Cancel once the stage hangs (a cancel that comes first stops it the polite way): the
		// sink on the other worker has its first two batches and the source sent the third, so
		// the stage is spinning on the third. Waits on what happened, not on a clock.
		const stuck = () => {
			const { stages } = run.metricsSnapshot();
			return stages[2].batchesIn >= 2 && stages[0].batchesOut >= 3;
		};
		while (!stuck()) await sleep(10);
		await sleep(200);
		run.cancel();
		expect((await ended).status).toBe('cancelled');
		expect(pool.worker(1)).not.toBe(before);
		expect(await ping(pool.worker(1))).toBe('pong');
	});
});
