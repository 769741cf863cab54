// A preview computed before a source's dataset schema was known must not outlive its arrival:
// the source's result identity includes what the datasets know of its schema.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetRegistry, probeDocumentDatasets } from '../../nodes/datasets';
import { createNodeWorkerPool } from '../../runtime/scheduler/node-pool';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { datasetCard } from '../components/editor-ui.svelte';
import { EditorEngine } from './engine.svelte';
import { chain, node, withParams } from './fixtures.spec-support';
import { nodeIdentities } from './identity';

const ROWS = Array.from({ length: 30 }, (_, i) => `${i + 1},${(i * 7) % 50}`);
let dir = '';
let path = '';

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'sluice-engine-datasets-'));
	path = join(dir, 'sales.csv');
	writeFileSync(path, `id,amount\n${ROWS.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sales = () =>
	chain(
		node('sales', 'csv', { source: path }),
		node('big', 'filter', { expression: 'amount > 20' }),
		node('sink', 'table', { limit: 100 })
	);

describe('result identities with datasets', () => {
	it('change for a file source and what is downstream when its schema arrives, not elsewhere', () => {
		const registry = new DatasetRegistry();
		const doc = chain(
			node('sales', 'csv', { source: '/data/sales.csv' }),
			node('sink', 'table', {})
		);
		const other = chain(node('gen', 'generator', { rows: 10 }), node('t', 'table', {}));
		const before = nodeIdentities(doc, registry);
		const otherBefore = nodeIdentities(other, registry);
		registry.registerDatasetSchema('/data/sales.csv', { names: ['id'], types: ['int32'] });
		const after = nodeIdentities(doc, registry);
		expect(after.get('sales')).not.toBe(before.get('sales'));
		expect(after.get('sink')).not.toBe(before.get('sink'));
		expect(nodeIdentities(other, registry)).toEqual(otherBefore);
		// Another schema under the same params is another dataset too.
		registry.registerDatasetSchema('/data/sales.csv', { names: ['id'], types: ['utf8'] });
		expect(nodeIdentities(doc, registry).get('sales')).not.toBe(after.get('sales'));
	});

	it('are the same as without datasets for a pipeline that reads none', () => {
		const doc = chain(node('gen', 'generator', { rows: 10 }), node('t', 'table', {}));
		expect(nodeIdentities(doc, new DatasetRegistry())).toEqual(nodeIdentities(doc));
	});
});

describe('EditorEngine with datasets', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('drops the "not known yet" error of a preview made before the schema arrived', async () => {
		const registry = new DatasetRegistry();
		const engine = new EditorEngine(pool, {
			debounceMs: 1,
			preview: { previewRows: 1000, inferContext: registry },
			run: { inferContext: registry }
		});
		const doc = sales();
		engine.requestPreview(doc, ['sink']);
		await engine.flushPreview();
		// Before: the sink's preview failed on the source, and the source's card shows it.
		expect(engine.nodeStatus('sales')).toEqual({
			error: `CSV (sales): schema of '${path}' is not known yet — load it first`
		});

		// The schema arrives under the same document; the editor asks for its previews again.
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		engine.requestPreview(doc, ['sink']);
		expect(engine.nodeStatus('sales')).toBe('idle');
		await engine.flushPreview();
		expect(engine.nodeStatus('sink')).toEqual({
			done: ROWS.filter((r) => +r.split(',')[1] > 20).length
		});
		expect(engine.nodeStatus('sales')).toBe('idle');

		// A full run afterwards leaves no stale error behind either.
		const outcome = await engine.run(doc);
		expect(outcome.status).toBe('done');
		expect(engine.nodeStatus('sales')).toBe('idle');
		expect(engine.results.get('sink')).toMatchObject({ status: 'done', from: 'run' });
		engine.dispose();
	});

	it('keeps the results of nodes whose datasets did not change', async () => {
		const registry = new DatasetRegistry();
		const engine = new EditorEngine(pool, {
			debounceMs: 1,
			preview: { previewRows: 1000, inferContext: registry }
		});
		const doc = chain(node('gen', 'generator', { rows: 100, seed: 3 }), node('t', 'table', {}));
		engine.requestPreview(doc, ['t']);
		await engine.flushPreview();
		const result = engine.results.get('t');
		expect(result?.status).toBe('done');
		registry.registerDatasetSchema('/elsewhere.csv', { names: ['x'], types: ['int32'] });
		engine.requestPreview(withParams(doc, 't', {}), ['t']);
		expect(engine.results.get('t')).toBe(result);
		engine.dispose();
	});
});

describe('datasetCard', () => {
	const url = 'https://example.com/sales.csv';
	it('says a dataset is loading, with its progress when its size is known', () => {
		expect(datasetCard({ state: 'loading', loaded: 250_000, total: 1_000_000, url }, url)).toEqual({
			state: 'loading',
			text: 'loading 25%',
			detail: `downloading ${url}: 250 KB of 1.0 MB`
		});
		expect(datasetCard({ state: 'loading', loaded: 0, url }, url)?.text).toBe('loading…');
	});

	it("says a ranged Parquet file's footer is being read, not downloaded", () => {
		const big = 'https://example.com/flights.parquet';
		expect(
			datasetCard({ state: 'loading', loaded: 524_288, url: big, part: 'footer' }, big)
		).toEqual({
			state: 'loading',
			text: 'loading…',
			detail: `reading the Parquet footer of ${big}: 524 KB`
		});
	});

	it('shows a failed download as an error naming the URL, and nothing once ready', () => {
		const message = `Could not fetch ${url}: ${url} answered 404 Not Found.`;
		expect(datasetCard({ state: 'error', message }, url)).toEqual({
			state: 'error',
			text: 'error',
			detail: message
		});
		expect(datasetCard({ state: 'ready' }, url)).toBeNull();
		expect(datasetCard(undefined, url)).toBeNull();
	});
});
