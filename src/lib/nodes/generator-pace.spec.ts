import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../compiler/execute';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { generator } from './generator';
import { line, results } from './pipeline-fixtures.spec-support';
import type { TableResult } from './table';

const paced = (rows: number, rowsPerSecond: number) => ({
	id: 'gen',
	kind: 'generator',
	params: { rows, rowsPerSecond, columns: [{ name: 'id', type: 'int' }] }
});

describe('generator pacing (rowsPerSecond)', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('defaults to no limit and refuses a negative rate, naming the param', () => {
		expect(v.parse(generator.params, {}).rowsPerSecond).toBe(0);
		expect(v.safeParse(generator.params, { rowsPerSecond: -5 }).issues?.[0].message).toMatch(
			/rowsPerSecond must be 0/
		);
		expect(generator.summary(v.parse(generator.params, { rowsPerSecond: 2500 }))).toContain(
			'2,500 rows/s'
		);
	});

	it('spreads the rows over time at the set rate and still delivers every row in order', async () => {
		// 5 batches of 100 rows at 1000 rows/s: the last batch is due 0.4 s after the first.
		const doc = line(paced(500, 1000), { id: 'tbl', kind: 'table', params: { limit: 1000 } });
		const began = performance.now();
		const out = (await results(doc, pool, { batchRows: 100, workers: 1 })).get(
			'tbl'
		) as TableResult;
		const tookMs = performance.now() - began;
		expect(out.rows.map((r) => r[0])).toEqual(Array.from({ length: 500 }, (_, i) => i));
		// A lower bound only: pacing must hold the rows back; a slow machine only adds time.
		expect(tookMs).toBeGreaterThanOrEqual(400);
	});

	it('stops a paced source at once on cancel instead of sleeping out its schedule', async () => {
		// 1 row/s: the second batch would be due 10 s after the first.
		const doc = line(paced(100, 1), { id: 'tbl', kind: 'table' });
		const started = startPipeline(doc, pool, { workers: 1, batchRows: 10 });
		const run = started.run!;
		while (run.metrics.snapshot().stages[0].batchesOut < 1)
			await new Promise((r) => setTimeout(r, 20));
		run.cancel();
		expect((await started.outcome).status).toBe('cancelled');
		expect(run.leakedBlocks()).toBe(0);
	});
});
