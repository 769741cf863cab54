// Sources report how far they have read, through the real engine on Node worker_threads: the
// counters a source's worker wrote are read back on this (main) thread from the run's metrics,
// over shared memory and over message passing, for local files, a split CSV and URLs.
import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler';
import type { PipelineDocument } from '../../graph/document';
import { createNodeFallbackPool } from '../../runtime/fallback/node-pool';
import { createRun } from '../../runtime/fallback/create-run';
import { combineProgress } from '../../runtime/metrics/rates';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { mulberry32 } from '../../runtime/testing/prng';
import { DatasetRegistry, probeDocumentDatasets } from '../datasets';
import { line, pipeline } from '../pipeline-fixtures.spec-support';
import { contentLength } from './source-bytes';
import { REPORT_EVERY_BYTES } from './source-progress';

function csvText(rows: number, seed: number): string {
	const prng = mulberry32(seed);
	const lines = ['id,name,value'];
	for (let i = 0; i < rows; i++) lines.push(`${i},name_${prng.int(0, 9999)},${prng.int(0, 1e6)}`);
	return lines.join('\n') + '\n';
}

interface Read {
	/** Each instance's [bytesRead, bytesTotal] of the source node's stages. */
	instances: [number, number][];
	bytesRead: number;
	bytesTotal: number;
	progress: number | null;
}

/** Runs `doc` over `transport` and returns what node `src`'s stages reported at the end. */
async function runAndRead(
	pool: WorkerPool,
	doc: PipelineDocument,
	transport: 'shared' | 'message' = 'shared',
	workers = 1
): Promise<Read> {
	const registry = new DatasetRegistry();
	const problems = await probeDocumentDatasets(doc, registry);
	expect(problems).toEqual([]);
	const compiled = compile(doc, { workers, batchRows: 2048, budgetBytes: 64 << 20 }, registry);
	const plan = compiled.plan;
	if (!plan) throw new Error(JSON.stringify(compiled.diagnostics));
	const run = createRun(pool, plan, {}, transport);
	const outcome = await run.start();
	if (outcome.status !== 'done') throw new Error(`run ended ${JSON.stringify(outcome)}`);
	const snap = run.metrics.snapshot();
	const stages = plan.origins.flatMap((o, i) => (o.nodes.includes('src') ? [i] : []));
	const counters = stages.map((i) => snap.stages[i]);
	return {
		instances: counters.map((c): [number, number] => [c.bytesRead, c.bytesTotal]),
		...combineProgress(counters)
	};
}

