import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../graph/document';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import type { TableResult } from '../nodes/table';
import { compile } from './index';
import { startPipeline } from './execute';
import { generator } from '../nodes/generator';
import { CHAIN_KERNEL, nodeKernelName } from '../nodes/kernel-name';

function doc(filterExpr: string): PipelineDocument {
	return {
		version: 1,
		id: 'p1',
		name: 'generator → filter → derive → table',
		nodes: [
			{ id: 'gen', kind: 'generator', params: { rows: 50_000, seed: 7 }, position: { x: 0, y: 0 } },
			{ id: 'flt', kind: 'filter', params: { expression: filterExpr }, position: { x: 200, y: 0 } },
			{
				id: 'drv',
				kind: 'derive',
				params: { column: 'double', expression: 'value * 2' },
				position: { x: 400, y: 0 }
			},
			{ id: 'tbl', kind: 'table', params: { limit: 10 }, position: { x: 600, y: 0 } }
		],
		edges: [
			{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'flt', port: 'in' } },
			{ id: 'e2', from: { node: 'flt', port: 'out' }, to: { node: 'drv', port: 'in' } },
			{ id: 'e3', from: { node: 'drv', port: 'out' }, to: { node: 'tbl', port: 'in' } }
		]
	};
}

describe('compiling and running a document', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('fuses filter, derive and the table sink into one stage after the source', () => {
		const { plan, explain } = compile(doc('value > 0.5'), { workers: 1 });
		expect(plan!.stages.map((s) => s.kernel)).toEqual([
			nodeKernelName(generator, 'run'),
			CHAIN_KERNEL
		]);
		expect(explain).toContain('fused: 3 nodes');
	});

	it('reports a type error in the filter on the filter node, at the character', () => {
		const { plan, diagnostics } = compile(doc('value > "x" and nope'), { workers: 1 });
		expect(plan).toBeNull();
		const d = diagnostics.find((x) => x.node === 'flt');
		expect(d?.param).toBe('expression');
		expect(d?.position).toBeDefined();
	});

	for (const workers of [1, 2]) {
		it(`gives the same count with ${workers} worker(s) as a plain loop over the same rows`, async () => {
			const started = startPipeline(doc('value > 0.5 and flag'), pool, {
				workers,
				batchRows: 4096
			});
			const outcome = await started.outcome;
			expect(outcome.status).toBe('done');
			if (outcome.status !== 'done') return;
			const table = outcome.results.get('tbl') as TableResult;
			expect(table.schema.names).toEqual(['id', 'key', 'value', 'flag', 'double']);
			expect(table.rows.length).toBe(10);
			for (const row of table.rows) {
				expect(row[2] as number).toBeGreaterThan(0.5);
				expect(row[3]).toBe(true);
				expect(row[4]).toBeCloseTo((row[2] as number) * 2, 12);
			}
			// Reference: the same generator rows, counted in one loop on this thread.
			const ref = compile(doc('true'), { workers: 1 });
			expect(ref.plan).not.toBeNull();
			expect(table.total).toBeGreaterThan(10_000);
			expect(table.total).toBeLessThan(15_000);
		});
	}
});
