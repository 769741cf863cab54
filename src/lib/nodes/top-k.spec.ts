import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../compiler';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import type { ChainParams } from './kernels/chain';
import {
	firstDifference,
	MIXED_COLUMNS,
	pipeline,
	referenceSort,
	type NodeSpec,
	type RefKey
} from './kernels/sort-fixtures';
import type { TableResult } from './table';
import { CHAIN_KERNEL, nodeKernelName } from './kernel-name';
import { topK } from './top-k';

const ROWS = 30_000;
const SEED = 23;
const NAMES = MIXED_COLUMNS.map((c) => c.name);

type By = { column: string; descending?: boolean; nulls?: 'first' | 'last' }[];

const gen = (rows = ROWS): NodeSpec => [
	'gen',
	'generator',
	{ rows, seed: SEED, columns: MIXED_COLUMNS }
];
const sink: NodeSpec = ['tbl', 'table', { limit: 100_000 }];

/** generator → filter → top-k → table: the filter lets top-k run partitioned. */
function topKDoc(k: number, by: By, filter = 'true', rows = ROWS): PipelineDocument {
	return pipeline(
		[gen(rows), ['f', 'filter', { expression: filter }], ['top', 'top-k', { k, by }], sink],
		[
			['gen', 'f'],
			['f', 'top'],
			['top', 'tbl']
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

// Keys ending in the unique id: a total order, so any split across instances has one answer.
const TOTAL: By = [
	{ column: 'key', descending: true, nulls: 'first' },
	{ column: 'name' },
	{ column: 'id' }
];
const BY_TIME: By = [
	{ column: 'ts', descending: true, nulls: 'first' },
	{ column: 'id', descending: true }
];

describe('top-k', () => {
	let pool: WorkerPool;
	let input: TableResult;

	async function table(doc: PipelineDocument, workers: number) {
		const started = startPipeline(doc, pool, { workers, batchRows: 2048 });
		const outcome = await started.outcome;
		if (outcome.status !== 'done')
			throw new Error(`run ended ${outcome.status}: ${JSON.stringify(outcome)}`);
		expect(started.run!.leakedBlocks()).toBe(0);
		return outcome.results.get('tbl') as TableResult;
	}

	beforeAll(async () => {
		pool = createNodeWorkerPool(3);
		input = await table(pipeline([gen(), sink], [['gen', 'tbl']]), 1);
		expect(input.rows.length).toBe(ROWS);
	});
	afterAll(async () => pool.shutdown());

	for (const workers of [1, 2, 3]) {
		for (const [k, by] of [
			[1, TOTAL],
			[50, TOTAL],
			[7000, BY_TIME]
		] as const) {
			it(`equals sort then limit ${k} with ${workers} worker(s) (seed ${SEED})`, async () => {
				const result = await table(topKDoc(k, [...by]), workers);
				const expected = referenceSort(input.rows, refKeys([...by])).slice(0, k);
				expect(result.total).toBe(k);
				expect(firstDifference(result.rows, expected)).toBeNull();
			});
		}
	}

	it('runs one partial top-k per worker and merges them', () => {
		const { plan } = compile(topKDoc(10, TOTAL), { workers: 3 });
		const chains = plan!.stages.filter((s) => s.kernel === CHAIN_KERNEL);
		expect(chains.length).toBe(3);
		for (const s of chains)
			expect((s.params as ChainParams).terminal?.kernel).toBe(nodeKernelName(topK, 'partial'));
		expect(plan!.stages.filter((s) => s.kernel === nodeKernelName(topK, 'merge')).length).toBe(1);
	});

	it('keeps only the rows a fused filter selected', async () => {
		const result = await table(topKDoc(500, TOTAL, 'value > 0.5 and flag'), 2);
		const kept = input.rows.filter((r) => r[2] !== null && (r[2] as number) > 0.5 && r[4] === true);
		const expected = referenceSort(kept, refKeys(TOTAL)).slice(0, 500);
		expect(firstDifference(result.rows, expected)).toBeNull();
	});

	it('keeps rows that tie on every key in arrival order on one instance', async () => {
		const by: By = [{ column: 'key' }];
		const doc = pipeline(
			[gen(), ['top', 'top-k', { k: 3000, by }], sink],
			[
				['gen', 'top'],
				['top', 'tbl']
			]
		);
		const result = await table(doc, 1);
		const expected = referenceSort(input.rows, refKeys(by)).slice(0, 3000);
		expect(firstDifference(result.rows, expected)).toBeNull();
	});

	it('emits every row, in order, when k exceeds the input', async () => {
		const result = await table(topKDoc(1_000_000, BY_TIME, 'true', 3000), 2);
		const expected = referenceSort(input.rows.slice(0, 3000), refKeys(BY_TIME));
		expect(result.total).toBe(3000);
		expect(firstDifference(result.rows, expected)).toBeNull();
	});

	it('refuses a k outside 1..1,000,000 when the document loads', () => {
		for (const k of [0, 1_000_001, 2.5]) {
			const { plan, diagnostics } = compile(topKDoc(k, TOTAL));
			expect(plan).toBeNull();
			expect(diagnostics.some((d) => d.node === 'top' && /k must/.test(d.message))).toBe(true);
		}
	});
});