describe('source progress through the engine', () => {
	let pool: WorkerPool;
	let dir: string;
	let server: Server;
	let base: string;
	const served = new Map<string, { body: Buffer; chunked: boolean }>();

	beforeAll(async () => {
		pool = createNodeFallbackPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-progress-'));
		server = createServer((req, res) => {
			const file = served.get(req.url ?? '');
			if (!file) return void res.writeHead(404).end();
			if (file.chunked) {
				// No Content-Length: Node sends Transfer-Encoding: chunked.
				res.writeHead(200, { 'content-type': 'text/csv' });
				for (let at = 0; at < file.body.length; at += 50_000)
					res.write(file.body.subarray(at, at + 50_000));
				return void res.end();
			}
			res.writeHead(200, { 'content-type': 'text/csv', 'content-length': file.body.length });
			res.end(file.body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await pool.shutdown();
		await new Promise((resolve) => server.close(resolve));
		rmSync(dir, { recursive: true, force: true });
	});

	function write(name: string, content: string | Uint8Array): string {
		const path = join(dir, name);
		writeFileSync(path, content);
		return path;
	}

	it('ends a CSV file read with bytes read and bytes to read both equal to its size', async () => {
		const path = write('a.csv', csvText(40_000, 1));
		const size = statSync(path).size;
		expect(size).toBeGreaterThan(10 * REPORT_EVERY_BYTES);
		const doc = line(
			{ id: 'src', kind: 'csv', params: { source: path } },
			{ id: 'out', kind: 'table' }
		);
		const got = await runAndRead(pool, doc);
		expect(got).toMatchObject({ bytesRead: size, bytesTotal: size, progress: 1 });
	});

	it('carries the same figures over message passing (no SharedArrayBuffer)', async () => {
		const path = write('b.csv', csvText(20_000, 2));
		const size = statSync(path).size;
		const doc = line(
			{ id: 'src', kind: 'csv', params: { source: path } },
			{ id: 'out', kind: 'table' }
		);
		const got = await runAndRead(pool, doc, 'message');
		expect(got).toMatchObject({ bytesRead: size, bytesTotal: size, progress: 1 });
	});

	it('ends an NDJSON file read at its size', async () => {
		const lines = Array.from({ length: 15_000 }, (_, i) => JSON.stringify({ id: i, s: `v${i}` }));
		const path = write('c.ndjson', lines.join('\n') + '\n');
		const size = statSync(path).size;
		const doc = line(
			{ id: 'src', kind: 'json', params: { source: path } },
			{ id: 'out', kind: 'table' }
		);
		expect(await runAndRead(pool, doc)).toMatchObject({ bytesRead: size, bytesTotal: size });
	});

	it('ends an Arrow IPC file read at its size', async () => {
		const ids = Int32Array.from({ length: 50_000 }, (_, i) => i);
		const path = write('d.arrow', tableToIPC(tableFromArrays({ id: ids }), 'file'));
		const size = statSync(path).size;
		const doc = line(
			{ id: 'src', kind: 'arrow', params: { source: path } },
			{ id: 'out', kind: 'table' }
		);
		expect(await runAndRead(pool, doc)).toMatchObject({ bytesRead: size, bytesTotal: size });
	});

	it('reports a Parquet read as the bytes fetched of the file size', async () => {
		const path = join(process.cwd(), 'static/samples/trips.parquet');
		const size = statSync(path).size;
		const doc = line(
			{ id: 'src', kind: 'parquet', params: { source: path } },
			{ id: 'out', kind: 'table' }
		);
		const got = await runAndRead(pool, doc);
		expect(got.bytesTotal).toBe(size);
		// Distinct bytes: hyparquet's footer prefetch covers this small file whole, and the
		// column chunks read after it are not counted twice.
		expect(got.bytesRead).toBeGreaterThan(size * 0.9);
		expect(got.bytesRead).toBeLessThanOrEqual(size);
	});

	it('splits a CSV file between instances whose byte ranges add up to the file', async () => {
		const path = write('e.csv', csvText(60_000, 3));
		const size = statSync(path).size;
		const doc = pipeline(
			[
				{ id: 'src', kind: 'csv', params: { source: path } },
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
		const got = await runAndRead(pool, doc, 'shared', 2);
		expect(got.instances.length).toBe(2);
		for (const [read, total] of got.instances) {
			expect(total).toBeGreaterThan(0);
			expect(read).toBe(total);
		}
		expect(got).toMatchObject({ bytesRead: size, bytesTotal: size, progress: 1 });
	});

	it('takes a URL total from its Content-Length, and leaves it unknown for a chunked response', async () => {
		const body = Buffer.from(csvText(20_000, 4));
		served.set('/sized.csv', { body, chunked: false });
		served.set('/chunked.csv', { body, chunked: true });
		const sized = line(
			{ id: 'src', kind: 'csv', params: { source: `${base}/sized.csv` } },
			{ id: 'out', kind: 'table' }
		);
		expect(await runAndRead(pool, sized)).toMatchObject({
			bytesRead: body.length,
			bytesTotal: body.length,
			progress: 1
		});
		const chunked = line(
			{ id: 'src', kind: 'csv', params: { source: `${base}/chunked.csv` } },
			{ id: 'out', kind: 'table' }
		);
		expect(await runAndRead(pool, chunked)).toMatchObject({
			bytesRead: body.length,
			bytesTotal: -1,
			progress: null
		});
	});
});

describe('contentLength', () => {
	const headers = (h: Record<string, string>) => new Headers(h);

	it('reads a plain Content-Length and refuses a missing, malformed or compressed one', () => {
		expect(contentLength(headers({ 'content-length': '1234' }))).toBe(1234);
		expect(contentLength(headers({}))).toBe(-1);
		expect(contentLength(headers({ 'content-length': '12ab' }))).toBe(-1);
		// fetch hands over the decoded bytes: the gzip length would undercount them.
		expect(contentLength(headers({ 'content-length': '99', 'content-encoding': 'gzip' }))).toBe(-1);
		expect(contentLength(headers({ 'content-length': '99', 'content-encoding': 'identity' }))).toBe(
			99
		);
	});
});
