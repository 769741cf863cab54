import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import type { BatchView } from '../runtime/contracts';
import type { InputBatch, KernelContext } from '../runtime/scheduler/kernel';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { limit } from './limit';
import type { TableResult } from './table';

function doc(
	rows: number,
	window: { rows: number; offset?: number },
	before: { kind: string; params: Record<string, unknown> } | null = null
): PipelineDocument {
	const nodes: PipelineDocument['nodes'] = [
		{
			id: 'gen',
			kind: 'generator',
			params: {
				rows,
				columns: [
					{ name: 'id', type: 'int' },
					{ name: 's', type: 'string' }
				]
			},
			position: { x: 0, y: 0 }
		},
		{ id: 'lim', kind: 'limit', params: window, position: { x: 2, y: 0 } },
		{ id: 'tbl', kind: 'table', params: { limit: 100_000 }, position: { x: 3, y: 0 } }
	];
	const edges = [{ id: 'e3', from: { node: 'lim', port: 'out' }, to: { node: 'tbl', port: 'in' } }];
	if (before) {
		nodes.push({ id: 'pre', kind: before.kind, params: before.params, position: { x: 1, y: 0 } });
		edges.push(
			{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'pre', port: 'in' } },
			{ id: 'e2', from: { node: 'pre', port: 'out' }, to: { node: 'lim', port: 'in' } }
		);
	} else
		edges.push({ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'lim', port: 'in' } });
	return { version: 1, id: 'l', name: 'limit test', nodes, edges };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('limit', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	async function run(d: PipelineDocument, workers = 1): Promise<TableResult> {
		const outcome = await startPipeline(d, pool, { workers, batchRows: 1000 }).outcome;
		if (outcome.status !== 'done')
			throw new Error(`run ${outcome.status}: ${JSON.stringify(outcome)}`);
		return outcome.results.get('tbl') as TableResult;
	}

	const windows: [number, number, number, number][] = [
		// [input rows, rows, offset, expected end]
		[5000, 2500, 0, 2500],
		[5000, 1000, 1500, 2500],
		[5000, 2, 999, 1001],
		[5000, 3000, 1000, 4000],
		[5000, 0, 10, 10],
		[5000, 100, 6000, 5000],
		[5000, 10_000, 4200, 5000],
		[0, 10, 0, 0]
	];
	for (const [input, rows, offset, end] of windows) {
		it(`keeps rows ${offset}..${end} of ${input} for rows ${rows}, offset ${offset} (batches of 1000)`, async () => {
			const table = await run(doc(input, { rows, offset }));
			expect(table.rows.map((r) => r[0])).toEqual(range(Math.min(offset, end), end));
			expect(table.rows.every((r) => typeof r[1] === 'string' && r[1].startsWith('s_'))).toBe(true);
		});
	}

	it('counts the rows that reach it, after an upstream filter', async () => {
		const table = await run(
			doc(5000, { rows: 5, offset: 2 }, { kind: 'filter', params: { expression: 'id >= 1998' } })
		);
		expect(table.rows.map((r) => r[0])).toEqual([2000, 2001, 2002, 2003, 2004]);
	});

	it('gives exactly `rows` distinct rows behind a partitioned chain on 2 workers', async () => {
		const d = doc(20_000, { rows: 1234, offset: 17 }, { kind: 'select', params: { columns: [] } });
		const table = await run(d, 2);
		expect(table.total).toBe(1234);
		expect(new Set(table.rows.map((r) => r[0])).size).toBe(1234);
	});

	it('forwards batches inside the window zero copy and copies only the batches it cuts', () => {
		const kernel = limit.kernel!({
			params: { rows: 2300, offset: 500 },
			kernels: new Map(),
			budgetBytes: 0,
			stageName: 'lim',
			inputSchemas: [{ names: ['x'], types: ['int32'] }],
			outputSchemas: [{ names: ['x'], types: ['int32'] }],
			instance: 0,
			instances: 1
		});
		const calls: string[] = [];
		const ctx = {
			forward: (_port: number, input: InputBatch) => calls.push(`forward ${input.seq}`),
			allocate: (_port: number, rows: number) => {
				calls.push(`copy ${rows}`);
				return null; // no memory: the kernel must answer 'blocked' and keep its place
			}
		} as unknown as KernelContext;
		const batch = (seq: number): InputBatch => {
			const view: BatchView = { length: 1000, columns: [] };
			return {
				port: 0,
				block: seq,
				byteLength: 0,
				rows: 1000,
				seq,
				view,
				selection: null,
				count: 1000
			};
		};
		expect(kernel.consume!(batch(0), ctx)).toBe('blocked');
		expect(calls).toEqual(['copy 500']);
		calls.length = 0;
		const fake = {
			...ctx,
			allocate: (_p: number, rows: number) => {
				calls.push(`copy ${rows}`);
				return { column: () => ({ values: new Int32Array(rows) }), setNull() {} };
			},
			emitWriter: () => calls.push('emit')
		} as unknown as KernelContext;
		const steps = [0, 1, 2].map((seq) => kernel.consume!(batch(seq), fake));
		// The third batch completes the window (rows 500..2800): no more input is wanted.
		expect(steps).toEqual(['more', 'more', 'done']);
		expect(calls).toEqual(['copy 500', 'emit', 'forward 1', 'copy 800', 'emit']);
	});

	it('answers done on the batch that brings the last wanted row, whether kept, cut or skipped', () => {
		const make = (rows: number, offset: number) =>
			limit.kernel!({
				params: { rows, offset },
				kernels: new Map(),
				budgetBytes: 0,
				stageName: 'lim',
				inputSchemas: [{ names: ['x'], types: ['int32'] }],
				outputSchemas: [{ names: ['x'], types: ['int32'] }],
				instance: 0,
				instances: 1
			});
		const ctx = {
			forward() {},
			allocate: (_p: number, rows: number) => ({
				column: () => ({ values: new Int32Array(rows) }),
				setNull() {}
			}),
			emitWriter() {}
		} as unknown as KernelContext;
		const batch = (seq: number): InputBatch => ({
			port: 0,
			block: seq,
			byteLength: 0,
			rows: 100,
			seq,
			view: { length: 100, columns: [] },
			selection: null,
			count: 100
		});
		const stepsOf = (rows: number, offset: number, batches: number) => {
			const kernel = make(rows, offset);
			return range(0, batches).map((seq) => kernel.consume!(batch(seq), ctx));
		};
		expect(stepsOf(200, 0, 2)).toEqual(['more', 'done']); // forwarded whole
		expect(stepsOf(150, 0, 2)).toEqual(['more', 'done']); // cut
		expect(stepsOf(0, 0, 1)).toEqual(['done']); // nothing wanted at all
		expect(stepsOf(0, 250, 3)).toEqual(['more', 'more', 'done']); // skipped
	});
});
