// The Parquet source over a file with columns Sluice cannot read (interval, list, struct, map,
// plain binary, time): it reads the others and its report names every one it left out, as a
// dropped column; a chosen `columns` list leaves nothing out unasked. The fixture
// test/fixtures/parquet/unsupported-columns.parquet was written by DuckDB through
// @duckdb/node-api (test/fixtures/parquet/write-unsupported-columns.mjs).
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { DatasetRegistry, probeDocumentDatasets } from './datasets';
import { reportDetail } from './formats/source-report-text';
import { collected, columnValues, line, run } from './pipeline-fixtures.spec-support';

const FILE = resolve('test/fixtures/parquet/unsupported-columns.parquet');

describe('a Parquet source with columns Sluice cannot read', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(1);
	});
	afterAll(() => pool.shutdown());

	async function read(params: Record<string, unknown> = {}) {
		const doc = line(
			{ id: 'src', kind: 'parquet', params: { source: FILE, ...params } },
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const outcome = await run(doc, pool, { ctx: registry });
		if (outcome.status !== 'done') expect.fail(`run ended ${JSON.stringify(outcome)}`);
		return { table: collected(outcome.results.get('out')), report: outcome.reports.get('src') };
	}

	it('reads the other columns and reports each one it dropped with its type', async () => {
		const { table, report } = await read();
		expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
		expect(columnValues(table, 'name')).toEqual(['city 0', 'city 1', 'city 2']);
		expect(report?.issues).toEqual([
			expect.objectContaining({ reason: 'unsupported-column', action: 'dropped', count: 6 })
		]);
		expect(report?.issues[0].samples.map((s) => s.column)).toEqual([
			'wait',
			'tags',
			'point',
			'attrs',
			'raw',
			'at_time'
		]);
		expect(reportDetail(report!)).toEqual([
			"6 columns dropped (type Sluice cannot read): 'wait', 'tags', 'point', 'attrs', 'raw', 'at_time'",
			"  'wait' (FIXED_LEN_BYTE_ARRAY INTERVAL): Sluice cannot read this type, so the column is left out",
			"  'tags' (list): Sluice cannot read this type, so the column is left out",
			"  'point' (struct): Sluice cannot read this type, so the column is left out",
			"  'attrs' (map): Sluice cannot read this type, so the column is left out",
			"  'raw' (BYTE_ARRAY): Sluice cannot read this type, so the column is left out",
			"  'at_time' (INT64 TIME): Sluice cannot read this type, so the column is left out"
		]);
	});

	it('reports nothing dropped when the columns are chosen', async () => {
		const { table, report } = await read({ columns: ['name'] });
		expect(table.schema.fields.map((f) => f.name)).toEqual(['name']);
		expect(report).toBeNull();
	});
});
