import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../compiler';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { firstDifference, pipeline, referenceJoin, type NodeSpec } from './kernels/sort-fixtures';
import type { TableResult } from './table';
import { join as joinNode } from './join';
import { nodeKernelName } from './kernel-name';

const LEFT_COLUMNS = [
	{ name: 'id', type: 'int' },
	{ name: 'k', type: 'int', cardinality: 60, nulls: 0.1 },
	{ name: 's', type: 'string', cardinality: 15, nulls: 0.1 },
	{ name: 'v', type: 'float' }
];
const RIGHT_COLUMNS = [
	{ name: 'id', type: 'int' },
	{ name: 'k', type: 'int', cardinality: 80, nulls: 0.1 },
	{ name: 's', type: 'string', cardinality: 12, nulls: 0.05 },
	{ name: 'w', type: 'float', nulls: 0.2 },
	{ name: 't', type: 'timestamp', nulls: 0.1 }
];
const LEFT_ROWS = 4000;
const RIGHT_ROWS = 600;
const L = ['id', 'k', 's', 'v'];
const R = ['id', 'k', 's', 'w', 't'];

type On = { left: string; right: string }[];
interface JoinSpec {
	type: 'inner' | 'left';
	on: On;
	leftRows?: number;
	rightRows?: number;
	maxBuildBytes?: number;
}

function sources(leftRows: number, rightRows: number): NodeSpec[] {
	return [
		['lg', 'generator', { rows: leftRows, seed: 5, columns: LEFT_COLUMNS }],
		['rg', 'generator', { rows: rightRows, seed: 6, columns: RIGHT_COLUMNS }]
	];
}

function joinDoc(spec: JoinSpec): PipelineDocument {
	const { type, on, maxBuildBytes } = spec;
	return pipeline(
		[
			...sources(spec.leftRows ?? LEFT_ROWS, spec.rightRows ?? RIGHT_ROWS),
			['j', 'join', { type, on, ...(maxBuildBytes ? { maxBuildBytes } : {}) }],
			['tbl', 'table', { limit: 100_000 }]
		],
		[
			['lg', 'j', 'left'],
			['rg', 'j', 'right'],
			['j', 'tbl']
		]
	);
}

