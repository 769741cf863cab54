import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchView } from '../contracts';
import type { FrameSchema } from '../batch/types';
import { createNodeFallbackPool } from '../fallback/node-pool';
import { FallbackRun } from '../fallback/run';
import { createNodeWorkerPool } from '../scheduler/node-pool';
import { Run, type PhysicalPlan } from '../scheduler/run';
import type { WorkerPool } from '../scheduler/worker-pool';
import { chain, source, stage } from '../testing/plans';
import {
	PeekClient,
	SharedPeekTap,
	createPeekRegion,
	samplePayload,
	type PeekResult
} from './peek';
import { TEST_KERNEL } from '../scheduler/test-kernels';

const DAY = 86_400_000;

/** A view of three rows: int64, date32, timestamp, utf8. */
function mixedBatch(): { view: BatchView; schema: FrameSchema } {
	const text = new TextEncoder().encode('abcdef');
	return {
		schema: { names: ['id', 'day', 'at', 's'], types: ['int64', 'date32', 'timestamp', 'utf8'] },
		view: {
			length: 3,
			columns: [
				{
					type: 'int64',
					length: 3,
					nullCount: 0,
					validity: null,
					offsets: null,
					values: new BigInt64Array([1n, 2n ** 60n, -3n])
				},
				{
					type: 'date32',
					length: 3,
					nullCount: 0,
					validity: null,
					offsets: null,
					values: new Int32Array([0, 1, 19_000])
				},
				{
					type: 'timestamp',
					length: 3,
					nullCount: 0,
					validity: null,
					offsets: null,
					values: new BigInt64Array([0n, BigInt(DAY + 1500), 5n])
				},
				{
					type: 'utf8',
					length: 3,
					nullCount: 0,
					validity: null,
					offsets: new Int32Array([0, 1, 3, 6]),
					values: text
				}
			]
		}
	};
}

describe('peek payloads', () => {
	it('are JSON-safe: int64 as text, dates and timestamps as ISO text', () => {
		const { view, schema } = mixedBatch();
		const p = samplePayload(4, 9, view, null, 3, schema, 2);
		expect(p).toEqual({
			edge: 4,
			seq: 9,
			rowsInBatch: 3,
			schema,
			rows: [
				['1', '1970-01-01', '1970-01-01T00:00:00.000Z', 'a'],
				[String(2n ** 60n), '1970-01-02', '1970-01-02T00:00:01.500Z', 'bc']
			]
		});
		expect(JSON.parse(JSON.stringify(p))).toEqual(p);
	});

	it('take only the selected rows of a filtered batch', () => {
		const { view, schema } = mixedBatch();
		const p = samplePayload(0, 0, view, new Uint32Array([2]), 1, schema, 10);
		expect(p.rows).toEqual([['-3', '2022-01-08', '1970-01-01T00:00:00.005Z', 'def']]);
		expect(p.rowsInBatch).toBe(1);
	});

	it('pass through a shared region, halving the rows until they fit it', async () => {
		const region = createPeekRegion(64 + 200);
		const tap = new SharedPeekTap(region);
		const client = new PeekClient(region, () => true);
		expect(tap.wanted(1)).toBe(false);
		const asked = client.peek(1, 100);
		await Promise.resolve();
		await Promise.resolve();
		expect(tap.wanted(0)).toBe(false);
		expect(tap.wanted(1)).toBe(true);
		const { view, schema } = mixedBatch();
		tap.take(1, { seq: 3, view, selection: null, count: 3 }, schema);
		expect(tap.wanted(1)).toBe(false);
		const result = (await asked)!;
		expect(result.edge).toBe(1);
		expect(result.seq).toBe(3);
		expect(result.rowsInBatch).toBe(3);
		expect(result.rows.length).toBeGreaterThan(0);
		expect(result.rows.length).toBeLessThan(3);
		expect(result.rows[0]).toEqual(['1', '1970-01-01', '1970-01-01T00:00:00.000Z', 'a']);
		expect(result.takenAtMs).toBeGreaterThan(0);
	});

	it('answer with the previous sample, without a consumer, once the run stopped', async () => {
		const region = createPeekRegion();
		let running = true;
		const client = new PeekClient(region, () => running);
		const tap = new SharedPeekTap(region);
		const first = client.peek(0, 5);
		await new Promise((resolve) => setTimeout(resolve, 10));
		const { view, schema } = mixedBatch();
		tap.take(0, { seq: 1, view, selection: null, count: 3 }, schema);
		const sample = await first;
		const second = client.peek(0, 5);
		running = false;
		expect(await second).toEqual(sample);
		// The request was taken back: a consumer that pops now takes nothing.
		expect(tap.wanted(0)).toBe(false);
		expect(await client.peek(1, 5)).toBeNull();
	});
});

