// A Parquet source split between workers by row groups, through the real engine on Node
// worker_threads: Parquet → filter → group-by → collect on 1, 2 and 3 workers gives DuckDB's
// answer over files native DuckDB (@duckdb/node-api) wrote with several row groups, fewer row
// groups than workers, one row group; from a local file and over HTTP Range requests. Each
// source instance's rows and bytes are read back from the run's metrics: with enough row groups
// every instance reads some, and the instances' byte shares add up to the file.
// The random case runs a fixed seed by default; SLUICE_SEED=<n> explores others (the seed is
// printed and named in every failure).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../compiler/execute';
import { combineProgress } from '../runtime/metrics/rates';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { DatasetRegistry, probeDocumentDatasets } from './datasets';
import { collected, columnValues, line } from './pipeline-fixtures.spec-support';

const SEED = Number(process.env.SLUICE_SEED ?? 20261203);

/** rows × (id, key: repeating strings, n: int with nulls, v: whole floats, so sums are exact). */
function table(rows: number, keys: number, seed: number): string {
	return `select i::bigint as id,
		'key-' || (hash(i, ${seed}) % ${keys})::varchar as key,
		case when i % 17 = 0 then null else (hash(i, ${seed + 1}) % 1000)::integer end as n,
		(hash(i, ${seed + 2}) % 2000)::double - 1000 as v
	from range(${rows}) t(i)`;
}

/** What the pipeline and DuckDB both answer: one row per key, in key order. */
type Answer = [key: string, count: number, n: number | null, v: number, lo: number, hi: number][];

interface Ran {
	answer: Answer;
	/** Rows each Parquet source instance emitted, by instance. */
	sourceRows: number[];
	/** [bytesRead, bytesTotal] of each source instance. */
	sourceBytes: [number, number][];
}

