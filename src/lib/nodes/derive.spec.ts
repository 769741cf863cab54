// Long derive chains and large constants through the real engine: a chain as long as a
// document may be gives the right answer, and its fused stage ships only what each step needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../compiler';
import { STEP_SCRATCH_BYTES_PER_ROW } from '../compiler/physical';
import { MAX_NODES } from '../graph';
import type { ChainParams } from './kernels/chain';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import {
	collected,
	columnValues,
	line,
	results,
	type NodeSpec
} from './pipeline-fixtures.spec-support';
import { CHAIN_KERNEL } from './kernel-name';

const ROWS = 50;
const source: NodeSpec = {
	id: 'src',
	kind: 'generator',
	params: { rows: ROWS, columns: [{ name: 'c0', type: 'int', cardinality: 0 }] }
};
const out: NodeSpec = { id: 'out', kind: 'collect' };

/** `count` derives, each adding column c<i> = c<i-1> + 1 (or, `replace`, c0 = c0 + 1). */
function chain(count: number, mode: 'add' | 'replace'): NodeSpec[] {
	return Array.from({ length: count }, (_, k) => {
		const i = k + 1;
		return {
			id: `d${i}`,
			kind: 'derive',
			params:
				mode === 'add'
					? { column: `c${i}`, expression: `c${i - 1} + 1` }
					: { column: 'c0', expression: 'c0 + 1' }
		};
	});
}

describe('a long chain of derives', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(1);
	});
	afterAll(async () => pool.shutdown());

	it('ships the fused steps without a schema each, so the plan grows with the chain, not its square', () => {
		const count = 2_000;
		const { plan, diagnostics } = compile(line(source, ...chain(count, 'add'), out), {
			workers: 1
		});
		expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
		const stage = plan!.stages.find((s) => s.kernel === CHAIN_KERNEL)!;
		const params = stage.params as ChainParams;
		expect(params.steps).toHaveLength(count);
		// What crosses to the worker: about 100 characters a step. With a schema per step it
		// was every column name so far, twice: 2,000 steps × ~2,000 names.
		expect(JSON.stringify(params).length).toBeLessThan(count * 200);
	});

	it(`runs ${(MAX_NODES - 2).toLocaleString('en-US')} derives that each replace a column (a document's most nodes)`, async () => {
		const count = MAX_NODES - 2;
		const doc = line(source, ...chain(count, 'replace'), out);
		const table = collected((await results(doc, pool, { batchRows: 16 })).get('out'));
		expect(columnValues(table, 'c0')).toEqual(Array.from({ length: ROWS }, (_, i) => i + count));
	}, 120_000);

	it('runs 3,000 derives that each add a column, every column right', async () => {
		const count = 3_000;
		const doc = line(source, ...chain(count, 'add'), out);
		const table = collected((await results(doc, pool, { batchRows: 16 })).get('out'));
		expect(table.numCols).toBe(count + 1);
		for (const i of [0, 1, 1_500, count]) {
			expect(columnValues(table, `c${i}`)).toEqual(Array.from({ length: ROWS }, (_, r) => r + i));
		}
	}, 120_000);
});

describe('a large string constant', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(1);
	});
	afterAll(async () => pool.shutdown());

	it('fills 1,000 rows with a 16 KiB literal, in the batches the compiler sizes for it', async () => {
		const literal = 'ab'.repeat(8 * 1024);
		const doc = line(
			{ ...source, params: { rows: 1_000, columns: [{ name: 'c0', type: 'int' }] } },
			{ id: 'd', kind: 'derive', params: { column: 'x', expression: `'${literal}'` } },
			out
		);
		const table = collected((await results(doc, pool, { batchRows: 1_000 })).get('out'));
		expect(table.numRows).toBe(1_000);
		const x = table.getChild('x')!;
		for (const r of [0, 1, 499, 999]) expect(x.get(r)).toBe(literal);
	}, 120_000);
});

describe('the batch size of a long chain', () => {
	const budgetBytes = 256 << 20;
	const batchRowsOf = (count: number) =>
		compile(line(source, ...chain(count, 'replace'), out), {
			workers: 1,
			budgetBytes,
			batchRows: 16_384
		}).plan!.batchRows;

	it('stays as asked for a short chain', () => {
		expect(batchRowsOf(10)).toBe(16_384);
	});

	it('is lowered so the steps scratch stays within a quarter of the budget, not steps × rows', () => {
		const count = MAX_NODES - 2;
		const rows = batchRowsOf(count);
		expect(rows).toBeLessThan(16_384);
		expect(count * rows * STEP_SCRATCH_BYTES_PER_ROW).toBeLessThanOrEqual(budgetBytes / 4);
	});

	it('is lowered so a 1 MB literal repeated per row stays within a quarter of the budget', () => {
		const literal = 'a'.repeat(1_000_000);
		const { plan } = compile(
			line(
				source,
				{ id: 'd', kind: 'derive', params: { column: 'x', expression: `'${literal}'` } },
				out
			),
			{ workers: 1, budgetBytes, batchRows: 16_384 }
		);
		// 1,000 rows of it in one batch was 1 GB of one column; now about 64 MB per batch.
		expect(plan!.batchRows * literal.length).toBeLessThanOrEqual(budgetBytes / 4);
		expect(plan!.batchRows).toBeGreaterThan(0);
	});
});
