// A source's report crosses the engine: from the kernel in a worker to the run's outcome, by
// document node, with the reports of a file split between workers merged and their line
// numbers the file's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetRegistry, probeDocumentDatasets } from '../nodes/datasets';
import { pipeline } from '../nodes/pipeline-fixtures.spec-support';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { startPipeline } from './execute';

const ROWS = 40_000;
/** Lines (1-based, header = 1) that are ragged: one early, one past the middle of the file. */
const BAD_LINES = [7, 30_002];

function csvText(): string {
	const lines = ['id,name'];
	for (let i = 1; i <= ROWS; i++) lines.push(BAD_LINES.includes(i + 1) ? `${i}` : `${i},n${i}`);
	return lines.join('\n') + '\n';
}

describe('source reports through a run', () => {
	let pool: WorkerPool;
	let dir: string;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-report-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	for (const workers of [1, 2]) {
		it(`gives each CSV node its skipped rows with the file's line numbers on ${workers} worker(s)`, async () => {
			const path = join(dir, 'ragged.csv');
			writeFileSync(path, csvText());
			const doc = pipeline(
				[
					{ id: 'src', kind: 'csv', params: { source: path, badRows: 'skip' } },
					{ id: 'keep', kind: 'filter', params: { expression: 'true' } },
					{ id: 'count', kind: 'table', params: { limit: 0 } }
				],
				[
					['src', 'keep'],
					['keep', 'count']
				]
			);
			const registry = new DatasetRegistry();
			expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
			const outcome = await startPipeline(doc, pool, { workers, budgetBytes: 64 << 20 }, registry)
				.outcome;
			expect(outcome.status).toBe('done');
			if (outcome.status !== 'done') return;
			expect((outcome.results.get('count') as { total: number }).total).toBe(ROWS - 2);
			expect(outcome.reports.get('src')).toEqual({
				issues: [
					{
						reason: 'ragged',
						action: 'skipped',
						count: 2,
						samples: BAD_LINES.map((line) => ({
							line,
							message: `line ${line}: expected 2 fields, found 1`
						}))
					}
				]
			});
		});
	}

	it('gives a JSON node the records it skipped, by line, and keeps every other one', async () => {
		const path = join(dir, 'mixed.ndjson');
		const lines = [
			'{"id":1,"n":"a"}',
			'{"id":2,"n":"b"',
			'{"id":3,"n":"c"}',
			'{"id":"four","n":"d"}',
			'{"id":5,"n":"e"}'
		];
		writeFileSync(path, lines.join('\n') + '\n');
		const doc = pipeline(
			[
				{
					id: 'src',
					kind: 'json',
					params: { source: path, badRows: 'skip', types: { id: 'int64' } }
				},
				{ id: 'count', kind: 'table', params: { limit: 10 } }
			],
			[['src', 'count']]
		);
		const registry = new DatasetRegistry();
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const outcome = await startPipeline(doc, pool, { workers: 1 }, registry).outcome;
		expect(outcome.status).toBe('done');
		if (outcome.status !== 'done') return;
		// rows in (5) = rows out (3) + rows skipped (2), each skip named by its line.
		expect((outcome.results.get('count') as { total: number }).total).toBe(3);
		const issues = outcome.reports.get('src')?.issues ?? [];
		expect(issues.map((i) => [i.reason, i.action, i.count])).toEqual([
			['bad-line', 'skipped', 1],
			['bad-value', 'skipped', 1]
		]);
		expect(issues[0].samples[0]).toMatchObject({ line: 2 });
		expect(issues[0].samples[0].message).toMatch(/^line 2: /);
		expect(issues[1].samples[0]).toMatchObject({ line: 4, column: 'id' });
		expect(issues[1].samples[0].message).toMatch(/^line 4: column 'id' is int64 but/);
	});
});
