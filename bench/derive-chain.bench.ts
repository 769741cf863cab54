// `npm run bench -- derive-chain [--rows N] [--literal-bytes N]`
//
// Long derive chains and a large string constant, ours beside native DuckDB doing the same
// computation in the same process (@duckdb/node-api):
//   (a) a chain of 1,000 and of 9,997 derive nodes `c0 = c0 + 1` over a `--rows` source
//       (default 1,000), summed by a group-by into a collect sink (9,997 derives and those three
//       make 10,000 nodes, a document's most). DuckDB runs the same chain as chained CTEs
//       (`t<i> as (select c0 + 1 as c0 from t<i-1>)`) over `range(rows)`, 1,000 per query
//       (9,997 in one query crash it), each query's result a temp table the next one
//       reads, then `sum(c0)`;
//   (b) `x = '<1 MB literal>'` over 1,000 rows, then `length(x) > 0` and a count: the
//       constant flows through an expression and a filter. DuckDB: the same literal, filter
//       and count over `range(1000)`.
// Ours is compile + run on 1 worker from the document (the compiler's and the workers' share
// included: that is what a long chain costs); DuckDB's is its queries, parse to answer. Each
// figure is the best of 3 after a warm-up; each answer is checked against the expected one.
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { startPipeline } from '../src/lib/compiler/execute';
import { line, type NodeSpec } from '../src/lib/graph/build';
import type { PipelineDocument } from '../src/lib/graph/document';
import type { CollectResult } from '../src/lib/nodes/collect';
import { createNodeWorkerPool } from '../src/lib/runtime/scheduler/node-pool';
import type { WorkerPool } from '../src/lib/runtime/scheduler/worker-pool';
import { arg } from './query-table';
import { row, type BenchRow } from './row';

const REPEATS = 3;
/** Chained CTEs in one DuckDB query (9,997 in one query crash it). */
const CTES_PER_QUERY = 1_000;

function lineDoc(nodes: NodeSpec[]): PipelineDocument {
	return line(nodes, 'derive chain bench');
}

const COLLECT = { id: 'out', kind: 'collect', params: {} };

const source = (rows: number) => ({
	id: 'src',
	kind: 'generator',
	params: { rows, columns: [{ name: 'c0', type: 'int', cardinality: 0 }] }
});

function chainDoc(count: number, rows: number): PipelineDocument {
	const derives = Array.from({ length: count }, (_, k) => ({
		id: `d${k + 1}`,
		kind: 'derive',
		params: { column: 'c0', expression: 'c0 + 1' }
	}));
	const sum = {
		id: 'sum',
		kind: 'group-by',
		params: { keys: [], aggregates: [{ op: 'sum', column: 'c0', as: 'total' }] }
	};
	return lineDoc([source(rows), ...derives, sum, COLLECT]);
}

function literalDoc(literal: string, rows: number): PipelineDocument {
	return lineDoc([
		source(rows),
		{ id: 'd', kind: 'derive', params: { column: 'x', expression: `'${literal}'` } },
		{ id: 'f', kind: 'filter', params: { expression: 'length(x) > 0' } },
		{
			id: 'count',
			kind: 'group-by',
			params: { keys: [], aggregates: [{ op: 'count', as: 'n' }] }
		},
		COLLECT
	]);
}

/** Our run of `doc`: ms from compile to answer, and the group-by's one value. */
async function ours(
	pool: WorkerPool,
	doc: PipelineDocument
): Promise<{ ms: number; value: number }> {
	const t0 = performance.now();
	const started = startPipeline(doc, pool, { workers: 1 });
	const outcome = await started.outcome;
	const ms = performance.now() - t0;
	if (outcome.status !== 'done')
		throw new Error(`run ${outcome.status}: ${JSON.stringify(outcome)}`);
	const result = outcome.results.get('out') as CollectResult;
	return { ms, value: Number(tableFromIPC(result.ipc).getChildAt(0)!.get(0)) };
}

async function duck(db: DuckDBConnection, sql: string): Promise<{ ms: number; value: number }> {
	const t0 = performance.now();
	const value = Number((await db.runAndReadAll(sql)).getRows()[0][0]);
	return { ms: performance.now() - t0, value };
}

