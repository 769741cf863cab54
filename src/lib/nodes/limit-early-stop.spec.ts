import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import type { Run } from '../runtime/scheduler/run';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { DatasetRegistry, datasetRef, probeDatasetSchema } from './datasets';
import { line } from './pipeline-fixtures.spec-support';
import type { TableResult } from './table';

// A limit stops its sources (early termination, runtime/scheduler/kernel.ts): `head` is instant
// whatever the size of the input, and the editor's preview (a hidden limit after each file
// source) reads a file's first rows, not the file.

/** A run still going this long after its start is a hang: it is cancelled and the test fails. */
const DEADLINE_MS = 25_000;

async function runToEnd(doc: PipelineDocument, pool: WorkerPool, ctx?: DatasetRegistry) {
	const started = startPipeline(doc, pool, { workers: 2, batchRows: 1000 }, ctx);
	let timer: ReturnType<typeof setTimeout> | undefined;
	const hang = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			started.run?.cancel();
			reject(new Error(`${doc.name}: no end within ${DEADLINE_MS} ms`));
		}, DEADLINE_MS);
	});
	try {
		const outcome = await Promise.race([started.outcome, hang]);
		if (outcome.status !== 'done') throw new Error(`run ended ${JSON.stringify(outcome)}`);
		const run = started.run as Run;
		const plan = started.compiled.plan!;
		/** Counters of every stage that runs node `id` (all instances). */
		const stagesOf = (id: string) => {
			const all = run.metrics.snapshot().stages;
			return plan.origins.flatMap((o, i) => (o.nodes.includes(id) ? [all[i]] : []));
		};
		return {
			results: outcome.results,
			run,
			stagesOf,
			instances: (id: string) => stagesOf(id).length
		};
	} finally {
		clearTimeout(timer);
	}
}

describe('a limit stops reading its input once it has its rows', () => {
	let pool: WorkerPool;
	let dir: string;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-limit-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	it('takes 10 rows of a billion-row generator and stops the generator after a few batches', async () => {
		const doc = line(
			{
				id: 'gen',
				kind: 'generator',
				params: { rows: 1_000_000_000, columns: [{ name: 'id', type: 'int' }] }
			},
			{ id: 'lim', kind: 'limit', params: { rows: 10 } },
			{ id: 'tbl', kind: 'table', params: {} }
		);
		const { results, run, stagesOf, instances } = await runToEnd(doc, pool);
		const table = results.get('tbl') as TableResult;
		expect(table.total).toBe(10);
		expect(table.rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => i));
		const made = stagesOf('gen').reduce((sum, s) => sum + s.rowsOut, 0);
		// A ring or two of batches per instance before the stop reached it, not a billion rows.
		expect(made).toBeGreaterThanOrEqual(10);
		expect(made).toBeLessThan(100 * 1000 * instances('gen'));
		expect(run.leakedBlocks()).toBe(0);
	});

	async function bigCsv(
		name: string,
		rows: number
	): Promise<{ path: string; ctx: DatasetRegistry }> {
		const prng = mulberry32(rows);
		const lines = ['id,city,amount'];
		const cities = ['Lisbon', 'Oslo', 'Quito, EC', 'Kraków'];
		for (let i = 0; i < rows; i++)
			lines.push(`${i},"${prng.pick(cities)}",${prng.int(0, 99_999) / 100}`);
		const path = join(dir, name);
		writeFileSync(path, lines.join('\n') + '\n');
		const ctx = new DatasetRegistry();
		ctx.registerDatasetSchema(datasetRef(path, {}), await probeDatasetSchema(path, {}));
		return { path, ctx };
	}

	it('reads a few hundred KiB of a large local CSV for a limit of 10, not the file', async () => {
		const { path, ctx } = await bigCsv('head.csv', 400_000);
		const size = statSync(path).size;
		const doc = line(
			{ id: 'src', kind: 'csv', params: { source: path } },
			{ id: 'lim', kind: 'limit', params: { rows: 10, offset: 5 } },
			{ id: 'tbl', kind: 'table', params: {} }
		);
		const { results, run, stagesOf } = await runToEnd(doc, pool, ctx);
		const table = results.get('tbl') as TableResult;
		expect(table.rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => i + 5));
		const read = stagesOf('src').reduce((sum, s) => sum + s.bytesRead, 0);
		expect(read).toBeGreaterThan(0);
		expect(read).toBeLessThan(size / 4);
		expect(run.leakedBlocks()).toBe(0);
	});

	it('reads about the first 50 000 rows of a file behind the preview-sized limit', async () => {
		const { path, ctx } = await bigCsv('preview.csv', 600_000);
		const size = statSync(path).size;
		const doc = line(
			{ id: 'src', kind: 'csv', params: { source: path } },
			{ id: 'lim', kind: 'limit', params: { rows: 50_000 } },
			{ id: 'tbl', kind: 'table', params: { limit: 100 } }
		);
		const { results, run, stagesOf } = await runToEnd(doc, pool, ctx);
		const table = results.get('tbl') as TableResult;
		expect(table.total).toBe(50_000);
		const read = stagesOf('src').reduce((sum, s) => sum + s.bytesRead, 0);
		// 50 000 of 600 000 rows is a twelfth of the file; what was read ahead is well under half.
		expect(read).toBeGreaterThan(size / 12);
		expect(read).toBeLessThan(size / 2);
		expect(run.leakedBlocks()).toBe(0);
	});
});
