import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../compiler';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import { frameBytes } from '../runtime/batch/layout';
import type { FrameSchema } from '../runtime/batch/types';
import { valueAt } from '../runtime/batch/values';
import { FrameWriter } from '../runtime/batch/writer';
import type { KernelContext } from '../runtime/scheduler/kernel';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { generator, generatorSchema } from './generator';
import { groupBy } from './group-by';
import type { AggregateParam } from './kernels/group-plan';
import { table as tableSink, type Cell, type TableResult } from './table';
import { CHAIN_KERNEL, nodeKernelName } from './kernel-name';

type Value = number | bigint | boolean | string | null;

/** The generator's rows, made on this thread by its own kernel (so the reference sees the same data). */
function generate(raw: Record<string, unknown>): { schema: FrameSchema; rows: Value[][] } {
	const p = v.parse(generator.params, raw);
	const schema = generatorSchema(p);
	const kernel = generator.kernel!({
		params: p,
		kernels: new Map(),
		budgetBytes: 1 << 30,
		stageName: 'gen',
		inputSchemas: [],
		outputSchemas: [schema],
		instance: 0,
		instances: 1
	});
	const rows: Value[][] = [];
	const ctx = {
		batchRows: 1000,
		allocate(_port: number, n: number, utf8?: number[]) {
			const writer = new FrameWriter(schema);
			const bytes = frameBytes(
				schema,
				n,
				utf8,
				schema.types.map(() => true)
			);
			writer.begin(new ArrayBuffer(bytes), 0, bytes, n, utf8);
			return writer;
		},
		emitWriter(_port: number, writer: FrameWriter, n: number) {
			writer.finish(n);
			for (let r = 0; r < n; r++)
				rows.push(schema.types.map((_, c) => valueAt(writer.column(c), r)));
		}
	} as unknown as KernelContext;
	while (kernel.produce!(ctx) === 'more');
	return { schema, rows };
}

const cell = (x: Value): Cell => (typeof x === 'bigint' ? Number(x) : x);
const less = (a: Value, b: Value) => (a as number) < (b as number);

/** GROUP BY in plain JS: the semantics the node promises, one row at a time. */
function reference(
	schema: FrameSchema,
	rows: Value[][],
	keys: string[],
	aggregates: AggregateParam[]
): Cell[][] {
	const col = (name: string) => schema.names.indexOf(name);
	const groups = new Map<string, Value[][]>();
	if (keys.length === 0) groups.set('[]', []);
	for (const row of rows) {
		const id = JSON.stringify(keys.map((k) => String(row[col(k)]) + typeof row[col(k)]));
		if (!groups.has(id)) groups.set(id, []);
		groups.get(id)!.push(row);
	}
	return [...groups.values()].map((members) => {
		const out: Cell[] = keys.map((k) => (members.length ? cell(members[0][col(k)]) : null));
		for (const a of aggregates) {
			if (a.column === undefined) {
				out.push(members.length);
				continue;
			}
			const vals = members.map((r) => r[col(a.column!)]).filter((x) => x !== null);
			const nums = vals.map(Number);
			const sum = nums.reduce((s, x) => s + x, 0);
			if (a.op === 'count') out.push(vals.length);
			else if (a.op === 'count_distinct') out.push(new Set(vals).size);
			else if (vals.length === 0) out.push(null);
			else if (a.op === 'sum') out.push(sum);
			else if (a.op === 'mean') out.push(sum / vals.length);
			else {
				let m = vals[0];
				for (const x of vals) if (a.op === 'min' ? less(x, m) : less(m, x)) m = x;
				out.push(cell(m));
			}
		}
		return out;
	});
}

function sortRows(rows: Cell[][], keys: number): Cell[][] {
	const tagged = rows.map((row) => ({ row, key: JSON.stringify(row.slice(0, keys)) }));
	tagged.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return tagged.map((t) => t.row);
}

const same = (a: Cell, b: Cell): boolean =>
	typeof a === 'number' && typeof b === 'number' && !Number.isInteger(b)
		? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
		: a === b;

/** Same groups with the same values (float aggregates to 1e-9 relative: addition order differs). */
function expectSameRows(got: Cell[][], want: Cell[][], keys: number, what: string): void {
	expect(got.length, `${what}: groups`).toBe(want.length);
	const g = sortRows(got, keys);
	const w = sortRows(want, keys);
	for (let i = 0; i < w.length; i++) {
		if (g[i].length === w[i].length && g[i].every((x, c) => same(x, w[i][c]))) continue;
		expect(g[i], `${what}: group ${JSON.stringify(w[i].slice(0, keys))}`).toEqual(w[i]);
	}
}

