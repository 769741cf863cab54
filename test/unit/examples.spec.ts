// Every pipeline in static/examples/ (the editor's Examples menu) loads, compiles and runs on a
// pool of two Node workers, and each of its sinks sees rows.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../../src/lib/compiler/execute';
import { loadDocument } from '../../src/lib/graph/load';
import { kindLookup } from '../../src/lib/nodes/catalogue';
import { createNodeWorkerPool } from '../../src/lib/runtime/scheduler/node-pool';
import type { WorkerPool } from '../../src/lib/runtime/scheduler/worker-pool';
import { datasetContext, splitDiagnostics } from '../../src/cli/pipeline-file';
import { resultRowCount } from '../../src/cli/results';

const DIR = new URL('../../static/examples/', import.meta.url);

interface IndexEntry {
	file: string;
	title: string;
	description: string;
}

const index = JSON.parse(readFileSync(new URL('index.json', DIR), 'utf8')) as IndexEntry[];
const files = readdirSync(DIR)
	.filter((f) => f.endsWith('.json') && f !== 'index.json')
	.sort();

describe('the examples index', () => {
	it('lists every example file once, each with a title and a description', () => {
		expect(index.map((e) => e.file).sort()).toEqual(files);
		for (const entry of index) {
			expect(entry.title.trim(), entry.file).not.toBe('');
			expect(entry.description.trim(), entry.file).not.toBe('');
		}
	});

	it('has the capabilities the issue asks for', () => {
		for (const name of [
			'csv-filter-group.json',
			'generator-derive-topk.json',
			'join-two-sources.json',
			'sample-statistics.json',
			'generator-filter-table.json'
		]) {
			expect(files).toContain(name);
		}
	});
});

describe('each example pipeline', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	for (const file of files) {
		it(`${file} loads, runs to the end and gives every sink rows`, async () => {
			const loaded = loadDocument(readFileSync(new URL(file, DIR), 'utf8'), kindLookup);
			const missing = loaded.diagnostics
				.filter((d) => d.code === 'unknown-kind')
				.map((d) => d.message);
			expect(missing, `${file} uses node kinds the catalogue lacks`).toEqual([]);
			const doc = loaded.document!;
			const { errors } = splitDiagnostics(loaded.diagnostics, doc);
			expect(errors, file).toEqual([]);

			// Nodes laid out left to right along the edges, so the editor shows them readably.
			const x = new Map(doc.nodes.map((n) => [n.id, n.position.x]));
			for (const e of doc.edges) expect(x.get(e.from.node)!, e.id).toBeLessThan(x.get(e.to.node)!);

			const { ctx, errors: unreadable } = await datasetContext(doc);
			expect(unreadable, file).toEqual([]);
			const started = startPipeline(doc, pool, { batchRows: 4096 }, ctx);
			expect(splitDiagnostics(started.compiled.diagnostics, doc).errors, file).toEqual([]);
			const outcome = await started.outcome;
			if (outcome.status === 'failed') {
				throw new Error(
					`${file}: stage '${outcome.failure.stage}' failed: ${outcome.failure.message}`
				);
			}
			expect(outcome.status).toBe('done');
			if (outcome.status !== 'done') return;
			expect(started.run!.leakedBlocks()).toBe(0);
			const sinks = [...started.compiled.plan!.sinks.keys()];
			expect(sinks.length).toBeGreaterThan(0);
			for (const sink of sinks) {
				const rows = resultRowCount(outcome.results.get(sink));
				expect(rows, `${file}: rows seen by sink '${sink}'`).toBeGreaterThan(0);
			}
		});
	}
});
