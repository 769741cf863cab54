import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import type { ColumnView } from '../runtime/contracts';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { sample } from './sample';
import type { TableResult } from './table';

const ROWS = 20_000;

function doc(fraction: number, seed: number): PipelineDocument {
	return {
		version: 1,
		id: 's',
		name: 'sample test',
		nodes: [
			{
				id: 'gen',
				kind: 'generator',
				params: {
					rows: ROWS,
					seed: 3,
					columns: [
						{ name: 'id', type: 'int' },
						{ name: 's', type: 'string', cardinality: 50, nulls: 0.1 },
						{ name: 'f', type: 'float', nulls: 0.1 },
						{ name: 'b', type: 'bool' },
						{ name: 't', type: 'timestamp' }
					]
				},
				position: { x: 0, y: 0 }
			},
			{ id: 'smp', kind: 'sample', params: { fraction, seed }, position: { x: 1, y: 0 } },
			// A limit after the sample keeps the sample's chain free of a terminal, so it runs
			// as one instance per worker.
			{ id: 'lim', kind: 'limit', params: { rows: 1e9 }, position: { x: 2, y: 0 } },
			{ id: 'tbl', kind: 'table', params: { limit: 100_000 }, position: { x: 3, y: 0 } }
		],
		edges: [
			{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'smp', port: 'in' } },
			{ id: 'e2', from: { node: 'smp', port: 'out' }, to: { node: 'lim', port: 'in' } },
			{ id: 'e3', from: { node: 'lim', port: 'out' }, to: { node: 'tbl', port: 'in' } }
		]
	};
}

/** A plain-memory column of int32 or float64 values. */
function numbers(type: 'int32' | 'float64', values: number[]): ColumnView {
	const array = type === 'int32' ? Int32Array.from(values) : Float64Array.from(values);
	return {
		type,
		length: values.length,
		nullCount: 0,
		validity: null,
		offsets: null,
		values: array
	};
}

function stepOf(fraction: number, seed: number) {
	const schema = { names: ['a', 'b'], types: ['int32', 'float64'] as const };
	return sample.step!({
		params: { fraction, seed },
		inputSchema: { names: schema.names, types: [...schema.types] },
		outputSchema: { names: schema.names, types: [...schema.types] }
	});
}

describe('sample', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(3);
	});
	afterAll(async () => pool.shutdown());

	async function keptIds(d: PipelineDocument, workers: number, batchRows: number) {
		const started = startPipeline(d, pool, { workers, batchRows });
		const stages = started.compiled.plan!.stages.filter((s) => s.name.startsWith('Sample'));
		expect(stages.length).toBe(workers);
		const outcome = await started.outcome;
		if (outcome.status !== 'done')
			throw new Error(`run ${outcome.status}: ${JSON.stringify(outcome)}`);
		const table = outcome.results.get('tbl') as TableResult;
		return table.rows.map((r) => r[0] as number).sort((a, b) => a - b);
	}

	it('keeps the same rows for any batch size and worker count, about `fraction` of them', async () => {
		const one = await keptIds(doc(0.3, 11), 1, 1000);
		expect(await keptIds(doc(0.3, 11), 2, 777)).toEqual(one);
		expect(await keptIds(doc(0.3, 11), 3, 4096)).toEqual(one);
		// Binomial(20000, 0.3): mean 6000, standard deviation about 65; allow 5 of them.
		expect(Math.abs(one.length - 6000)).toBeLessThan(325);
	});

	it('keeps a different set of rows with another seed', async () => {
		const a = await keptIds(doc(0.5, 1), 1, 1000);
		const b = new Set(await keptIds(doc(0.5, 2), 1, 1000));
		const both = a.filter((id) => b.has(id)).length;
		// Independent halves overlap in about a quarter of the rows, not in all of them.
		expect(Math.abs(both - ROWS / 4)).toBeLessThan(400);
	});

	it('decides identical rows alike: each distinct row is kept in all its copies or in none', () => {
		const rng = mulberry32(Date.now() >>> 0);
		const distinct = Array.from({ length: 40 }, () => [rng.int(0, 5), rng.next()]);
		const rows = Array.from({ length: 2000 }, () => rng.pick(distinct));
		const step = stepOf(0.5, 7);
		const out = step({
			view: {
				length: rows.length,
				columns: [
					numbers(
						'int32',
						rows.map((r) => r[0])
					),
					numbers(
						'float64',
						rows.map((r) => r[1])
					)
				]
			},
			selection: null,
			count: rows.length
		});
		const kept = new Set(Array.from(out.selection!.subarray(0, out.count), (i) => rows[i]));
		for (const row of distinct) {
			const copies = rows.filter((r) => r === row).length;
			const keptCopies = Array.from(out.selection!.subarray(0, out.count)).filter(
				(i) => rows[i] === row
			).length;
			expect(keptCopies, `seed ${rng.seed}`).toBe(kept.has(row) ? copies : 0);
		}
	});

	it('keeps only rows of the incoming selection, none at fraction 0 and all at fraction 1', () => {
		const values = Array.from({ length: 1000 }, (_, i) => i);
		const view = { length: 1000, columns: [numbers('int32', values), numbers('float64', values)] };
		const evens = Uint32Array.from(values.filter((i) => i % 2 === 0));
		const out = stepOf(0.5, 1)({ view, selection: evens, count: evens.length });
		const picked = Array.from(out.selection!.subarray(0, out.count));
		expect(picked.every((i) => i % 2 === 0)).toBe(true);
		expect(picked.length).toBeGreaterThan(150);
		expect(picked.length).toBeLessThan(350);
		expect(stepOf(0, 1)({ view, selection: null, count: 1000 }).count).toBe(0);
		expect(stepOf(1, 1)({ view, selection: null, count: 1000 }).count).toBe(1000);
	});
});