const COLUMNS = [
	{ name: 'id', type: 'int', cardinality: 0 },
	{ name: 'k', type: 'int', cardinality: 7, nulls: 0.1 },
	{ name: 's', type: 'string', cardinality: 5, nulls: 0.1 },
	{ name: 'b', type: 'bool', nulls: 0.2 },
	{ name: 'f', type: 'float', min: -10, max: 10, nulls: 0.2 },
	{ name: 't', type: 'timestamp', nulls: 0.1 },
	{ name: 'wide', type: 'int', cardinality: 3_000_000 }
];

const EVERY_OP: AggregateParam[] = [
	{ op: 'count' },
	{ op: 'count', column: 'f' },
	{ op: 'sum', column: 'f' },
	{ op: 'mean', column: 'f' },
	{ op: 'min', column: 'f' },
	{ op: 'max', column: 'f' },
	{ op: 'sum', column: 'k', as: 'sum_of_k' },
	{ op: 'mean', column: 'k' },
	{ op: 'min', column: 's' },
	{ op: 'max', column: 's' },
	{ op: 'min', column: 't' },
	{ op: 'max', column: 't' },
	{ op: 'min', column: 'b' },
	{ op: 'max', column: 'b' },
	{ op: 'count_distinct', column: 's' },
	{ op: 'count_distinct', column: 't' },
	{ op: 'count_distinct', column: 'b' },
	{ op: 'count_distinct', column: 'k' }
];

function doc(
	genParams: Record<string, unknown>,
	keys: string[],
	aggregates: AggregateParam[],
	before: { kind: string; params: Record<string, unknown> } | null
): PipelineDocument {
	const nodes: PipelineDocument['nodes'] = [
		{ id: 'gen', kind: 'generator', params: genParams, position: { x: 0, y: 0 } },
		{ id: 'grp', kind: 'group-by', params: { keys, aggregates }, position: { x: 2, y: 0 } },
		{ id: 'tbl', kind: 'table', params: { limit: 100_000 }, position: { x: 3, y: 0 } }
	];
	const edges = [{ id: 'e3', from: { node: 'grp', port: 'out' }, to: { node: 'tbl', port: 'in' } }];
	if (before) {
		nodes.push({ id: 'pre', kind: before.kind, params: before.params, position: { x: 1, y: 0 } });
		edges.push(
			{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'pre', port: 'in' } },
			{ id: 'e2', from: { node: 'pre', port: 'out' }, to: { node: 'grp', port: 'in' } }
		);
	} else
		edges.push({ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'grp', port: 'in' } });
	return { version: 1, id: 'g', name: 'group-by test', nodes, edges };
}

const PASS = { kind: 'select', params: { columns: [] } };