type AnyRun = Run | FallbackRun;
const transports: [
	string,
	(pool: WorkerPool, plan: PhysicalPlan) => AnyRun,
	typeof createNodeWorkerPool
][] = [
	['shared memory', (pool, plan) => new Run(pool, plan), createNodeWorkerPool],
	['message passing', (pool, plan) => new FallbackRun(pool, plan), createNodeFallbackPool]
];

describe.each(transports)('peek on a run over %s', (_, makeRun, makePool) => {
	let pool: WorkerPool;
	beforeAll(async () => {
		pool = makePool(3);
		// Boot the workers first, so the timings below are those of a running pool.
		await makeRun(pool, plan(1, 0)).start();
	});
	afterAll(async () => pool.shutdown());

	/** source (1000-row batches) → increment → sink sleeping `ms` per batch. */
	const plan = (batches: number, ms: number) =>
		chain([
			source(batches, 1000, 0),
			stage('increment', TEST_KERNEL.increment, 1),
			stage('sink', TEST_KERNEL.sleep, 2, { ms }, true)
		]);

	it('returns rows of that edge, with its schema, while the run streams', async () => {
		const run = makeRun(pool, plan(150, 4));
		const outcome = run.start();
		const before = (await run.peek(0, 10))!;
		const after = (await run.peek(1, 10))!;
		expect((await outcome).status).toBe('done');
		for (const [edge, p, offset] of [
			[0, before, 0],
			[1, after, 1]
		] as [number, PeekResult, number][]) {
			expect(p.edge).toBe(edge);
			expect(p.schema).toEqual({ names: ['x'], types: ['int32'] });
			expect(p.rowsInBatch).toBe(1000);
			expect(p.rows).toHaveLength(10);
			const xs = p.rows.map((r) => r[0] as number);
			// A batch of the sequence: consecutive x from a multiple of 1000 (+1 after increment).
			expect((xs[0] - offset) % 1000).toBe(0);
			expect(xs).toEqual(xs.map((_, i) => xs[0] + i));
		}
		expect(run.leakedBlocks()).toBe(0);
	});

	it('after the end, returns the edge’s last sample, or null for an edge never sampled', async () => {
		// Long enough (≥ 400 ms of sleeping sink) that a loaded machine still answers the peek
		// while the run streams.
		const run = makeRun(pool, plan(200, 2));
		const outcome = run.start();
		const seen = await run.peek(1, 3);
		expect(seen?.rows).toHaveLength(3);
		expect((await outcome).status).toBe('done');
		expect(await run.peek(1, 3)).toEqual(seen);
		expect(await run.peek(0, 3)).toBeNull();
		expect(() => run.peek(2)).toThrow(RangeError);
	});

	it('never holds up a cancel: a peek asked just before it settles, and so does the run', async () => {
		const run = makeRun(pool, plan(1000, 50));
		const outcome = run.start();
		await new Promise((resolve) => setTimeout(resolve, 30));
		const asked = run.peek(1, 5);
		run.cancel();
		const [result, end] = await Promise.all([asked, outcome]);
		expect(end.status).toBe('cancelled');
		if (result) expect(result.edge).toBe(1);
		expect(run.leakedBlocks()).toBe(0);
	});
});
