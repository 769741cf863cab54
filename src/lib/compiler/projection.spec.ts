// Projection pushdown against real files written by DuckDB: a Parquet source downstream of
// which only some columns are read fetches only those columns' chunks (the source stage's byte
// count says so), and every answer stays DuckDB's.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeline, type NodeSpec } from '../graph/build';
import type { PipelineDocument } from '../graph/document';
import { DatasetRegistry, probeDocumentDatasets } from '../nodes/datasets';
import { collected, columnValues, line } from '../nodes/pipeline-fixtures.spec-support';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { startPipeline } from './execute';
import { compile } from './index';

/** 20 000 rows: small columns beside a wide `payload` that dominates the file's bytes. */
const TABLE = `
	select
		i::integer as id,
		['north', 'south', 'east', 'west'][i % 4 + 1] as region,
		case when i % 7 = 0 then null else (i % 1000) / 10.0 end as x,
		repeat(md5(i::varchar), 8) as payload
	from range(20000) t(i)`;

describe('projection pushed down to a Parquet source', () => {
	let pool: WorkerPool;
	let dir: string;
	let db: DuckDBConnection;
	let path: string;
	let registry: DatasetRegistry;
	beforeAll(async () => {
		pool = createNodeWorkerPool(1);
		dir = mkdtempSync(join(tmpdir(), 'sluice-projection-'));
		const instance = await DuckDBInstance.create(':memory:', {
			autoinstall_known_extensions: 'false',
			autoload_known_extensions: 'false'
		});
		db = await instance.connect();
		path = join(dir, 'wide.parquet');
		await db.run(
			`copy (${TABLE} order by id) to '${path}' (format parquet, compression uncompressed, row_group_size 4096)`
		);
		await db.run(`create table t as select * from '${path}'`);
		registry = new DatasetRegistry();
	});
	afterAll(async () => {
		await pool.shutdown();
		db?.closeSync();
		rmSync(dir, { recursive: true, force: true });
	});

	const source = (): NodeSpec => ({ id: 'src', kind: 'parquet', params: { source: path } });

	/** Runs `doc`; the sinks' tables as rows, and the bytes the source stage fetched. */
	async function runDoc(doc: PipelineDocument) {
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const started = startPipeline(doc, pool, { batchRows: 1000, budgetBytes: 64 << 20 }, registry);
		const outcome = await started.outcome;
		if (outcome.status !== 'done') expect.fail(JSON.stringify(outcome));
		const plan = outcome.compiled.plan!;
		const stage = plan.origins.findIndex((o) => o.nodes[0] === 'src');
		const bytes = started.run!.metrics.snapshot().stages[stage].bytesRead;
		const tables = new Map(
			[...outcome.results].map(([id, result]) => {
				const table = collected(result);
				const names = table.schema.fields.map((f) => f.name);
				const columns = names.map((n) => columnValues(table, n));
				const rows = columns[0].map((_, r) => columns.map((c) => c[r]));
				return [id, { names, rows }];
			})
		);
		return { bytes, tables, read: plan.stages[stage].outputSchemas[0].names };
	}

	async function duck(sql: string): Promise<unknown[][]> {
		const rows = (await db.runAndReadAll(sql)).getRows();
		return rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
	}

	/** Bytes of one column's chunks in the file. */
	function chunkBytes(column: string): number {
		const meta = parquetMetadata(readFileSync(path).buffer as ArrayBuffer);
		let total = 0;
		for (const g of meta.row_groups)
			for (const c of g.columns)
				if (c.meta_data?.path_in_schema[0] === column)
					total += Number(c.meta_data.total_compressed_size);
		return total;
	}

	it('a group-by on one column downstream reads only that column, with DuckDB’s answer', async () => {
		const grouped = await runDoc(
			line(
				source(),
				{
					id: 'g',
					kind: 'group-by',
					params: { keys: ['region'], aggregates: [{ op: 'count' }] }
				},
				{ id: 'sort', kind: 'sort', params: { by: [{ column: 'region' }] } },
				{
					id: 'out',
					kind: 'collect'
				}
			)
		);
		const all = await runDoc(line(source(), { id: 'out', kind: 'collect' }));
		expect(grouped.read).toEqual(['region']);
		expect(all.read).toEqual(['id', 'region', 'x', 'payload']);
		const size = readFileSync(path).byteLength;
		const payload = chunkBytes('payload');
		expect(payload).toBeGreaterThan(size * 0.8);
		// Every column's bytes when all are read; without payload's (the footer read aside).
		expect(all.bytes).toBeGreaterThan(size * 0.95);
		expect(grouped.bytes).toBeLessThan(size - payload + (512 << 10));
		expect(grouped.bytes).toBeLessThan(all.bytes / 3);
		expect(grouped.tables.get('out')!.rows).toEqual(
			await duck('select region, count(*) from t group by region order by region')
		);
	});

	it('a filter, a derive and a select downstream read the columns they name, answers unchanged', async () => {
		const got = await runDoc(
			line(
				source(),
				{ id: 'f', kind: 'filter', params: { expression: 'x > 50 and region != "east"' } },
				{ id: 'd', kind: 'derive', params: { column: 'y', expression: 'id * 2' } },
				{ id: 's', kind: 'select', params: { columns: ['y', 'region as r'] } },
				{ id: 'out', kind: 'collect' }
			)
		);
		expect(got.read).toEqual(['id', 'region', 'x']);
		expect(got.tables.get('out')!.names).toEqual(['y', 'r']);
		expect(got.tables.get('out')!.rows).toEqual(
			await duck(`select id * 2, region from t where x > 50 and region <> 'east' order by id`)
		);
	});

	it('two consumers read the union of their columns', async () => {
		const doc = pipeline(
			[
				source(),
				{
					id: 'g',
					kind: 'group-by',
					params: { keys: ['region'], aggregates: [{ op: 'sum', column: 'x' }] }
				},
				{ id: 'gs', kind: 'sort', params: { by: [{ column: 'region' }] } },
				{ id: 'a', kind: 'collect' },
				{ id: 'top', kind: 'top-k', params: { k: 3, by: [{ column: 'id', descending: true }] } },
				{ id: 'ts', kind: 'select', params: { columns: ['id'] } },
				{ id: 'b', kind: 'collect' }
			],
			[
				['src', 'g'],
				['g', 'gs'],
				['gs', 'a'],
				['src', 'top'],
				['top', 'ts'],
				['ts', 'b']
			]
		);
		const got = await runDoc(doc);
		expect(got.read).toEqual(['id', 'region', 'x']);
		const sums = got.tables.get('a')!.rows.map(([r, s]) => [r, Math.round((s as number) * 10)]);
		expect(sums).toEqual(
			await duck('select region, round(sum(x) * 10)::bigint from t group by region order by region')
		);
		expect(got.tables.get('b')!.rows).toEqual([[19999], [19998], [19997]]);
	});

	it('a join reads from each side the keys and the columns used after it', async () => {
		const doc = pipeline(
			[
				source(),
				{ id: 'src2', kind: 'parquet', params: { source: path } },
				{ id: 'small', kind: 'filter', params: { expression: 'id < 3' } },
				{ id: 'j', kind: 'join', params: { on: [{ left: 'id', right: 'id' }] } },
				{ id: 's', kind: 'select', params: { columns: ['id', 'right_region'] } },
				{ id: 'out', kind: 'collect' }
			],
			[
				['src', 'j'],
				['src2', 'small'],
				['small', 'j'],
				['j', 's'],
				['s', 'out']
			]
		);
		doc.edges[0].to.port = 'left';
		doc.edges[2].to.port = 'right';
		const got = await runDoc(doc);
		// The left keeps `region` (the right's is read as right_region only while the left has one).
		expect(got.read).toEqual(['id', 'region']);
		const plan = compile(doc, {}, registry).plan!;
		const right = plan.origins.findIndex((o) => o.nodes[0] === 'src2');
		expect(plan.stages[right].outputSchemas[0].names).toEqual(['id', 'region']);
		const rows = got.tables.get('out')!.rows.sort((a, b) => (a[0] as number) - (b[0] as number));
		expect(rows).toEqual([
			[0, 'north'],
			[1, 'south'],
			[2, 'east']
		]);
	});

	it('the source keeps its declared schema for the editor, and a table after it reads every column', async () => {
		const doc = line(
			source(),
			{ id: 'g', kind: 'group-by', params: { keys: ['region'] } },
			{ id: 'out', kind: 'collect' }
		);
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const compiled = compile(doc, {}, registry);
		expect(compiled.logical!.byId.get('src')!.outputSchemas[0].names).toEqual([
			'id',
			'region',
			'x',
			'payload'
		]);
		expect(compiled.plan!.stages[0].outputSchemas[0].names).toEqual(['region']);
		// A preview of the source itself is a table on its output: every column is read.
		const previewed = pipeline(
			[
				source(),
				{ id: 'g', kind: 'group-by', params: { keys: ['region'] } },
				{ id: 'out', kind: 'collect' },
				{ id: 't', kind: 'table' }
			],
			[
				['src', 'g'],
				['g', 'out'],
				['src', 't']
			]
		);
		const plan = compile(previewed, {}, registry).plan!;
		expect(plan.stages[0].outputSchemas[0].names).toEqual(['id', 'region', 'x', 'payload']);
	});
});
