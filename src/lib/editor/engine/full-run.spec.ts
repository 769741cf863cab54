import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatisticsResult } from '../../nodes/statistics';
import type { TableResult } from '../../nodes/table';
import { createNodeWorkerPool } from '../../runtime/scheduler/node-pool';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { chain, node } from './fixtures.spec-support';
import { FullRun, type RunProgress } from './full-run';
import { RunLane } from './lane';

const SMALL = { budgetBytes: 16 << 20, batchRows: 4096 };

describe('FullRun', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('streams the whole document, reporting growing row counts, and returns sink results', async () => {
		const doc = chain(
			node('taxi', 'sample-dataset', { name: 'taxi', rows: 400_000 }),
			node('far', 'filter', { expression: 'distance_km > 5' }),
			node('stats', 'statistics')
		);
		const seen: RunProgress[] = [];
		const run = new FullRun(pool, doc, {
			compile: SMALL,
			sampleMs: 20,
			onProgress: (p) => seen.push(p)
		});
		const outcome = await run.outcome;
		if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
		const stats = outcome.results.get('stats') as StatisticsResult;
		expect(stats.kind).toBe('statistics');
		expect(stats.rows).toBeGreaterThan(0);
		expect(stats.rows).toBeLessThan(400_000);
		// Progress never goes backwards and ends at every source row.
		expect(seen.length).toBeGreaterThan(1);
		for (let i = 1; i < seen.length; i++) {
			expect(seen[i].sourceRows).toBeGreaterThanOrEqual(seen[i - 1].sourceRows);
			expect(seen[i].elapsedMs).toBeGreaterThanOrEqual(seen[i - 1].elapsedMs);
		}
		expect(outcome.progress.sourceRows).toBe(400_000);
		expect(outcome.progress.sinkRows).toBe(400_000);
		expect(outcome.progress.rowsPerSecond).toBeGreaterThan(0);
		expect(run.progress).toBe(outcome.progress);
	});

	it('stops a 1M-row taxi run as cancelled, and the pool runs the next document', async () => {
		const doc = chain(
			node('taxi', 'sample-dataset', { name: 'taxi' }),
			node('stats', 'statistics')
		);
		const run = new FullRun(pool, doc, { compile: SMALL, sampleMs: 10 });
		// Stop once the first rows went through.
		await new Promise<void>((resolve) => {
			const poll = setInterval(() => {
				if (run.progress.sourceRows > 0) {
					clearInterval(poll);
					resolve();
				}
			}, 5);
		});
		run.stop();
		const outcome = await run.outcome;
		expect(outcome.status).toBe('cancelled');
		const next = new FullRun(
			pool,
			chain(node('gen', 'generator', { rows: 1234 }), node('t', 'table', { limit: 3 })),
			{ compile: SMALL }
		);
		const after = await next.outcome;
		if (after.status !== 'done') throw new Error(after.status);
		expect((after.results.get('t') as TableResult).total).toBe(1234);
	});

	it('ends cancelled without starting when stopped while waiting for the pool', async () => {
		const lane = new RunLane();
		const release = await lane.acquire();
		const run = new FullRun(pool, chain(node('gen', 'generator'), node('t', 'table')), {
			lane,
			compile: SMALL
		});
		run.stop();
		release();
		expect((await run.outcome).status).toBe('cancelled');
		expect(run.run).toBeNull();
	});

	it('names the failing node and its message when a run fails', async () => {
		const doc = chain(
			node('taxi', 'sample-dataset', { name: 'taxi', rows: 10_000 }),
			{
				...node('cast', 'cast', { casts: [{ column: 'zone', to: 'int32' }], onError: 'fail' }),
				label: 'Zone as number'
			},
			node('t', 'table')
		);
		const outcome = await new FullRun(pool, doc, { compile: SMALL }).outcome;
		if (outcome.status !== 'failed') throw new Error(outcome.status);
		expect(outcome.node).toBe('cast');
		expect(outcome.name).toBe('Zone as number');
		expect(outcome.nodes).toContain('cast');
		expect(outcome.message).toMatch(/^Zone as number: cannot cast column 'zone'/);
	});

	it('answers invalid with diagnostics for a document that does not compile', async () => {
		const doc = chain(node('gen', 'generator'), node('flt', 'filter', { expression: 'nope' }));
		const outcome = await new FullRun(pool, doc).outcome;
		if (outcome.status !== 'invalid') throw new Error(outcome.status);
		expect(outcome.diagnostics.some((d) => d.node === 'flt')).toBe(true);
	});
});