describe('a Parquet source split between workers by row groups', () => {
	let pool: WorkerPool;
	let dir: string;
	let db: DuckDBConnection;
	let server: Server;
	let base = '';
	let files = 0;
	beforeAll(async () => {
		pool = createNodeWorkerPool(3);
		dir = mkdtempSync(join(tmpdir(), 'sluice-parquet-split-'));
		const instance = await DuckDBInstance.create(':memory:', {
			autoinstall_known_extensions: 'false',
			autoload_known_extensions: 'false'
		});
		db = await instance.connect();
		// Serves files of `dir` with Range requests, as a static file server does.
		server = createServer((req, res) => {
			const body = readFileSync(join(dir, (req.url ?? '/').slice(1)));
			const range = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
			if (!range) return void res.writeHead(200).end(body);
			const start = Number(range[1]);
			const end = Math.min(Number(range[2]) + 1, body.length);
			res.writeHead(206, { 'content-range': `bytes ${start}-${end - 1}/${body.length}` });
			res.end(body.subarray(start, end));
		});
		await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await pool.shutdown();
		db?.closeSync();
		await new Promise((done) => server.close(done));
		rmSync(dir, { recursive: true, force: true });
	});

	/** Writes `sql`'s rows as Parquet with row groups of `groupRows` rows; returns the file name. */
	async function write(sql: string, groupRows: number, codec = 'snappy'): Promise<string> {
		const name = `t${files++}.parquet`;
		await db.run(
			`copy (${sql}) to '${join(dir, name)}' (format parquet, row_group_size ${groupRows}, compression ${codec})`
		);
		return name;
	}

	async function rowGroups(name: string): Promise<number> {
		const reader = await db.runAndReadAll(
			`select count(distinct row_group_id) from parquet_metadata('${join(dir, name)}')`
		);
		return Number(reader.getRows()[0][0]);
	}

	async function duckdb(name: string, threshold: number): Promise<Answer> {
		const reader = await db.runAndReadAll(
			`select key, count(*), sum(n), sum(v), min(id), max(id) from '${join(dir, name)}'
			where v > ${threshold} group by key order by key`
		);
		return reader
			.getRows()
			.map(([key, ...rest]) => [
				String(key),
				...(rest.map((x) => (x === null ? null : Number(x))) as [
					number,
					number,
					number,
					number,
					number
				])
			]) as Answer;
	}

	/** Parquet → filter `v > threshold` (none when null) → group-by → collect. */
	async function sluice(source: string, threshold: number | null, workers: number): Promise<Ran> {
		const filter = { id: 'keep', kind: 'filter', params: { expression: `v > ${threshold}` } };
		const doc = line(
			{ id: 'src', kind: 'parquet', params: { source } },
			...(threshold === null ? [] : [filter]),
			{
				id: 'group',
				kind: 'group-by',
				params: {
					keys: ['key'],
					aggregates: [
						{ op: 'count', as: 'count' },
						{ op: 'sum', column: 'n', as: 'n' },
						{ op: 'sum', column: 'v', as: 'v' },
						{ op: 'min', column: 'id', as: 'lo' },
						{ op: 'max', column: 'id', as: 'hi' }
					]
				}
			},
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const started = startPipeline(
			doc,
			pool,
			{ workers, batchRows: 1000, budgetBytes: 64 << 20 },
			registry
		);
		const outcome = await started.outcome;
		if (outcome.status !== 'done') expect.fail(`run ended ${JSON.stringify(outcome)}`);
		const table = collected(outcome.results.get('out'));
		const cols = ['key', 'count', 'n', 'v', 'lo', 'hi'].map((c) => columnValues(table, c));
		const answer = cols[0]
			.map((_, r) => cols.map((c) => c[r]) as Answer[number])
			.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
		const stages = started.compiled.plan?.stages ?? [];
		const snapshot = started.run!.metrics.snapshot();
		const instances = stages.flatMap((s, i) =>
			s.kernel === 'node:parquet' ? [snapshot.stages[i]] : []
		);
		return {
			answer,
			sourceRows: instances.map((c) => c.rowsOut),
			sourceBytes: instances.map((c): [number, number] => [c.bytesRead, c.bytesTotal])
		};
	}

	it('gives DuckDB’s answer on 1, 2 and 3 workers, every instance reading its share', async () => {
		const name = await write(table(20_000, 50, 7), 2048);
		const size = statSync(join(dir, name)).size;
		expect(await rowGroups(name)).toBe(10);
		const want = await duckdb(name, 200);
		for (const workers of [1, 2, 3]) {
			const ran = await sluice(join(dir, name), 200, workers);
			expect(ran.answer, `${workers} workers`).toEqual(want);
			expect(ran.sourceRows, `${workers} workers`).toHaveLength(workers);
			// Contiguous runs of row groups balanced by rows: no instance idles.
			for (const rows of ran.sourceRows) expect(rows).toBeGreaterThan(20_000 / workers / 2);
			expect(ran.sourceRows.reduce((a, b) => a + b, 0)).toBe(20_000);
			// Each instance's share of the bytes; together, the file, read whole (every column).
			for (const [read, total] of ran.sourceBytes) {
				expect(total).toBeGreaterThan(0);
				expect(read).toBeLessThanOrEqual(total);
			}
			const combined = combineProgress(
				ran.sourceBytes.map(([bytesRead, bytesTotal]) => ({ bytesRead, bytesTotal }))
			);
			expect(combined.bytesTotal).toBe(size);
			expect(combined.bytesRead).toBeGreaterThan(size * 0.9);
		}
	});

	it('reads over HTTP Range requests split between workers alike', async () => {
		const name = await write(table(12_000, 30, 11), 2048, 'zstd');
		const want = await duckdb(name, -500);
		const ran = await sluice(`${base}/${name}`, -500, 2);
		expect(ran.answer).toEqual(want);
		expect(ran.sourceRows).toHaveLength(2);
		expect(ran.sourceRows.every((n) => n >= 4000)).toBe(true);
		const sizes = ran.sourceBytes.map(([, total]) => total);
		expect(sizes.reduce((a, b) => a + b, 0)).toBe(statSync(join(dir, name)).size);
	});

	it('splits a group-by straight after the source too (no step between them)', async () => {
		const name = await write(table(16_000, 40, 21), 2048);
		const want = await duckdb(name, -1e9);
		for (const workers of [2, 3]) {
			const ran = await sluice(join(dir, name), null, workers);
			expect(ran.answer, `${workers} workers`).toEqual(want);
			expect(ran.sourceRows, `${workers} workers`).toHaveLength(workers);
			for (const rows of ran.sourceRows) expect(rows).toBeGreaterThan(16_000 / workers / 2);
		}
	});

	it('leaves the instances past the row groups empty, with the same answer', async () => {
		const two = await write(table(3000, 20, 3), 2048);
		expect(await rowGroups(two)).toBe(2);
		const one = await write(table(900, 20, 4), 100_000);
		expect(await rowGroups(one)).toBe(1);
		for (const [name, groups] of [
			[two, 2],
			[one, 1]
		] as const) {
			const ran = await sluice(join(dir, name), 0, 3);
			expect(ran.answer, name).toEqual(await duckdb(name, 0));
			expect(ran.sourceRows.filter((n) => n > 0)).toHaveLength(groups);
			// An instance with no row group reports no bytes (instance 0 still owns the footer);
			// the shares still add up to the file.
			const totals = ran.sourceBytes.map(([, total]) => total);
			totals.forEach((total, k) => {
				if (k > 0) expect(total > 0, `${name} instance ${k}`).toBe(ran.sourceRows[k] > 0);
			});
			expect(totals.reduce((a, b) => a + b, 0)).toBe(statSync(join(dir, name)).size);
		}
	});

	it('gives DuckDB’s answer for random files, row group sizes and worker counts', async () => {
		console.log(`parquet split: seed ${SEED} (replay with SLUICE_SEED=${SEED})`);
		const prng = mulberry32(SEED);
		for (let round = 0; round < 6; round++) {
			const rows = prng.chance(0.2) ? prng.int(0, 50) : prng.int(51, 30_000);
			const groupRows = prng.int(1, 4) * 2048;
			const workers = prng.int(1, 3);
			const threshold = prng.int(-1100, 1000);
			const codec = prng.pick(['uncompressed', 'snappy', 'zstd', 'gzip']);
			const name = await write(table(rows, prng.int(1, 200), prng.int(0, 1e6)), groupRows, codec);
			const what = `seed ${SEED} round ${round}: ${rows} rows, groups of ${groupRows}, ${codec}, ${workers} workers, v > ${threshold}`;
			const ran = await sluice(join(dir, name), threshold, workers);
			expect(ran.answer, what).toEqual(await duckdb(name, threshold));
			expect(
				ran.sourceRows.reduce((a, b) => a + b, 0),
				what
			).toBe(rows);
		}
	});

	it('reports the columns it cannot read once, however many instances read the file', async () => {
		const file = resolve('test/fixtures/parquet/unsupported-columns.parquet');
		const doc = line(
			{ id: 'src', kind: 'parquet', params: { source: file } },
			{ id: 'keep', kind: 'filter', params: { expression: 'true' } },
			{
				id: 'group',
				kind: 'group-by',
				params: { keys: ['name'], aggregates: [{ op: 'count', as: 'rows' }] }
			},
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const started = startPipeline(
			doc,
			pool,
			{ workers: 3, batchRows: 1000, budgetBytes: 64 << 20 },
			registry
		);
		const outcome = await started.outcome;
		if (outcome.status !== 'done') expect.fail(`run ended ${JSON.stringify(outcome)}`);
		expect(started.compiled.plan?.stages.filter((s) => s.kernel === 'node:parquet')).toHaveLength(
			3
		);
		expect(collected(outcome.results.get('out')).numRows).toBe(3);
		expect(outcome.reports.get('src')?.issues).toEqual([
			expect.objectContaining({ reason: 'unsupported-column', action: 'dropped', count: 6 })
		]);
	});
});