describe('join', () => {
	let pool: WorkerPool;
	let left: TableResult;
	let right: TableResult;

	async function run(doc: PipelineDocument, workers: number) {
		const started = startPipeline(doc, pool, { workers, batchRows: 1024 });
		const outcome = await started.outcome;
		if (outcome.status !== 'done')
			throw new Error(`run ended ${outcome.status}: ${JSON.stringify(outcome)}`);
		expect(started.run!.leakedBlocks()).toBe(0);
		return outcome.results;
	}

	function reference(spec: JoinSpec) {
		const lrows = left.rows.slice(0, spec.leftRows ?? LEFT_ROWS);
		const rrows = right.rows.slice(0, spec.rightRows ?? RIGHT_ROWS);
		const on = spec.on.map((p) => [L.indexOf(p.left), R.indexOf(p.right)] as [number, number]);
		return referenceJoin(lrows, rrows, on, spec.type, R.length);
	}

	beforeAll(async () => {
		pool = createNodeWorkerPool(2);
		const results = await run(
			pipeline(
				[
					...sources(LEFT_ROWS, RIGHT_ROWS),
					['lt', 'table', { limit: 100_000 }],
					['rt', 'table', { limit: 100_000 }]
				],
				[
					['lg', 'lt'],
					['rg', 'rt']
				]
			),
			1
		);
		left = results.get('lt') as TableResult;
		right = results.get('rt') as TableResult;
	});
	afterAll(async () => pool.shutdown());

	const cases: { title: string; spec: JoinSpec }[] = [
		{
			title: 'an inner join on an int key with duplicates and nulls',
			spec: { type: 'inner', on: [{ left: 'k', right: 'k' }] }
		},
		{ title: 'a left join on an int key', spec: { type: 'left', on: [{ left: 'k', right: 'k' }] } },
		{
			title: 'an inner join on a string key',
			spec: { type: 'inner', on: [{ left: 's', right: 's' }], leftRows: 1500 }
		},
		{
			title: 'a left join on two keys',
			spec: {
				type: 'left',
				on: [
					{ left: 'k', right: 'k' },
					{ left: 's', right: 's' }
				]
			}
		},
		{
			title: 'an inner join whose keys have different names',
			spec: { type: 'inner', on: [{ left: 'id', right: 'k' }] }
		}
	];
	for (const workers of [1, 2]) {
		for (const { title, spec } of cases) {
			it(`gives the rows of a nested-loop reference for ${title} (${workers} worker(s))`, async () => {
				const result = (await run(joinDoc(spec), workers)).get('tbl') as TableResult;
				const expected = reference(spec);
				expect(expected.length).toBeGreaterThan(100);
				expect(result.total).toBe(expected.length);
				// Order too: probe rows in order, each one's matches in build order.
				expect(firstDifference(result.rows, expected)).toBeNull();
			});
		}
	}

	it('waits for pool memory mid-batch and resumes where it stopped (1 MiB budget)', async () => {
		// About 47 matches a probe row: one probe batch makes far more frames than the pool holds.
		const spec: JoinSpec = { type: 'left', on: [{ left: 's', right: 's' }], leftRows: 1500 };
		const started = startPipeline(joinDoc(spec), pool, {
			workers: 2,
			batchRows: 1024,
			budgetBytes: 1 << 20
		});
		const outcome = await started.outcome;
		expect(outcome.status).toBe('done');
		if (outcome.status !== 'done') return;
		const result = outcome.results.get('tbl') as TableResult;
		expect(firstDifference(result.rows, reference(spec))).toBeNull();
		expect(started.run!.leakedBlocks()).toBe(0);
	});

	it('joins a source with itself instead of waiting forever for its right input', async () => {
		// More batches than a ring holds: the left ring fills before the right input ends.
		const rows = 150_000;
		const doc = pipeline(
			[
				['g', 'generator', { rows, seed: 3, columns: LEFT_COLUMNS.slice(0, 2) }],
				['j', 'join', { type: 'inner', on: [{ left: 'id', right: 'id' }] }],
				['tbl', 'table', { limit: 1000 }]
			],
			[
				['g', 'j', 'left'],
				['g', 'j', 'right'],
				['j', 'tbl']
			]
		);
		const result = (await run(doc, 2)).get('tbl') as TableResult;
		expect(result.schema.names).toEqual(['id', 'k', 'right_k']);
		expect(result.total).toBe(rows);
		result.rows.forEach((row, i) => expect(row).toEqual([i, row[1], row[1]]));
	});

	it('outputs the left columns, then the right ones without its keys, clashing names prefixed', () => {
		const { logical } = compile(joinDoc({ type: 'inner', on: [{ left: 'k', right: 'k' }] }));
		expect(logical!.byId.get('j')!.outputSchemas[0]).toEqual({
			names: ['id', 'k', 's', 'v', 'right_id', 'right_s', 'w', 't'],
			types: ['int32', 'int32', 'utf8', 'float64', 'int32', 'utf8', 'float64', 'timestamp']
		});
	});

	it('keeps every left row, with nulls on the right, when the build side is empty', async () => {
		for (const type of ['inner', 'left'] as const) {
			const spec: JoinSpec = { type, on: [{ left: 'k', right: 'k' }], rightRows: 0 };
			const result = (await run(joinDoc(spec), 2)).get('tbl') as TableResult;
			expect(result.total).toBe(type === 'left' ? LEFT_ROWS : 0);
			expect(firstDifference(result.rows, reference(spec))).toBeNull();
		}
	});

	it('emits nothing and finishes when the probe side is empty', async () => {
		for (const type of ['inner', 'left'] as const) {
			const spec: JoinSpec = { type, on: [{ left: 'k', right: 'k' }], leftRows: 0 };
			const result = (await run(joinDoc(spec), 2)).get('tbl') as TableResult;
			expect(result.total).toBe(0);
		}
	});

	it('reports keys of types that cannot be compared, naming both columns and types', () => {
		const { plan, diagnostics } = compile(
			joinDoc({ type: 'inner', on: [{ left: 's', right: 'k' }] })
		);
		expect(plan).toBeNull();
		const d = diagnostics.find((x) => x.node === 'j');
		expect(d?.param).toBe('on');
		expect(d?.message).toContain("key columns 's' (utf8, left) and 'k' (int32, right)");
	});

	it('reports unknown key columns and a missing key list', () => {
		const unknown = compile(joinDoc({ type: 'inner', on: [{ left: 'nope', right: 'k' }] }));
		expect(unknown.diagnostics.find((d) => d.node === 'j')?.message).toContain(
			"unknown left column 'nope'"
		);
		const none = compile(joinDoc({ type: 'inner', on: [] }));
		expect(none.diagnostics.find((d) => d.node === 'j')?.message).toContain(
			'choose at least one pair'
		);
	});

	it('says the build side passed the budget, not that an input stalled, when a slow right source outgrows it', async () => {
		// The right input brings a batch every 700 ms while the left one waits: two separate
		// sources, so the join waits for the right input to end and never buffers left rows.
		const doc = pipeline(
			[
				['lg', 'generator', { rows: 200_000, seed: 5, columns: LEFT_COLUMNS }],
				['rg', 'generator', { rows: 200_000, seed: 6, columns: RIGHT_COLUMNS }],
				['slow', 'slow', { msPerBatch: 700 }],
				['j', 'join', { type: 'inner', on: [{ left: 'k', right: 'k' }] }],
				['tbl', 'table', { limit: 10 }]
			],
			[
				['lg', 'j', 'left'],
				['rg', 'slow'],
				['slow', 'j', 'right'],
				['j', 'tbl']
			]
		);
		const started = startPipeline(doc, pool, {
			workers: 2,
			batchRows: 4096,
			budgetBytes: 1 << 20
		});
		const outcome = await started.outcome;
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.message).toMatch(
			/^join 'Join \(j\)': build side \(right input\) needed [\d.]+ MiB after [\d,]+ rows, more than the memory budget of 1 MiB/
		);
		expect(started.run!.leakedBlocks()).toBe(0);
	});

	it('marks a join whose inputs share an upstream node, and only such a join', () => {
		const stageOf = (doc: PipelineDocument) => {
			const { plan } = compile(doc, { workers: 2 });
			return plan!.stages.find((s) => s.kernel === nodeKernelName(joinNode, 'run'))!;
		};
		const on = [{ left: 'id', right: 'id' }];
		const columns = LEFT_COLUMNS.slice(0, 2);
		expect(stageOf(joinDoc({ type: 'inner', on })).sharedUpstream).toBe(false);
		const self = pipeline(
			[
				['g', 'generator', { rows: 10, columns }],
				['j', 'join', { type: 'inner', on }],
				['tbl', 'table', {}]
			],
			[
				['g', 'j', 'left'],
				['g', 'j', 'right'],
				['j', 'tbl']
			]
		);
		expect(stageOf(self).sharedUpstream).toBe(true);
		// One source reaching the join by two paths, through a filter on one of them.
		const twoPaths = pipeline(
			[
				['g', 'generator', { rows: 10, columns }],
				['f', 'filter', { expression: 'id > 2' }],
				['j', 'join', { type: 'inner', on }],
				['tbl', 'table', {}]
			],
			[
				['g', 'f'],
				['f', 'j', 'left'],
				['g', 'j', 'right'],
				['j', 'tbl']
			]
		);
		expect(stageOf(twoPaths).sharedUpstream).toBe(true);
	});

	it('compiles two generator sources feeding the two ports of one join stage', () => {
		const { plan } = compile(joinDoc({ type: 'inner', on: [{ left: 'k', right: 'k' }] }), {
			workers: 2
		});
		const stage = plan!.stages.findIndex((s) => s.kernel === nodeKernelName(joinNode, 'run'));
		const into = plan!.rings.filter((r) => r.to.stage === stage);
		const from = (port: number) => plan!.stages[into.find((r) => r.to.port === port)!.from.stage];
		expect(into.length).toBe(2);
		expect(from(0).name).toBe('Generator (lg)');
		expect(from(1).name).toBe('Generator (rg)');
	});

	async function expectBuildFailure(
		spec: JoinSpec,
		budgetBytes: number | undefined,
		pattern: RegExp
	) {
		const started = startPipeline(joinDoc(spec), pool, {
			workers: 2,
			batchRows: 4096,
			...(budgetBytes ? { budgetBytes } : {})
		});
		const outcome = await started.outcome;
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.message).toMatch(pattern);
		expect(started.run!.leakedBlocks()).toBe(0);
	}

	it('fails with a clear message, and leaves the pool whole, when the build side passes the budget', async () => {
		await expectBuildFailure(
			{ type: 'inner', on: [{ left: 'k', right: 'k' }], leftRows: 200_000, rightRows: 200_000 },
			1 << 20,
			/^join 'Join \(j\)': build side \(right input\) needed 1\.\d MiB after [\d,]+ rows, more than the memory budget of 1 MiB — put the smaller table on the right or raise the budget$/
		);
	});

	it('fails the same way when the build side passes the node’s maxBuildBytes', async () => {
		await expectBuildFailure(
			{ type: 'left', on: [{ left: 'k', right: 'k' }], rightRows: 50_000, maxBuildBytes: 64 << 10 },
			undefined,
			/^join 'Join \(j\)': build side \(right input\) needed [\d.]+ KiB after [\d,]+ rows, more than the maxBuildBytes limit of 64 KiB/
		);
	});
});
