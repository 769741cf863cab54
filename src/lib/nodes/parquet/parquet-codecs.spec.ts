// Parquet files in every codec writers use, written by another tool (DuckDB, through
// @duckdb/node-api, a devDependency: no fixture file is kept in the repository), read through
// the real Parquet source kernel in a worker: each reads equal to the same data in SNAPPY.
// DuckDB names its codecs as Parquet does, except that it writes LZ4 as LZ4_RAW (the Hadoop-
// framed LZ4 is the legacy codec no current writer produces).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../../runtime/scheduler/node-pool';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { DatasetRegistry, probeDocumentDatasets } from '../datasets';
import { collected, columnValues, line, run } from '../pipeline-fixtures.spec-support';

/** DuckDB's name of each codec, and the codec the file's column chunks then say. */
const CODECS = [
	['uncompressed', 'UNCOMPRESSED'],
	['gzip', 'GZIP'],
	['zstd', 'ZSTD'],
	['brotli', 'BROTLI'],
	['lz4', 'LZ4_RAW'],
	['lz4_raw', 'LZ4_RAW']
] as const;

/** 5 000 rows in 3 row groups: every column type the source reads, with nulls and repeats. */
const TABLE = `
	select
		i::integer as id,
		(i * 7919)::bigint * 1000003 as big,
		case when i % 11 = 0 then null else i / 8.0 end as x,
		['north', 'south', 'east', 'west'][i % 4 + 1] || (i % 13)::varchar as region,
		case when i % 17 = 0 then null else date '1999-12-25' + (i % 900)::integer end as day,
		timestamp '1969-12-31 23:59:58' + to_microseconds(i * 1234567) as at,
		i % 3 = 0 as flag
	from range(5000) t(i)`;

/** Writes TABLE with `codec` into `path` (DuckDB's COPY, row groups of 2 048 rows). */
async function write(db: DuckDBConnection, path: string, codec: string): Promise<void> {
	await db.run(
		`copy (${TABLE} order by id) to '${path}' (format parquet, compression ${codec}, row_group_size 2048)`
	);
}

describe('Parquet files written by DuckDB in every codec', () => {
	let pool: WorkerPool;
	let dir: string;
	let db: DuckDBConnection;
	let version = '';
	beforeAll(async () => {
		pool = createNodeWorkerPool(1);
		dir = mkdtempSync(join(tmpdir(), 'sluice-codecs-'));
		// No extension is fetched: Parquet is built into the bindings.
		const instance = await DuckDBInstance.create(':memory:', {
			autoinstall_known_extensions: 'false',
			autoload_known_extensions: 'false'
		});
		db = await instance.connect();
		version = String((await db.runAndReadAll('select version()')).getRows()[0][0]);
	});
	afterAll(async () => {
		await pool.shutdown();
		db?.closeSync();
		rmSync(dir, { recursive: true, force: true });
	});

	/** The table the Parquet source reads from `path`, as plain columns. */
	async function read(path: string): Promise<Record<string, unknown[]>> {
		const doc = line(
			{ id: 'src', kind: 'parquet', params: { source: path } },
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		const problems = await probeDocumentDatasets(doc, registry);
		expect(problems).toEqual([]);
		const outcome = await run(doc, pool, { ctx: registry, batchRows: 1000 });
		if (outcome.status !== 'done') expect.fail(`${path}: ${JSON.stringify(outcome)}`);
		const table = collected(outcome.results.get('out'));
		return Object.fromEntries(table.schema.names.map((n) => [n, columnValues(table, n)]));
	}

	it('reads the SNAPPY file as DuckDB wrote it', async () => {
		const path = join(dir, 'snappy.parquet');
		await write(db, path, 'snappy');
		const got = await read(path);
		const rows = (await db.runAndReadAll(`select id, x, region from (${TABLE}) order by id`))
			.getRows()
			.map((r) => [Number(r[0]), r[1] === null ? null : Number(r[1]), r[2]]);
		expect(got.id.length).toBe(5000);
		expect(got.id.map((id, i) => [id, got.x[i], got.region[i]])).toEqual(rows);
		console.log(`fixtures written by DuckDB ${version}`);
	});

	it.each(CODECS)('reads %s equal to the same data in SNAPPY', async (codec, written) => {
		const snappy = join(dir, 'snappy.parquet');
		const path = join(dir, `${codec}.parquet`);
		await write(db, snappy, 'snappy');
		await write(db, path, codec);
		// The file really is in that codec (DuckDB could fall back to another).
		const meta = parquetMetadata(readFileSync(path).buffer as ArrayBuffer);
		const codecs = new Set(
			meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec))
		);
		expect([...codecs]).toEqual([written]);
		expect(meta.row_groups.length).toBe(3);
		expect(await read(path)).toEqual(await read(snappy));
	});
});
