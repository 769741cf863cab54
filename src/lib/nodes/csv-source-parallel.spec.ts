import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type PipelineOutcome } from '../compiler/execute';
import type { FrameSchema } from '../runtime/batch/types';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { DatasetRegistry, datasetRef } from './datasets';
import { SPLIT_SAMPLE_BYTES } from './kernels/source-range';
import { collected, columnValues, pipeline } from './pipeline-fixtures.spec-support';
import { csvSource } from './csv-source';
import { nodeKernelName } from './kernel-name';

interface Row {
	id: number;
	name: string;
	value: number | null;
	flag: boolean;
}

const SCHEMA: FrameSchema = {
	names: ['id', 'name', 'value', 'flag'],
	types: ['int32', 'utf8', 'float64', 'bool']
};
/** Names without quotes, and some that need quoting but hold no line break. */
const PLAIN_NAMES = ['plain', 'ünïcödé', '日本語', '✓ done', 'x'];
const QUOTED_NAMES = ['with, comma', 'say "hi"'];

interface Layout {
	eol: string;
	bom: boolean;
	trailing: boolean;
	blankLines: boolean;
	quoted: boolean;
}

function makeRows(seed: number, n: number, quoted: boolean): Row[] {
	const prng = mulberry32(seed);
	const names = quoted ? [...PLAIN_NAMES, ...QUOTED_NAMES] : PLAIN_NAMES;
	return Array.from({ length: n }, (_, id) => ({
		id,
		name: prng.chance(0.3) ? `name_${prng.int(0, 999)}` : prng.pick(names),
		value: prng.chance(0.1) ? null : prng.int(-100_000, 100_000) / 1000,
		flag: prng.chance(0.5)
	}));
}

