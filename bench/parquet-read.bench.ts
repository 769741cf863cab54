// `npm run bench -- parquet-read [--rows N]`
//
// Reading a db-benchmark-like Parquet file (written by native DuckDB, SNAPPY, its default row
// groups): id1/id2 'id%03d' over 100 values, id3 'id%010d' over rows/100 values, id4..id6 and
// v1, v2 ints, v3 a double; `--rows` rows (default 10M). Three figures:
//   1. the whole pipeline, Parquet source → group-by (count, sum v3) → collect, 1 worker, beside
//      native DuckDB (1 thread) answering the same from the file;
//   2. the source's decoding alone in this thread (every batch it yields), beside DuckDB;
//   3. the JS heap that decoding allocates per 64 MB of frame bytes (v8.GCProfiler: what each
//      collection freed, plus what is left at the end), against the goal of 1 MB.
// Each time is the best of 3 (`--repeats`) after a warm-up; the answers are checked against DuckDB's.
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GCProfiler } from 'node:v8';
import { startPipeline } from '../src/lib/compiler/execute';
import { line } from '../src/lib/graph/build';
import type { PipelineDocument } from '../src/lib/graph/document';
import type { CollectResult } from '../src/lib/nodes/collect';
import { parquetBatches, type Opened } from '../src/lib/nodes/kernels/source-parquet';
import { ByteRanges } from '../src/lib/nodes/parquet/byte-ranges';
import { probeParquetSchema } from '../src/lib/nodes/parquet/parquet-probe';
import { DatasetRegistry, probeDocumentDatasets } from '../src/lib/nodes/datasets';
import { SourceReportBuilder } from '../src/lib/runtime/source-report';
import { createNodeWorkerPool } from '../src/lib/runtime/scheduler/node-pool';
import { arg } from './query-table';
import { row, type BenchRow } from './row';

async function writeFile(db: DuckDBConnection, rows: number, path: string): Promise<void> {
	if (existsSync(path)) return;
	const k = Math.max(1, Math.floor(rows / 100));
	await db.run(`copy (
		select
			printf('id%03d', (hash(i, 1) % 100)::integer + 1) as id1,
			printf('id%03d', (hash(i, 2) % 100)::integer + 1) as id2,
			printf('id%010d', (hash(i, 3) % ${k})::bigint + 1) as id3,
			((hash(i, 4) % 100)::integer + 1)::integer as id4,
			((hash(i, 5) % 100)::integer + 1)::integer as id5,
			((hash(i, 6) % ${k})::integer + 1)::integer as id6,
			((hash(i, 7) % 5)::integer + 1)::integer as v1,
			((hash(i, 8) % 15)::integer + 1)::integer as v2,
			round((hash(i, 9) % 10000000)::double / 100000, 6) as v3
		from range(${rows}) t(i)
	) to '${path}' (format parquet)`);
}

function doc(path: string): PipelineDocument {
	const nodes = [
		{ id: 'src', kind: 'parquet', params: { source: path } },
		{
			id: 'agg',
			kind: 'group-by',
			params: {
				keys: [],
				aggregates: [
					{ op: 'count', as: 'n' },
					{ op: 'sum', column: 'v3', as: 's' }
				]
			}
		},
		{ id: 'out', kind: 'collect', params: {} }
	];
	return line(nodes, 'parquet read');
}

async function bestOf(label: string, once: () => Promise<void>, repeats: number): Promise<number> {
	const times: number[] = [];
	for (let r = 0; r <= repeats; r++) {
		const t0 = performance.now();
		await once();
		const ms = performance.now() - t0;
		if (r > 0) times.push(ms); // the first run warms up
		console.log(`${label}: ${ms.toFixed(0)} ms`);
	}
	return Math.min(...times);
}

/** Rows and frame bytes the source yields, decoding in this thread. */
async function decodeAll(path: string): Promise<{ rows: number; bytes: number }> {
	const schema = await probeParquetSchema(path);
	const opened: Opened = {
		buffer: null,
		fetched: new ByteRanges(),
		share: null,
		report: new SourceReportBuilder()
	};
	let rows = 0;
	let bytes = 0;
	for await (const batch of parquetBatches({ source: path, schema }, 16_384, opened)) {
		rows += batch.length;
		for (const c of batch.columns) {
			// A utf8 column's values may be a view over more rows' bytes: count its rows' only.
			const o = c.offsets;
			bytes += o ? o[batch.length] - o[0] + o.byteLength : c.values.byteLength;
			bytes += c.validity?.byteLength ?? 0;
		}
	}
	return { rows, bytes };
}

