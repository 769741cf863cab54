// `npm run bench -- int-overflow [--rows N]`
//
// What checked int64 arithmetic costs in a derive, beside native DuckDB, which also fails on
// overflow, doing the same in the same process (@duckdb/node-api), 1 worker / 1 thread:
//   x = id * k and z = c − x (int64), then p = x * z and max(p) over `--rows` rows (default
//   10M), in two cases: (1) k = 1, c = 9e8: every product under 2^53, where ours checks each
//   result's range on doubles; (2) k = 400, c = 4e9: products up to 4e18, past 2^53, where ours
//   keeps exact values as BigInt. The operands' ranges allow a product past int64 in both, so
//   neither engine can drop the check from the types or statistics; no row overflows.
//   Ours: generator → derive x → derive z → derive p → group-by max → collect, compile to
//   answer. DuckDB: the same expressions over range(rows).
// Each figure is the best of 3 after a warm-up; both answers are checked.
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { startPipeline } from '../src/lib/compiler/execute';
import { line } from '../src/lib/graph/build';
import type { PipelineDocument } from '../src/lib/graph/document';
import type { CollectResult } from '../src/lib/nodes/collect';
import { createNodeWorkerPool } from '../src/lib/runtime/scheduler/node-pool';
import { arg } from './query-table';
import { row, type BenchRow } from './row';

const REPEATS = 3;

interface Case {
	name: string;
	k: number;
	c: number;
}

const CASES: Case[] = [
	{ name: 'products under 2^53', k: 1, c: 900_000_000 },
	{ name: 'products up to 4e18 (past 2^53)', k: 400, c: 4_000_000_000 }
];

function doc(rows: number, { k, c }: Case): PipelineDocument {
	const nodes = [
		{
			id: 'src',
			kind: 'generator',
			params: { rows, columns: [{ name: 'id', type: 'int', cardinality: 0 }] }
		},
		{ id: 'x', kind: 'derive', params: { column: 'x', expression: `id * ${k}` } },
		{ id: 'z', kind: 'derive', params: { column: 'z', expression: `${c} - x` } },
		{ id: 'p', kind: 'derive', params: { column: 'p', expression: 'x * z' } },
		{
			id: 'max',
			kind: 'group-by',
			params: { keys: [], aggregates: [{ op: 'max', column: 'p', as: 'top' }] }
		},
		{ id: 'out', kind: 'collect', params: {} }
	];
	return line(nodes, 'int64 overflow checks');
}

/** max over r < rows of (k r)(c − k r), as an exact bigint. */
function expected(rows: number, { k, c }: Case): bigint {
	let best = 0n;
	for (let r = 0n; r < BigInt(rows); r++) {
		const x = BigInt(k) * r;
		const p = x * (BigInt(c) - x);
		if (p > best) best = p;
	}
	return best;
}

async function bestOf(label: string, want: bigint, once: () => Promise<bigint>): Promise<number> {
	const times: number[] = [];
	for (let r = 0; r <= REPEATS; r++) {
		const t0 = performance.now();
		const got = await once();
		const ms = performance.now() - t0;
		if (got !== want) throw new Error(`${label}: answer ${got}, expected ${want}`);
		if (r > 0) times.push(ms); // the first run warms up
		console.log(`${label}: ${ms.toFixed(0)} ms`);
	}
	return Math.min(...times);
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const rows = arg(args, '--rows', 10_000_000);
	const pool = createNodeWorkerPool(1);
	const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
	const db = await instance.connect();
	const out: BenchRow[] = [];
	try {
		await pool.worker(0).api.ping();
		for (const kase of CASES) {
			const want = expected(rows, kase);
			const pipeline = doc(rows, kase);
			const ourMs = await bestOf(`ours, ${kase.name}`, want, async () => {
				const outcome = await startPipeline(pipeline, pool, { workers: 1 }).outcome;
				if (outcome.status !== 'done') throw new Error(`run ${outcome.status}`);
				const result = outcome.results.get('out') as CollectResult;
				return BigInt(tableFromIPC(result.ipc).getChildAt(0)!.get(0) as bigint);
			});
			const sql =
				`select max(x * z) from (select x, ${kase.c} - x as z from ` +
				`(select range::bigint * ${kase.k} as x from range(${rows})))`;
			const duckMs = await bestOf(`DuckDB, ${kase.name}`, want, async () =>
				BigInt((await db.runAndReadAll(sql)).getRows()[0][0] as bigint)
			);
			const c =
				`p = x * z on int64, overflow checked (x = id * ${kase.k}, z = ${kase.c} − x), ` +
				`max(p), ${(rows / 1e6).toFixed(0)}M rows, ${kase.name}`;
			out.push(
				row({
					case: c,
					metric: 'compile + run, 1 worker / 1 thread',
					unit: 'ms',
					ours: ourMs,
					baseline: duckMs,
					baselineName: 'DuckDB',
					higherIsBetter: false
				}),
				row({
					case: c,
					metric: 'throughput',
					unit: 'rows/s',
					ours: rows / (ourMs / 1000),
					baseline: rows / (duckMs / 1000),
					baselineName: 'DuckDB',
					higherIsBetter: true
				})
			);
		}
		return out;
	} finally {
		db.closeSync();
		await pool.shutdown();
	}
}