/** `count` chained CTEs `c0 + 1` over `from`, as the body of a query (DuckDB's binder recurses). */
function ctes(count: number, from: string): string {
	const list = [`t0 as (select c0 from ${from})`];
	for (let i = 1; i <= count; i++) list.push(`t${i} as (select c0 + 1 as c0 from t${i - 1})`);
	return `with ${list.join(', ')} select c0 from t${count}`;
}

/**
 * The chain in DuckDB: 1,000 chained CTEs per query (more overflow its binder's stack), each
 * query's result a temp table the next one reads, then `sum(c0)`.
 */
async function duckChain(
	db: DuckDBConnection,
	count: number,
	rows: number
): Promise<{ ms: number; value: number }> {
	const t0 = performance.now();
	await db.run(`create or replace temp table s0 as select range::bigint as c0 from range(${rows})`);
	let done = 0;
	let k = 0;
	while (done < count) {
		const step = Math.min(CTES_PER_QUERY, count - done);
		await db.run(`create or replace temp table s${k + 1} as ${ctes(step, `s${k}`)}`);
		done += step;
		k++;
	}
	const value = Number((await db.runAndReadAll(`select sum(c0) from s${k}`)).getRows()[0][0]);
	return { ms: performance.now() - t0, value };
}

async function best(
	label: string,
	expected: number,
	once: () => Promise<{ ms: number; value: number }>
): Promise<number> {
	const times: number[] = [];
	for (let r = 0; r <= REPEATS; r++) {
		const { ms, value } = await once();
		if (value !== expected) throw new Error(`${label}: answer ${value}, expected ${expected}`);
		if (r > 0) times.push(ms); // the first run warms up
		console.log(`${label}: ${ms.toFixed(0)} ms`);
	}
	return Math.min(...times);
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const rows = arg(args, '--rows', 1_000);
	const literalBytes = arg(args, '--literal-bytes', 1_000_000);
	const pool = createNodeWorkerPool(1);
	const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
	const db = await instance.connect();
	// Each CTE nests the expression one level deeper.
	await db.run('SET max_expression_depth TO 100000');
	const out: BenchRow[] = [];
	try {
		await pool.worker(0).api.ping();
		for (const count of [1_000, 9_997]) {
			// sum over r of (r + count)
			const expected = (rows * (rows - 1)) / 2 + rows * count;
			const doc = chainDoc(count, rows);
			const ourMs = await best(`ours, ${count} derives`, expected, () => ours(pool, doc));
			const duckMs = await best(`DuckDB, ${count} CTEs`, expected, () =>
				duckChain(db, count, rows)
			);
			out.push(
				row({
					case: `chain of ${count.toLocaleString('en-US')} derives c0 = c0 + 1 over ${rows.toLocaleString('en-US')} rows, then sum (DuckDB: ${count.toLocaleString('en-US')} chained CTEs, 1,000 per query through temp tables)`,
					metric: 'compile + run, 1 worker / 1 thread',
					unit: 'ms',
					ours: ourMs,
					baseline: duckMs,
					baselineName: 'DuckDB',
					higherIsBetter: false
				})
			);
		}
		const literal = 'a'.repeat(literalBytes);
		const literalRows = 1_000;
		const ourMs = await best('ours, literal', literalRows, () =>
			ours(pool, literalDoc(literal, literalRows))
		);
		const sql = `select count(*) from (select '${literal}' as x from range(${literalRows})) where length(x) > 0`;
		const duckMs = await best('DuckDB, literal', literalRows, () => duck(db, sql));
		out.push(
			row({
				case: `x = '<${(literalBytes / 1e6).toFixed(0)} MB literal>' over ${literalRows.toLocaleString('en-US')} rows, filter length(x) > 0, count`,
				metric: 'compile + run, 1 worker / 1 thread',
				unit: 'ms',
				ours: ourMs,
				baseline: duckMs,
				baselineName: 'DuckDB',
				higherIsBetter: false
			})
		);
	} finally {
		db.closeSync();
		await pool.shutdown();
	}
	return out;
}
