import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatisticsResult } from '../../nodes/statistics';
import { createRun } from '../../runtime/fallback/create-run';
import { createNodeFallbackPool } from '../../runtime/fallback/node-pool';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { chain, node } from './fixtures.spec-support';
import { FullRun, type RunProgress } from './full-run';
import type { RunFactory } from './lane';
import { PreviewRunner } from './preview';

// A page that is not cross-origin isolated runs over message passing; force that transport.
const MESSAGE: RunFactory = (pool, plan) => createRun(pool, plan, {}, 'message');
const SMALL = { budgetBytes: 16 << 20, batchRows: 4096 };

describe('the engine over message passing (no SharedArrayBuffer on the page)', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeFallbackPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('previews a node and runs the whole document with progress', async () => {
		const doc = chain(
			node('taxi', 'sample-dataset', { name: 'taxi', rows: 200_000 }),
			node('far', 'filter', { expression: 'distance_km > 5' }),
			node('st', 'statistics')
		);
		const preview = await new PreviewRunner(pool, {
			previewRows: 3000,
			compile: SMALL,
			createRun: MESSAGE
		}).preview(doc, ['far']);
		const far = preview.get('far');
		expect(far?.status).toBe('done');
		expect(far?.status === 'done' && (far.result as { total: number }).total).toBeLessThan(3000);

		const seen: RunProgress[] = [];
		const run = new FullRun(pool, doc, {
			compile: SMALL,
			createRun: MESSAGE,
			sampleMs: 20,
			onProgress: (p) => seen.push(p)
		});
		const outcome = await run.outcome;
		if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
		expect((outcome.results.get('st') as StatisticsResult).rows).toBeGreaterThan(0);
		expect(outcome.progress.sourceRows).toBe(200_000);
		expect(seen.length).toBeGreaterThan(1);
	});
});
