import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../compiler';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import {
	canonicalOrder,
	firstDifference,
	MIXED_COLUMNS,
	pipeline,
	referenceSort,
	type RefKey
} from './kernels/sort-fixtures';
import type { TableResult } from './table';
import { CHAIN_KERNEL } from './kernel-name';

const ROWS = 20_000;
const SEED = 11;
const NAMES = MIXED_COLUMNS.map((c) => c.name);

type By = { column: string; descending?: boolean; nulls?: 'first' | 'last' }[];

function gen(rows = ROWS) {
	return ['gen', 'generator', { rows, seed: SEED, columns: MIXED_COLUMNS }] as [
		string,
		string,
		Record<string, unknown>
	];
}

function sortDoc(by: By, rows = ROWS): PipelineDocument {
	return pipeline(
		[gen(rows), ['s', 'sort', { by }], ['tbl', 'table', { limit: 100_000 }]],
		[
			['gen', 's'],
			['s', 'tbl']
		]
	);
}

function refKeys(by: By): RefKey[] {
	return by.map((k) => ({
		index: NAMES.indexOf(k.column),
		descending: k.descending,
		nulls: k.nulls
	}));
}

describe('sort', () => {
	let pool: WorkerPool;
	let input: TableResult;

	async function table(doc: PipelineDocument, workers: number, budgetBytes?: number) {
		const options = { workers, batchRows: 2048, ...(budgetBytes ? { budgetBytes } : {}) };
		const started = startPipeline(doc, pool, options);
		const outcome = await started.outcome;
		if (outcome.status !== 'done')
			throw new Error(`run ended ${outcome.status}: ${JSON.stringify(outcome)}`);
		expect(started.run!.leakedBlocks()).toBe(0);
		return outcome.results.get('tbl') as TableResult;
	}

	beforeAll(async () => {
		pool = createNodeWorkerPool(2);
		// The generator's rows in order, as the reference's input.
		input = await table(
			pipeline([gen(), ['tbl', 'table', { limit: 100_000 }]], [['gen', 'tbl']]),
			1
		);
		expect(input.rows.length).toBe(ROWS);
	});
	afterAll(async () => pool.shutdown());

	const cases: { title: string; by: By }[] = [
		{ title: 'one numeric key, ascending, nulls last', by: [{ column: 'value' }] },
		{
			title: 'two keys: int descending with nulls first, then string ascending',
			by: [
				{ column: 'key', descending: true, nulls: 'first' },
				{ column: 'name', nulls: 'last' }
			]
		},
		{ title: 'a string key, descending', by: [{ column: 'name', descending: true }] },
		{
			title: 'a bool key then a timestamp key descending with nulls first',
			by: [{ column: 'flag' }, { column: 'ts', descending: true, nulls: 'first' }]
		}
	];
	for (const workers of [1, 2]) {
		for (const { title, by } of cases) {
			it(`orders rows like a stable reference sort by ${title} (${workers} worker(s), seed ${SEED})`, async () => {
				const result = await table(sortDoc(by), workers);
				expect(result.schema.names).toEqual(NAMES);
				expect(result.total).toBe(ROWS);
				// Whole rows, ids included: ties keep the generator's order (stability).
				expect(firstDifference(result.rows, referenceSort(input.rows, refKeys(by)))).toBeNull();
			});
		}
	}

	it('keeps rows that tie on the key in arrival order', async () => {
		const result = await table(sortDoc([{ column: 'flag' }]), 1);
		const ids = result.rows.filter((r) => r[4] === true).map((r) => r[0] as number);
		expect(ids.length).toBeGreaterThan(1000);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
	});

	it('sorts the output of a filter that runs in two parallel instances', async () => {
		const doc = pipeline(
			[
				gen(),
				['f', 'filter', { expression: 'value > 0' }],
				['s', 'sort', { by: [{ column: 'value', descending: true }] }],
				['tbl', 'table', { limit: 100_000 }]
			],
			[
				['gen', 'f'],
				['f', 's'],
				['s', 'tbl']
			]
		);
		expect(
			compile(doc, { workers: 2 }).plan!.stages.filter((s) => s.kernel === CHAIN_KERNEL).length
		).toBe(2);
		const result = await table(doc, 2);
		const expected = input.rows.filter((r) => r[2] !== null && (r[2] as number) > 0);
		expect(firstDifference(canonicalOrder(result.rows), canonicalOrder(expected))).toBeNull();
		const values = result.rows.map((r) => r[2] as number);
		expect(values).toEqual([...values].sort((a, b) => b - a));
	});

	it('emits nothing, and finishes, when its input is empty', async () => {
		const result = await table(sortDoc([{ column: 'value' }], 0), 2);
		expect(result.total).toBe(0);
	});

	it('fails with a message naming the node and the budget when the input does not fit', async () => {
		const started = startPipeline(sortDoc([{ column: 'value' }], 200_000), pool, {
			workers: 2,
			batchRows: 4096,
			budgetBytes: 1 << 20
		});
		const outcome = await started.outcome;
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.message).toMatch(
			/^sort 'Sort \(s\)': input exceeds the memory budget of 1 MiB after [\d,]+ rows — raise the budget or filter first$/
		);
		expect(started.run!.leakedBlocks()).toBe(0);
	});

	it('reports an unknown sort column and a missing key list on the node', () => {
		const unknown = compile(sortDoc([{ column: 'nope' }]));
		expect(unknown.plan).toBeNull();
		expect(unknown.diagnostics.find((d) => d.node === 's')?.message).toContain(
			"unknown column 'nope'"
		);
		const none = compile(sortDoc([]));
		expect(none.diagnostics.find((d) => d.node === 's')?.message).toContain(
			'choose at least one column to sort by'
		);
	});
});