/** JS heap bytes allocated while `work` runs (freed by each GC, plus the growth left). */
async function allocated<T>(work: () => Promise<T>): Promise<{ result: T; bytes: number }> {
	globalThis.gc?.();
	const profiler = new GCProfiler();
	const { heapUsed: before } = process.memoryUsage();
	profiler.start();
	const result = await work();
	const { heapUsed: after } = process.memoryUsage();
	const stats = profiler.stop();
	let freed = 0;
	for (const s of stats?.statistics ?? []) {
		const used = (h: { heapSpaceStatistics: { spaceUsedSize: number }[] }) =>
			h.heapSpaceStatistics.reduce((t, x) => t + x.spaceUsedSize, 0);
		freed += Math.max(0, used(s.beforeGC) - used(s.afterGC));
	}
	return { result, bytes: freed + Math.max(0, after - before) };
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const rows = arg(args, '--rows', 10_000_000);
	const repeats = arg(args, '--repeats', 3);
	const dir = join(tmpdir(), 'sluice-bench');
	mkdirSync(dir, { recursive: true });
	const path = join(dir, `dbbench-${rows}.parquet`);
	const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
	const db = await instance.connect();
	const pool = createNodeWorkerPool(1);
	const out: BenchRow[] = [];
	const label = `${rows / 1e6}M rows, db-benchmark columns (3 strings, 6 numbers)`;
	try {
		await writeFile(db, rows, path);
		await pool.worker(0).api.ping();
		const sql = `select count(*)::double, sum(v3), sum(length(id1) + length(id2) + length(id3) + id4 + id5 + id6 + v1 + v2)::double from read_parquet('${path}')`;
		const [wantRows, wantSum] = (await db.runAndReadAll(sql)).getRows()[0] as number[];
		const duckMs = await bestOf(
			'DuckDB, every column read',
			async () => {
				await db.runAndReadAll(sql);
			},
			repeats
		);
		const pipeline = doc(path);
		const registry = new DatasetRegistry();
		const problems = await probeDocumentDatasets(pipeline, registry);
		if (problems.length > 0) throw new Error(JSON.stringify(problems));
		const runMs = await bestOf(
			'ours, source → group-by → collect',
			async () => {
				const outcome = await startPipeline(pipeline, pool, { workers: 1 }, registry).outcome;
				if (outcome.status !== 'done') throw new Error(`run ${outcome.status}`);
				const table = tableFromIPC((outcome.results.get('out') as CollectResult).ipc);
				const n = Number(table.getChild('n')!.get(0));
				const s = Number(table.getChild('s')!.get(0));
				if (n !== wantRows || Math.abs(s - wantSum) > 1e-6 * Math.abs(wantSum))
					throw new Error(`answer ${n}, ${s}; DuckDB ${wantRows}, ${wantSum}`);
			},
			repeats
		);
		let frameBytes = 0;
		const decodeMs = await bestOf(
			'ours, decoding alone (this thread)',
			async () => {
				const got = await decodeAll(path);
				if (got.rows !== wantRows) throw new Error(`decoded ${got.rows} rows of ${wantRows}`);
				frameBytes = got.bytes;
			},
			repeats
		);
		const heap = await allocated(() => decodeAll(path));
		const perFrames = heap.bytes / (frameBytes / (64 * 1024 * 1024)) / (1024 * 1024);
		console.log(
			`heap: ${(heap.bytes / 2 ** 20).toFixed(0)} MB allocated for ${(frameBytes / 2 ** 20).toFixed(0)} MB of frames`
		);
		for (const [metric, ours] of [
			['compile + run to a count and sum, 1 worker / DuckDB 1 thread', runMs],
			['decode every column (this thread) / DuckDB 1 thread', decodeMs]
		] as const)
			out.push(
				row({
					case: label,
					metric,
					unit: 'ms',
					ours,
					baseline: duckMs,
					baselineName: 'DuckDB',
					higherIsBetter: false
				})
			);
		out.push(
			row({
				case: label,
				metric: 'JS heap allocated per 64 MB of frames (goal 1 MB)',
				unit: 'MB',
				ours: perFrames,
				baseline: 1,
				baselineName: 'goal',
				higherIsBetter: false
			})
		);
		return out;
	} finally {
		db.closeSync();
		await pool.shutdown();
	}
}
