// The query both engine benches time (pipeline.bench.ts, metrics.bench.ts): a table of id int32,
// key int32 in 0..KEYS-1, value float64, flag bool, made by a fixed xorshift generator →
// filter `value > 0.5` → group by key: sum(value), count. Here: the table, its frames in the
// shared pool, the pipeline document, a hand-written loop's answer and the check of ours.
import type { PipelineDocument } from '../src/lib/graph/document';
import type { BatchView } from '../src/lib/runtime/contracts';
import { measureBatch, writeBatch } from '../src/lib/runtime/batch/write-batch';
import type { FrameSchema } from '../src/lib/runtime/batch/types';
import type { MemoryPool } from '../src/lib/runtime/memory/pool';

export const KEYS = 1000;
export const SCHEMA: FrameSchema = {
	names: ['id', 'key', 'value', 'flag'],
	types: ['int32', 'int32', 'float64', 'bool']
};
export const BATCH_ROWS = 65_536;

export interface Table {
	id: Int32Array;
	key: Int32Array;
	value: Float64Array;
	flag: Uint8Array; // one byte per row for the baselines
}

export function makeTable(n: number): Table {
	const t = {
		id: new Int32Array(n),
		key: new Int32Array(n),
		value: new Float64Array(n),
		flag: new Uint8Array(n)
	};
	let s = 0x2545f491;
	for (let i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		t.id[i] = i;
		t.key[i] = (s >>> 0) % KEYS;
		t.value[i] = ((s >>> 8) & 0xffffff) / 0x1000000;
		t.flag[i] = s & 1;
	}
	return t;
}

export interface Answer {
	sum: Float64Array;
	count: Float64Array;
}

export function handLoop(key: Int32Array, value: Float64Array, n: number): Answer {
	const sum = new Float64Array(KEYS);
	const count = new Float64Array(KEYS);
	for (let i = 0; i < n; i++) {
		const v = value[i];
		if (v > 0.5) {
			const k = key[i];
			sum[k] += v;
			count[k]++;
		}
	}
	return { sum, count };
}

/** Writes the table into pool blocks as frames of BATCH_ROWS rows. */
export function loadFrames(pool: MemoryPool, t: Table, n: number) {
	const blocks: { block: number; byteLength: number; rows: number }[] = [];
	for (let start = 0; start < n; start += BATCH_ROWS) {
		const rows = Math.min(BATCH_ROWS, n - start);
		const flag = new Uint8Array(Math.ceil(rows / 8));
		for (let i = 0; i < rows; i++) if (t.flag[start + i]) flag[i >> 3] |= 1 << (i & 7);
		const col = (
			type: BatchView['columns'][number]['type'],
			values: BatchView['columns'][number]['values']
		) => ({
			type,
			length: rows,
			nullCount: 0,
			validity: null,
			offsets: null,
			values
		});
		const view: BatchView = {
			length: rows,
			columns: [
				col('int32', t.id.subarray(start, start + rows)),
				col('int32', t.key.subarray(start, start + rows)),
				col('float64', t.value.subarray(start, start + rows)),
				col('bool', flag)
			]
		};
		const bytes = measureBatch(view, SCHEMA);
		const block = pool.tryAcquire(bytes);
		if (block < 0) throw new Error('bench pool too small for the table');
		const written = writeBatch(
			view,
			SCHEMA,
			pool.bufferOf(block),
			pool.offsetOf(block),
			pool.capacityOf(block)
		);
		blocks.push({ block, byteLength: written, rows });
	}
	return blocks;
}

export function queryDoc(source: PipelineDocument['nodes'][number]): PipelineDocument {
	return {
		version: 1,
		id: 'bench',
		name: 'filter → group-by',
		nodes: [
			source,
			{
				id: 'flt',
				kind: 'filter',
				params: { expression: 'value > 0.5' },
				position: { x: 1, y: 0 }
			},
			{
				id: 'grp',
				kind: 'group-by',
				params: {
					keys: ['key'],
					aggregates: [
						{ op: 'sum', column: 'value', as: 'sum' },
						{ op: 'count', as: 'count' }
					]
				},
				position: { x: 2, y: 0 }
			},
			{ id: 'out', kind: 'table', params: { limit: 100_000 }, position: { x: 3, y: 0 } }
		],
		edges: [
			{ id: 'e1', from: { node: source.id, port: 'out' }, to: { node: 'flt', port: 'in' } },
			{ id: 'e2', from: { node: 'flt', port: 'out' }, to: { node: 'grp', port: 'in' } },
			{ id: 'e3', from: { node: 'grp', port: 'out' }, to: { node: 'out', port: 'in' } }
		]
	};
}

export function checkAnswer(result: unknown, expected: Answer, what: string) {
	const table = result as { schema: FrameSchema; rows: (number | null)[][] };
	const k = table.schema.names.indexOf('key');
	const s = table.schema.names.indexOf('sum');
	const c = table.schema.names.indexOf('count');
	if (table.rows.length !== KEYS)
		throw new Error(`${what}: ${table.rows.length} groups, expected ${KEYS}`);
	for (const r of table.rows) {
		const key = r[k] as number;
		const sum = r[s] as number;
		if (
			Math.abs(sum - expected.sum[key]) > 1e-6 * Math.max(1, expected.sum[key]) ||
			r[c] !== expected.count[key]
		) {
			throw new Error(
				`${what}: key ${key} got sum ${sum} count ${r[c]}, expected ${expected.sum[key]} ${expected.count[key]}`
			);
		}
	}
}

export function arg(args: string[], name: string, fallback: number): number {
	const i = args.indexOf(name);
	return i >= 0 ? Number(args[i + 1]) : fallback;
}