describe('group-by', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(3);
	});
	afterAll(async () => pool.shutdown());

	async function run(d: PipelineDocument, workers: number, batchRows = 1000): Promise<TableResult> {
		const started = startPipeline(d, pool, { workers, batchRows });
		const outcome = await started.outcome;
		if (outcome.status !== 'done')
			throw new Error(`run ${outcome.status}: ${JSON.stringify(outcome)}`);
		return outcome.results.get('tbl') as TableResult;
	}

	const seed = mulberry32(Date.now() >>> 0).int(1, 1_000_000);
	const gen = { rows: 12_345, seed, columns: COLUMNS };
	const data = generate(gen);
	const cases: [string, string[], AggregateParam[]][] = [
		['an int key with nulls', ['k'], EVERY_OP],
		['a string key with nulls', ['s'], EVERY_OP],
		['three keys of int, string and bool', ['k', 's', 'b'], EVERY_OP],
		['no keys (one global group)', [], EVERY_OP],
		['a timestamp key', ['t'], [{ op: 'count' }]],
		['a float key', ['f'], [{ op: 'count' }, { op: 'max', column: 'id' }]],
		[
			'an int key of three million values (beyond the direct table)',
			['wide'],
			[{ op: 'count' }, { op: 'min', column: 'id' }]
		]
	];
	for (const [what, keys, aggs] of cases) {
		it(`with ${what}, equals a plain JS GROUP BY on 1, 2 and 3 workers (seed ${seed})`, async () => {
			const want = reference(data.schema, data.rows, keys, aggs);
			for (const workers of [1, 2, 3]) {
				const table = await run(doc(gen, keys, aggs, PASS), workers);
				expect(table.schema.names.slice(0, keys.length)).toEqual(keys);
				expectSameRows(table.rows, want, keys.length, `${what}, ${workers} workers, seed ${seed}`);
			}
		});
	}

	it('splits a partial and merge over 2 and 3 instances and gives what one instance gives', async () => {
		const d = doc(gen, ['k', 's'], EVERY_OP, PASS);
		const { plan } = compile(d, { workers: 3 });
		const source = nodeKernelName(generator, 'run');
		expect(plan!.stages.map((s) => s.kernel)).toEqual([
			source,
			source,
			source,
			CHAIN_KERNEL,
			CHAIN_KERNEL,
			CHAIN_KERNEL,
			nodeKernelName(groupBy, 'merge'),
			nodeKernelName(tableSink, 'run')
		]);
		const one = await run(d, 1);
		for (const workers of [2, 3])
			expectSameRows((await run(d, workers)).rows, one.rows, 2, `${workers} workers`);
	});

	it('sums 64-bit ints exactly (a cast to int64 upstream)', async () => {
		const cast = { kind: 'cast', params: { casts: [{ column: 'id', to: 'int64' }] } };
		const aggs: AggregateParam[] = [
			{ op: 'sum', column: 'id' },
			{ op: 'min', column: 'id' },
			{ op: 'count_distinct', column: 'id' }
		];
		const want = reference(data.schema, data.rows, ['k'], aggs);
		for (const workers of [1, 2]) {
			const table = await run(doc(gen, ['k'], aggs, cast), workers);
			expect(table.schema.types).toEqual(['int32', 'int64', 'int64', 'int64']);
			expectSameRows(table.rows, want, 1, `int64 sums, ${workers} workers`);
		}
	});

	it('emits many groups in batches of at most batchRows rows, each group once', async () => {
		const big = {
			rows: 30_000,
			seed,
			columns: [
				{ name: 'id', type: 'int' },
				{ name: 'x', type: 'float' }
			]
		};
		for (const workers of [1, 2]) {
			const table = await run(doc(big, ['id'], [{ op: 'sum', column: 'x' }], PASS), workers, 512);
			expect(table.total).toBe(30_000);
			expect(new Set(table.rows.map((r) => r[0])).size).toBe(30_000);
		}
	});

	it('gives no rows with keys, and one row of zero counts and null sums without keys, on empty input', async () => {
		const empty = { rows: 0, seed, columns: COLUMNS };
		for (const workers of [1, 3]) {
			const keyed = await run(doc(empty, ['k'], EVERY_OP, PASS), workers);
			expect(keyed.total).toBe(0);
			const global = await run(
				doc(
					empty,
					[],
					[{ op: 'count' }, { op: 'sum', column: 'f' }, { op: 'count_distinct', column: 's' }],
					PASS
				),
				workers
			);
			expect(global.rows).toEqual([[0, null, 0]]);
		}
	});

	it('keeps groups in first-seen order on one instance', async () => {
		const table = await run(doc(gen, ['k'], [{ op: 'count' }], null), 1);
		const firstSeen = [...new Set(data.rows.map((r) => r[1]))];
		expect(table.rows.map((r) => r[0])).toEqual(firstSeen);
	});

	it('names output columns after op and column, types them, and refuses bad params', () => {
		const schema: FrameSchema = { names: ['k', 'f', 's'], types: ['int32', 'float64', 'utf8'] };
		const ok = groupBy.inferSchema(
			[schema],
			{
				keys: ['s'],
				aggregates: [
					{ op: 'count' },
					{ op: 'sum', column: 'k' },
					{ op: 'mean', column: 'k' },
					{ op: 'max', column: 's' },
					{ op: 'count', column: 'f' }
				]
			},
			{ datasetSchema: () => undefined }
		);
		expect(ok).toEqual({
			ok: true,
			outputs: [
				{
					names: ['s', 'count', 'sum_k', 'mean_k', 'max_s', 'count_f'],
					types: ['utf8', 'int64', 'int64', 'float64', 'utf8', 'int64']
				}
			]
		});
		const bad = (keys: string[], aggregates: AggregateParam[]) => {
			const r = groupBy.inferSchema(
				[schema],
				{ keys, aggregates },
				{ datasetSchema: () => undefined }
			);
			return r.ok ? [] : r.problems.map((p) => p.message);
		};
		expect(bad(['nope'], [])).toEqual(["unknown column 'nope' (columns: k, f, s)"]);
		expect(bad([], [{ op: 'sum', column: 's' }])).toEqual([
			"aggregate 1 (sum) needs a numeric column, but 's' is utf8"
		]);
		expect(bad([], [{ op: 'sum' }])).toEqual(['aggregate 1 (sum) needs a column']);
		expect(bad(['k'], [{ op: 'count', as: 'k' }])[0]).toContain("output column 'k' appears twice");
		expect(bad([], [])).toEqual(['add a key or an aggregate']);
	});
});
