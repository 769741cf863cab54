import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MetricsBlock, type MetricsSnapshot } from './block';
import type { CounterWriterData } from './counter-writer.spec-worker';
import { computeRates } from './rates';
import { chain } from './fixtures.spec-support';

const BOOTSTRAP = new URL('../../../workers/node-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./counter-writer.spec-worker.ts', import.meta.url).href;

/** Counters that report a level now rather than a total, so they may fall. */
const GAUGES = new Set(['occupancy', 'capacity', 'heapUsedBytes']);

/** Every counter of a snapshot as [name, value], in a fixed order. */
function entries(s: MetricsSnapshot): [string, number][] {
	const groups = { edge: s.edges, stage: s.stages, worker: s.workers };
	return Object.entries(groups).flatMap(([kind, list]) =>
		list.flatMap((c, i) =>
			Object.entries(c).map(([name, v]): [string, number] => [`${kind} ${i} ${name}`, v])
		)
	);
}

describe('MetricsBlock across threads', () => {
	it('lets the main thread snapshot while a worker_thread writes: counters never go back or turn NaN', async () => {
		const block = MetricsBlock.create({ edges: 1, stages: 1, workers: 1 });
		const data: CounterWriterData = {
			metrics: block.descriptor,
			batches: 20_000,
			rowsPerBatch: 100,
			bytesPerBatch: 4096,
			nsPerRound: 1000
		};
		const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, ...data } });
		let done = false;
		const finished = new Promise<void>((resolve, reject) => {
			worker.on('message', () => {
				done = true;
				resolve();
			});
			worker.on('error', reject);
			worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
		});

		const topology = chain(['writer', 'reader'], 8);
		let prev = block.snapshot();
		let samples = 0;
		let sawPartial = false;
		let sawPartialBytes = false;
		const problems: string[] = [];
		while (!done) {
			await new Promise((r) => setTimeout(r, 2));
			const cur = block.snapshot();
			samples++;
			const before = new Map(entries(prev));
			for (const [name, v] of entries(cur)) {
				if (!Number.isFinite(v)) problems.push(`sample ${samples}: ${name} is ${v}`);
				const field = name.split(' ')[2];
				if (!GAUGES.has(field) && v < (before.get(name) ?? 0))
					problems.push(`sample ${samples}: ${name} fell from ${before.get(name)} to ${v}`);
			}
			if (cur.edges[0].batches > 0 && cur.edges[0].batches < data.batches) sawPartial = true;
			const rates = computeRates(prev, cur, topology);
			const b = rates.edges[0].backpressure;
			if (!(b >= 0 && b <= 1)) problems.push(`sample ${samples}: backpressure ${b}`);
			const progress = rates.stages[0].progress;
			if (progress !== null && !(progress >= 0 && progress <= 1))
				problems.push(`sample ${samples}: progress ${progress}`);
			if (progress !== null && progress > 0 && progress < 1) sawPartialBytes = true;
			prev = cur;
		}
		await finished;
		await worker.terminate();

		expect(problems).toEqual([]);
		// The writer parks 1 ms every 50 rounds (400 ms in all), so some sample lands mid-run.
		expect(sawPartial).toBe(true);
		expect(sawPartialBytes).toBe(true);
		const end = block.snapshot();
		const n = data.batches;
		expect(end.edges[0]).toMatchObject({
			batches: n,
			rows: n * 100,
			bytes: n * 4096,
			producerBlockedNs: n * 1000,
			consumerWaitNs: 0
		});
		expect(end.stages[0]).toEqual({
			busyNs: n * 1000,
			idleNs: n * 1000,
			backpressuredNs: n * 1000,
			batchesIn: n,
			rowsIn: n * 100,
			batchesOut: n,
			rowsOut: n * 100,
			bytesRead: n * 4096,
			bytesTotal: n * 4096
		});
		expect(end.workers[0]).toMatchObject({ outsidePoolBytes: n, batches: n, poolMisses: n >> 3 });
	});
});