function field(text: string): string {
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(rows: Row[], layout: Layout, seed = 1): string {
	const prng = mulberry32(seed);
	const lines = rows.map(
		(r) =>
			`${r.id},${field(r.name)},${r.value === null ? '' : r.value},${r.flag}` +
			(layout.blankLines && prng.chance(0.05) ? layout.eol : '')
	);
	const body = ['id,name,value,flag', ...lines].join(layout.eol);
	return (layout.bom ? '\ufeff' : '') + body + (layout.trailing ? layout.eol : '');
}

/** csv → filter (a partitioned chain: the source runs one instance per worker) → two sinks. */
function doc(source: string, params: Record<string, unknown> = {}) {
	return pipeline(
		[
			{ id: 'src', kind: 'csv', params: { source, ...params } },
			{ id: 'keep', kind: 'filter', params: { expression: 'true' } },
			{ id: 'out', kind: 'collect' },
			{ id: 'count', kind: 'table', params: { limit: 0 } }
		],
		[
			['src', 'keep'],
			['keep', 'out'],
			['keep', 'count']
		]
	);
}

interface Ran {
	outcome: PipelineOutcome;
	/** Rows each CSV source instance emitted, by instance. */
	sourceRows: number[];
}

function registry(path: string, header = true): DatasetRegistry {
	const r = new DatasetRegistry();
	const schema = header
		? SCHEMA
		: { names: ['column_1', 'column_2', 'column_3', 'column_4'], types: SCHEMA.types };
	r.registerDatasetSchema(datasetRef(path, { header }), schema);
	return r;
}

async function runCsv(
	pool: WorkerPool,
	path: string,
	workers: number,
	{ batchRows = 4096, params = {}, header = true } = {}
): Promise<Ran> {
	const started = startPipeline(
		doc(path, { header, ...params }),
		pool,
		{ workers, batchRows, budgetBytes: 64 << 20 },
		registry(path, header)
	);
	const outcome = await started.outcome;
	const stages = started.compiled.plan?.stages ?? [];
	const snapshot = started.run?.metrics.snapshot();
	const sourceRows = stages.flatMap((s, i) =>
		s.kernel === nodeKernelName(csvSource, 'run') ? [snapshot?.stages[i].rowsOut ?? -1] : []
	);
	return { outcome, sourceRows };
}

/** Asserts the run returned exactly `rows` (in any order). */
function expectRows(ran: Ran, rows: Row[], what: string): void {
	if (ran.outcome.status !== 'done')
		expect.fail(`${what}: run ended ${JSON.stringify(ran.outcome)}`);
	const table = collected(ran.outcome.results.get('out'));
	const names = table.schema.names;
	const ids = columnValues(table, names[0]) as number[];
	expect(ids.length, what).toBe(rows.length);
	const order = ids.map((_, i) => i).sort((a, b) => ids[a] - ids[b]);
	(['id', 'name', 'value', 'flag'] as const).forEach((key, c) => {
		const got = columnValues(table, names[c]);
		expect(
			order.map((at) => got[at]),
			`${what}, column ${key}`
		).toEqual(rows.map((r) => r[key]));
	});
}

describe('a CSV source split between workers', () => {
	let pool: WorkerPool;
	let dir: string;
	let files = 0;
	let server: Server;
	let served = '';
	beforeAll(async () => {
		pool = createNodeWorkerPool(3);
		dir = mkdtempSync(join(tmpdir(), 'sluice-csv-split-'));
		server = createServer((_req, res) => res.writeHead(200).end(served));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		await pool.shutdown();
		await new Promise((resolve) => server.close(resolve));
		rmSync(dir, { recursive: true, force: true });
	});

	function file(text: string): string {
		const path = join(dir, `f${files++}.csv`);
		writeFileSync(path, text);
		return path;
	}

	it('returns every row of random files exactly once on 1, 2 and 3 workers', async () => {
		const layout = fc.record({
			eol: fc.constantFrom('\n', '\r\n', '\r'),
			bom: fc.boolean(),
			trailing: fc.boolean(),
			blankLines: fc.boolean(),
			quoted: fc.boolean()
		});
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 2 ** 31 - 1 }),
				fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 6, max: 3000 })),
				layout,
				fc.integer({ min: 8, max: 5000 }),
				async (seed, n, shape, batchRows) => {
					const rows = makeRows(seed, n, shape.quoted);
					const path = file(toCsv(rows, shape, seed));
					for (const workers of [1, 2, 3]) {
						const what = `seed ${seed}, ${n} rows, ${JSON.stringify(shape)}, ${workers} workers, batchRows ${batchRows}`;
						const ran = await runCsv(pool, path, workers, { batchRows });
						expect(ran.sourceRows, what).toHaveLength(workers);
						expectRows(ran, rows, what);
					}
				}
			),
			{ seed: 20240607, numRuns: 12 }
		);
	});

	it('has every instance parse its share of a large file', async () => {
		const rows = makeRows(5, 12_000, true);
		const layout = { eol: '\r\n', bom: false, trailing: true, blankLines: false, quoted: true };
		const path = file(toCsv(rows, layout));
		const ran = await runCsv(pool, path, 3);
		expectRows(ran, rows, '3 workers');
		expect(ran.sourceRows.every((n) => n > 1000)).toBe(true);
		expect(ran.sourceRows.reduce((a, b) => a + b, 0)).toBe(rows.length);
	});

	it('reads a file with a quoted line break near its start on one instance only', async () => {
		const rows = makeRows(6, 5000, false);
		rows[3].name = 'two\nlines';
		const layout = { eol: '\n', bom: false, trailing: true, blankLines: false, quoted: true };
		const path = file(toCsv(rows, layout));
		const ran = await runCsv(pool, path, 2);
		expectRows(ran, rows, '2 workers');
		expect(ran.sourceRows).toEqual([rows.length, 0]);
	});

	it('fails naming parallel: false when a quoted line break comes after the checked start', async () => {
		const rows = makeRows(7, 8000, false);
		const late = rows.length - 10;
		rows[late].name = 'two\r\nlines';
		const layout = { eol: '\r\n', bom: false, trailing: true, blankLines: false, quoted: true };
		const text = toCsv(rows, layout);
		expect(text.indexOf('two\r\nlines')).toBeGreaterThan(SPLIT_SAMPLE_BYTES);
		const path = file(text);
		const ran = await runCsv(pool, path, 2);
		expect(ran.outcome.status).toBe('failed');
		if (ran.outcome.status !== 'failed') return;
		expect(ran.outcome.failure.message).toContain('quoted field spanning lines');
		expect(ran.outcome.failure.message).toContain('parallel: false');
		const whole = await runCsv(pool, path, 2, { params: { parallel: false } });
		expectRows(whole, rows, 'parallel: false');
		// Not split: one source instance reads it all and deals batches to the chain's instances.
		expect(whole.sourceRows).toEqual([rows.length]);
	});

	it('fails rather than return rows when a split falls inside a quoted field of valid-looking lines', async () => {
		const rows = makeRows(10, 6000, false);
		// A quoted field whose lines look like rows, spanning the middle of the file.
		rows[3000].name = '99,fake,1.5,true\n'.repeat(12_000);
		const layout = { eol: '\n', bom: false, trailing: true, blankLines: false, quoted: true };
		const text = toCsv(rows, layout);
		const middle = text.length / 2;
		expect(text.indexOf('99,fake')).toBeLessThan(middle);
		expect(text.lastIndexOf('99,fake')).toBeGreaterThan(middle);
		const path = file(text);
		const ran = await runCsv(pool, path, 2, { params: { badRows: 'null' } });
		expect(ran.outcome.status).toBe('failed');
		if (ran.outcome.status !== 'failed') return;
		expect(ran.outcome.failure.message).toContain('parallel: false');
		const whole = await runCsv(pool, path, 2, { params: { parallel: false } });
		expectRows(whole, rows, 'parallel: false');
	});

	it('reports a bad value past the first range with the line number of the file', async () => {
		const rows = makeRows(8, 6000, false);
		const layout = { eol: '\n', bom: false, trailing: true, blankLines: false, quoted: false };
		const text = toCsv(rows, layout).replace('\n5000,', '\nfive-thousand,');
		const path = file(text);
		for (const workers of [1, 3]) {
			const ran = await runCsv(pool, path, workers);
			expect(ran.outcome.status, `${workers} workers`).toBe('failed');
			if (ran.outcome.status !== 'failed') return;
			// Row 5000 is on line 5002: the header is line 1, row 0 line 2.
			expect(ran.outcome.failure.message).toContain("line 5002, column 'id'");
			expect(ran.outcome.failure.message).toContain('five-thousand');
		}
	});

	it('splits a file without a header line', async () => {
		const rows = makeRows(9, 4000, true);
		const layout = { eol: '\n', bom: false, trailing: false, blankLines: false, quoted: true };
		const text = toCsv(rows, layout).replace('id,name,value,flag\n', '');
		const path = file(text);
		const ran = await runCsv(pool, path, 2, { header: false });
		expectRows(ran, rows, 'no header, 2 workers');
		expect(ran.sourceRows.every((n) => n > 0)).toBe(true);
	});

	it('reads a URL once and deals its batches to the parallel chain', async () => {
		const rows = makeRows(11, 3000, true);
		served = toCsv(rows, {
			eol: '\n',
			bom: false,
			trailing: true,
			blankLines: false,
			quoted: true
		});
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rows.csv`;
		const ran = await runCsv(pool, url, 3);
		expectRows(ran, rows, 'URL, 3 workers');
		expect(ran.sourceRows).toEqual([rows.length]);
	});

	it('reads the cities sample once whether through a split CSV node or the sample dataset', async () => {
		for (const source of [
			{ id: 'src', kind: 'csv', params: { source: 'sample:cities' } },
			{ id: 'src', kind: 'sample-dataset', params: { name: 'cities' } }
		]) {
			const cities = pipeline(
				[
					source,
					{ id: 'keep', kind: 'filter', params: { expression: 'true' } },
					{ id: 'out', kind: 'collect' },
					{ id: 'count', kind: 'table', params: { limit: 0 } }
				],
				[
					['src', 'keep'],
					['keep', 'out'],
					['keep', 'count']
				]
			);
			const outcome = await startPipeline(cities, pool, { workers: 2 }).outcome;
			if (outcome.status !== 'done') expect.fail(`${source.kind}: ${JSON.stringify(outcome)}`);
			const names = columnValues(collected(outcome.results.get('out')), 'city');
			expect(names, source.kind).toHaveLength(228);
			expect(new Set(names).size, source.kind).toBe(228);
		}
	});
});
