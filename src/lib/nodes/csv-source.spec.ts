import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../compiler/index';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { DatasetRegistry, datasetRef, probeDatasetSchema, probeDocumentDatasets } from './datasets';
import { collected, columnValues, line, results, run } from './pipeline-fixtures.spec-support';

interface Row {
	id: number;
	name: string;
	price: number | null;
	flag: boolean;
}

const NAMES = ['plain', 'with, comma', 'say "hi"', 'ünïcödé ✓', ''];

function makeRows(seed: number, n: number): Row[] {
	const prng = mulberry32(seed);
	return Array.from({ length: n }, (_, id) => ({
		id,
		name: prng.chance(0.3) ? `name_${prng.int(0, 999)}` : prng.pick(NAMES.slice(0, 4)),
		price: prng.chance(0.1) ? null : prng.int(0, 1_000_000) / 100,
		flag: prng.chance(0.5)
	}));
}

function quote(text: string): string {
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(rows: Row[]): string {
	const lines = rows.map(
		(r) => `${r.id},${quote(r.name)},${r.price === null ? '' : r.price.toFixed(2)},${r.flag}`
	);
	return `id,name,price,flag\n${lines.join('\n')}\n`;
}

const SEED = 20240601;
const ROWS = makeRows(SEED, 20_000);
const CSV = toCsv(ROWS);

function expectRows(result: unknown, rows: Row[]): void {
	const table = collected(result);
	expect(table.schema.names).toEqual(['id', 'name', 'price', 'flag']);
	const ids = columnValues(table, 'id') as number[];
	expect(ids.length, `seed ${SEED}`).toBe(rows.length);
	// Rows in id order, then compared column by column (one assertion per column).
	const order = ids.map((_, i) => i).sort((a, b) => ids[a] - ids[b]);
	for (const name of ['id', 'name', 'price', 'flag'] as const) {
		const got = columnValues(table, name);
		expect(
			order.map((at) => got[at]),
			`column ${name}, seed ${SEED}`
		).toEqual(rows.map((r) => r[name]));
	}
}

function csvDoc(source: string, params: Record<string, unknown> = {}) {
	return line(
		{ id: 'src', kind: 'csv', params: { source, ...params } },
		{ id: 'out', kind: 'collect' }
	);
}

async function probed(source: string, options = {}): Promise<DatasetRegistry> {
	const registry = new DatasetRegistry();
	registry.registerDatasetSchema(
		datasetRef(source, options),
		await probeDatasetSchema(source, options)
	);
	return registry;
}

describe('the CSV source', () => {
	let pool: WorkerPool;
	let dir: string;
	let server: Server;
	let base: string;
	const bodies = new Map<string, string>();

	beforeAll(async () => {
		pool = createNodeWorkerPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-csv-'));
		server = createServer((req, res) => {
			const body = bodies.get(req.url ?? '');
			if (body === undefined) {
				res.writeHead(404, 'Not Found').end();
				return;
			}
			// Stream the body in small pieces so the source sees many chunks.
			const bytes = Buffer.from(body);
			res.writeHead(200, { 'content-type': 'text/csv' });
			let at = 0;
			const next = () => {
				if (at >= bytes.length) return void res.end();
				res.write(bytes.subarray(at, (at += 7919)), next);
			};
			next();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await pool.shutdown();
		await new Promise((resolve) => server.close(resolve));
		rmSync(dir, { recursive: true, force: true });
	});

	function file(name: string, text: string): string {
		const path = join(dir, name);
		writeFileSync(path, text);
		return path;
	}

	it('reads a local file into columns holding exactly the values of the file', async () => {
		const path = file('rows.csv', CSV);
		const out = await results(csvDoc(path), pool, { ctx: await probed(path) });
		expectRows(out.get('out'), ROWS);
	});

	it('reads a file: URL the same as a plain path', async () => {
		const path = file('url.csv', toCsv(ROWS.slice(0, 500)));
		const url = `file://${path}`;
		const out = await results(csvDoc(url), pool, { ctx: await probed(url) });
		expectRows(out.get('out'), ROWS.slice(0, 500));
	});

	it('streams the same table from a loopback HTTP server', async () => {
		bodies.set('/rows.csv', CSV);
		const url = `${base}/rows.csv`;
		const out = await results(csvDoc(url), pool, { ctx: await probed(url) });
		expectRows(out.get('out'), ROWS);
	});

	it('cuts parsed batches into frames that fit a small memory budget', async () => {
		const path = file('small-budget.csv', CSV);
		const out = await results(csvDoc(path), pool, {
			ctx: await probed(path),
			batchRows: 16_384,
			budgetBytes: 1 << 20
		});
		expectRows(out.get('out'), ROWS);
	});

	it('fails with the HTTP status and the URL when the server refuses the file', async () => {
		const url = `${base}/missing.csv`;
		const registry = new DatasetRegistry();
		registry.registerDatasetSchema(url, { names: ['a'], types: ['int32'] });
		const outcome = await run(csvDoc(url), pool, { ctx: registry });
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.stage).toContain('src');
		expect(outcome.failure.message).toContain(url);
		expect(outcome.failure.message).toContain('404');
	});

	it('names the node, the line and the column of a bad value under badRows fail', async () => {
		const text = CSV.replace('\n1234,', '\nnot-a-number,');
		const path = file('bad.csv', text);
		const outcome = await run(csvDoc(path), pool, { ctx: await probed(path) });
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.stage).toBe('CSV (src)');
		// Row 1234 is on line 1236: the header is line 1, row 0 line 2.
		expect(outcome.failure.message).toContain("line 1236, column 'id'");
		expect(outcome.failure.message).toContain('not-a-number');
	});

	it('drops a bad row under skip and keeps it with a null under null', async () => {
		const text = CSV.replace('\n1234,', '\nnot-a-number,');
		const path = file('bad-policies.csv', text);
		const ctx = await probed(path);
		const skipped = collected(
			(await results(csvDoc(path, { badRows: 'skip' }), pool, { ctx })).get('out')
		);
		expect(skipped.numRows).toBe(ROWS.length - 1);
		expect(columnValues(skipped, 'id')).not.toContain(1234);
		const nulled = collected(
			(await results(csvDoc(path, { badRows: 'null' }), pool, { ctx })).get('out')
		);
		expect(nulled.numRows).toBe(ROWS.length);
		const ids = columnValues(nulled, 'id');
		expect(ids.filter((v) => v === null)).toHaveLength(1);
		expect(columnValues(nulled, 'name')[ids.indexOf(null)]).toBe(ROWS[1234].name);
	});

	it('asks for the dataset to be loaded, and compiles once the document was probed', async () => {
		const path = file('probe.csv', CSV);
		const doc = csvDoc(path, { delimiter: ',' });
		const before = compile(doc, { workers: 1 });
		expect(before.plan).toBeNull();
		const problem = before.diagnostics.find((d) => d.node === 'src');
		expect(problem?.param).toBe('source');
		expect(problem?.message).toContain(`schema of '${path}' is not known yet — load it first`);
		const registry = new DatasetRegistry();
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const after = compile(doc, { workers: 1 }, registry);
		expect(after.plan?.stages[0].outputSchemas[0]).toEqual({
			names: ['id', 'name', 'price', 'flag'],
			types: ['int32', 'utf8', 'float64', 'bool']
		});
	});

	it('reports a dataset that cannot be read while probing a document, naming the node', async () => {
		const missing = join(dir, 'nope.csv');
		const problems = await probeDocumentDatasets(csvDoc(missing), new DatasetRegistry());
		expect(problems).toHaveLength(1);
		expect(problems[0].node).toBe('src');
		expect(problems[0].message).toContain(missing);
	});

	it('applies type overrides and reports an override of a column the file lacks', async () => {
		const path = file('types.csv', toCsv(ROWS.slice(0, 100)));
		const ctx = await probed(path);
		const out = await results(csvDoc(path, { types: { id: 'float64' } }), pool, { ctx });
		const table = collected(out.get('out'));
		expect(String(table.schema.fields[0].type)).toBe('Float64');
		expect(columnValues(table, 'id')).toEqual(ROWS.slice(0, 100).map((r) => r.id));
		const bad = compile(csvDoc(path, { types: { idd: 'int64' } }), { workers: 1 }, ctx);
		const problem = bad.diagnostics.find((d) => d.node === 'src');
		expect(problem?.param).toBe('types');
		expect(problem?.message).toContain("column 'idd'");
	});

	it('reads semicolon-separated files once probed with that delimiter', async () => {
		const path = file('semi.csv', 'a;b\n1;x\n2;y\n');
		const ctx = await probed(path, { delimiter: ';' });
		const out = await results(csvDoc(path, { delimiter: ';' }), pool, { ctx });
		const table = collected(out.get('out'));
		expect(columnValues(table, 'a')).toEqual([1, 2]);
		expect(columnValues(table, 'b')).toEqual(['x', 'y']);
	});

	it('fails naming the source when the file no longer has the probed columns', async () => {
		const path = file('changed.csv', 'x,y\n1,2\n');
		const registry = new DatasetRegistry();
		registry.registerDatasetSchema(path, { names: ['a', 'b'], types: ['int32', 'int32'] });
		const outcome = await run(csvDoc(path), pool, { ctx: registry });
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.message).toContain(`the columns of '${path}' changed`);
	});

	it('reads sample:cities with its static schema and no probing', async () => {
		const out = await results(csvDoc('sample:cities'), pool);
		const table = collected(out.get('out'));
		expect(table.schema.names).toContain('population');
		expect(table.numRows).toBeGreaterThan(200);
	});
});
