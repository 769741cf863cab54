// `npm run bench -- dbbench [--rows N] [--reps R] [--questions q1,q3] [--files csv,parquet]`
// (defaults: 10,000,000 rows, 3 reps, every question, both files)
//
// The db-benchmark group-by questions (h2oai/db-benchmark, G1 data: bench/dbbench/generate.ts)
// that Sluice can express (q1–q5, q7, q10: bench/dbbench/questions.ts), each from the CSV and
// from the Parquet file. Contenders, in the same run, interleaved, median of R reps:
// - Sluice through the API `sluice run` uses, on a pool of 1 and of 2 Node worker_threads
//   (started before timing), from the document to the answer;
// - DuckDB-WASM (@duckdb/duckdb-wasm in Node, single-threaded): its table loaded from the CSV
//   (it cannot read Parquet here: see bench/dbbench/duckdb.ts), then queried; both load+query
//   and query-only are reported, for both files' rows;
// - native DuckDB (@duckdb/node-api, every core) querying the same file.
// In the first rep every Sluice answer is checked against native DuckDB's (rows sorted by the
// keys, floats within 1e-9 relative); a difference stops the bench with the group it is in.
import { createNodeWorkerPool } from '../src/lib/runtime/scheduler/node-pool';
import type { WorkerPool } from '../src/lib/runtime/scheduler/worker-pool';
import { difference, type Answer } from './dbbench/answer';
import { fromFile, NativeDuckDB, WasmDuckDB } from './dbbench/duckdb';
import { g1Files } from './dbbench/generate';
import { QUESTIONS } from './dbbench/questions';
import { sluiceAnswer } from './dbbench/sluice';
import { arg } from './query-table';
import { row, type BenchRow } from './row';

const KINDS = ['csv', 'parquet'] as const;

/** The comma-separated values of `--name`, or null when it is not given. */
function listArg(args: string[], name: string): string[] | null {
	const i = args.indexOf(name);
	return i >= 0 ? (args[i + 1] ?? '').split(',') : null;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Starts every worker of the pool now, so no timed run pays for a worker's start. */
async function startAll(pool: WorkerPool): Promise<void> {
	await Promise.all(Array.from({ length: pool.size }, (_, i) => pool.worker(i).api.ping()));
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const n = arg(args, '--rows', 10_000_000);
	const reps = arg(args, '--reps', 3);
	const picked = listArg(args, '--questions');
	const questions = picked ? QUESTIONS.filter((q) => picked.includes(q.id)) : QUESTIONS;
	const pickedFiles = listArg(args, '--files');
	const kinds = pickedFiles ? KINDS.filter((k) => pickedFiles.includes(k)) : KINDS;
	if (questions.length === 0 || kinds.length === 0)
		throw new RangeError(
			`--questions takes some of ${QUESTIONS.map((q) => q.id).join(',')}; --files some of csv,parquet`
		);
	const files = await g1Files(n);
	const pools = new Map([1, 2].map((w) => [w, createNodeWorkerPool(w)]));
	await Promise.all([...pools.values()].map(startAll));
	const native = await NativeDuckDB.open();
	const wasm = await WasmDuckDB.open(files.csv);
	const times = new Map<string, number[]>();
	const note = (key: string, ms: number) => times.set(key, [...(times.get(key) ?? []), ms]);

	try {
		for (let rep = 0; rep < reps; rep++) {
			note('wasm load', wasm.load());
			for (const q of questions) note(`wasm ${q.id}`, wasm.query(q).ms);
			for (const kind of kinds) {
				for (const q of questions) {
					const theirs = await native.answer(q, fromFile(files[kind], kind));
					note(`native ${kind} ${q.id}`, theirs.ms);
					for (const [w, pool] of pools) {
						const ours = await sluiceAnswer(pool, q, files[kind], kind);
						note(`sluice${w} ${kind} ${q.id}`, ours.ms);
						if (rep === 0) check(ours.answer, theirs.answer, q, `${kind}, ${w} worker(s)`);
					}
					console.log(`rep ${rep + 1}/${reps} ${kind} ${q.id} done`);
				}
			}
		}
	} finally {
		native.close();
		await Promise.all([...pools.values()].map((p) => p.shutdown()));
	}

	const t = (key: string) => median(times.get(key)!);
	const rows: BenchRow[] = [];
	const lines = [
		`G1 ${n.toLocaleString('en')} rows, median of ${reps}, seconds`,
		'| question | file | Sluice 1 worker | Sluice 2 workers | DuckDB-WASM load+query | DuckDB-WASM query | native DuckDB |',
		'| --- | --- | ---: | ---: | ---: | ---: | ---: |'
	];
	const s = (ms: number) => (ms / 1000).toFixed(2);
	for (const kind of kinds) {
		for (const q of questions) {
			const one = t(`sluice1 ${kind} ${q.id}`);
			const two = t(`sluice2 ${kind} ${q.id}`);
			const query = t(`wasm ${q.id}`);
			const loadQuery = t('wasm load') + query;
			const nat = t(`native ${kind} ${q.id}`);
			lines.push(
				`| ${q.id} ${q.title} | ${kind} | ${s(one)} | ${s(two)} | ${s(loadQuery)} | ${s(query)} | ${s(nat)} |`
			);
			const c = `${q.id} ${q.title}, from ${kind === 'csv' ? 'CSV' : 'Parquet'}`;
			const base = { case: c, unit: 'ms', higherIsBetter: false };
			rows.push(
				row({
					...base,
					metric: 'time, 1 worker',
					ours: one,
					baseline: loadQuery,
					baselineName: 'DuckDB-WASM: load table from the CSV, then query'
				}),
				row({
					...base,
					metric: 'time, 1 worker',
					ours: one,
					baseline: query,
					baselineName: 'DuckDB-WASM: query of its in-memory table'
				}),
				row({
					...base,
					metric: 'time, 2 workers',
					ours: two,
					baseline: nat,
					baselineName: `native DuckDB from the same ${kind === 'csv' ? 'CSV' : 'Parquet'} file`
				}),
				row({
					...base,
					metric: 'time, 2 workers',
					ours: two,
					baseline: one,
					baselineName: 'ours, 1 worker'
				})
			);
		}
	}
	console.log(lines.join('\n'));
	return rows;
}

function check(ours: Answer, theirs: Answer, q: (typeof QUESTIONS)[number], where: string) {
	const why = difference(ours, theirs, q.keys, q.columns);
	if (why !== null)
		throw new Error(`Sluice's ${q.id} answer (${where}) differs from DuckDB's: ${why}`);
}
