import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { DatasetRegistry, probeDatasetSchema } from './datasets';
import { collected, columnValues, line, pipeline, results } from './pipeline-fixtures.spec-support';
import type { TableResult } from './table';

const GENERATOR = {
	id: 'gen',
	kind: 'generator',
	params: {
		rows: 30_000,
		seed: 11,
		columns: [
			{ name: 'id', type: 'int' },
			{ name: 'value', type: 'float', min: -5, max: 5, nulls: 0.1 },
			{ name: 'label', type: 'string', cardinality: 300, nulls: 0.2 },
			{ name: 'flag', type: 'bool', nulls: 0.05 },
			{ name: 'at', type: 'timestamp', nulls: 0.1 }
		]
	}
};

/** The collected table as rows of plain values, in the order they arrived. */
function rowsOf(result: unknown): unknown[][] {
	const table = collected(result);
	const columns = table.schema.names.map((name) => columnValues(table, name));
	return Array.from({ length: table.numRows }, (_, r) => columns.map((c) => c[r]));
}

describe('the collect sink', () => {
	let pool: WorkerPool;
	let dir: string;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-collect-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	it('returns Arrow IPC that reads back equal to the rows a table sink saw', async () => {
		const doc = pipeline(
			[
				GENERATOR,
				{ id: 'out', kind: 'collect' },
				{ id: 'tbl', kind: 'table', params: { limit: 100_000 } }
			],
			[
				['gen', 'out'],
				['gen', 'tbl']
			]
		);
		const out = await results(doc, pool, { batchRows: 4000 });
		const table = out.get('tbl') as TableResult;
		expect(table.total).toBe(30_000);
		expect(collected(out.get('out')).schema.names).toEqual(table.schema.names);
		expect(rowsOf(out.get('out'))).toEqual(table.rows);
	});

	it('keeps only the rows a fused filter selected', async () => {
		const filtered = (sink: string) =>
			line(
				GENERATOR,
				{ id: 'keep', kind: 'filter', params: { expression: 'value > 1' } },
				{
					id: 'out',
					kind: sink,
					params: sink === 'table' ? { limit: 100_000 } : {}
				}
			);
		const got = rowsOf((await results(filtered('collect'), pool)).get('out'));
		const want = (await results(filtered('table'), pool)).get('out') as TableResult;
		expect(got.length).toBeGreaterThan(1000);
		expect(got).toEqual(want.rows);
		for (const row of got) expect(row[1] as number).toBeGreaterThan(1);
	});

	it('returns an empty table with the schema when no row arrives', async () => {
		const doc = line(
			GENERATOR,
			{ id: 'none', kind: 'filter', params: { expression: 'false' } },
			{
				id: 'out',
				kind: 'collect'
			}
		);
		const table = collected((await results(doc, pool)).get('out'));
		expect(table.numRows).toBe(0);
		expect(table.schema.names).toEqual(['id', 'value', 'label', 'flag', 'at']);
	});

	it('carries int64, uint16, float32 and date32 columns through unchanged', async () => {
		const path = join(dir, 'wide.csv');
		writeFileSync(path, 'big,small,single,day\n9007199254740991,65535,0.5,2024-02-29\n-3,,1.25,\n');
		const types = { big: 'int64', small: 'uint16', single: 'float32', day: 'date32' } as const;
		const ctx = new DatasetRegistry();
		ctx.registerDatasetSchema(path, await probeDatasetSchema(path));
		const doc = line(
			{ id: 'src', kind: 'csv', params: { source: path, types } },
			{ id: 'out', kind: 'collect' }
		);
		const table = collected((await results(doc, pool, { ctx })).get('out'));
		expect(table.schema.fields.map((f) => String(f.type))).toEqual([
			'Int64',
			'Uint16',
			'Float32',
			'Date32<DAY>'
		]);
		expect(rowsOf((await results(doc, pool, { ctx })).get('out'))).toEqual([
			[9007199254740991, 65535, 0.5, Date.UTC(2024, 1, 29)],
			[-3, null, 1.25, null]
		]);
	});
});
