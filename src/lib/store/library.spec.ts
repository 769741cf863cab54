import { afterEach, describe, expect, it, vi } from 'vitest';
import { DOCUMENT_VERSION } from '../graph/document';
import { ConflictError, isQuotaError, StorageFullError } from './errors';
import { freshStore, sampleDoc } from './fixtures.spec-support';
import { TRASH_MS } from './library';

afterEach(() => vi.restoreAllMocks());

const run = (at: number) => ({
	at,
	durationMs: 10,
	status: 'done' as const,
	sourceRows: 5,
	sinks: [],
	edges: [],
	peakBackpressure: 0,
	bottleneck: null
});

describe('PipelineStore', () => {
	it('saves a pipeline and reads it back with its version counter, node count and summary', async () => {
		const { store } = await freshStore();
		const record = await store.createPipeline(sampleDoc(), { view: { x: 1, y: 2, zoom: 0.5 } });
		expect(record.version).toBe(1);
		expect(record.nodeCount).toBe(3);
		expect(record.summary).toBe('generator → filter → table');
		const opened = await store.getPipeline(record.id);
		expect(opened?.doc).toEqual(sampleDoc());
		expect(opened?.record.view).toEqual({ x: 1, y: 2, zoom: 0.5 });
		expect(await store.getLastOpen()).toBe(record.id);
	});

	it('bumps the version on every save and refuses a save from a stale version', async () => {
		const { store } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc('v1'));
		const second = await store.savePipeline(id, sampleDoc('v2'), { expectedVersion: 1 });
		expect(second.version).toBe(2);
		await expect(
			store.savePipeline(id, sampleDoc('stale'), { expectedVersion: 1 })
		).rejects.toBeInstanceOf(ConflictError);
		expect((await store.getPipeline(id))?.doc?.name).toBe('v2');
	});

	it('lets exactly one of two saves from the same version win', async () => {
		const { store } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc('start'));
		const results = await Promise.allSettled([
			store.savePipeline(id, sampleDoc('tab A'), { expectedVersion: 1 }),
			store.savePipeline(id, sampleDoc('tab B'), { expectedVersion: 1 })
		]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const winner = results.find((r) => r.status === 'fulfilled')!;
		const stored = await store.getPipeline(id);
		expect(stored?.doc?.name).toBe((winner as PromiseFulfilledResult<{ name: string }>).value.name);
		expect(stored?.record.version).toBe(2);
	});

	it('opens a document stored at version 0 upgraded, and stores it at the current version on save', async () => {
		const { store } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc());
		// An older Sluice stored the canvas library's own objects (document version 0).
		const v0 = {
			id: 'old',
			name: 'From 2023',
			nodes: [
				{ id: 'g', type: 'generator', data: { rows: 10 }, position: { x: 0, y: 0 } },
				{ id: 't', type: 'table', data: {}, position: { x: 200, y: 0 } }
			],
			edges: [{ id: 'e', source: 'g', sourceHandle: null, target: 't', targetHandle: null }]
		};
		const old = (await store.db.get('pipelines', id))!;
		await store.db.put('pipelines', { ...old, json: JSON.stringify(v0), docVersion: 0 });

		const opened = (await store.getPipeline(id))!;
		expect(opened.migratedFrom).toBe(0);
		expect(opened.doc?.version).toBe(DOCUMENT_VERSION);
		expect(opened.doc?.nodes.map((n) => n.kind)).toEqual(['generator', 'table']);
		expect(opened.doc?.edges[0]).toMatchObject({ from: { node: 'g', port: 'out' } });
		expect(opened.record.json).toBe(JSON.stringify(v0)); // reading does not write

		const saved = await store.savePipeline(id, opened.doc!, {
			expectedVersion: opened.record.version
		});
		expect(saved.docVersion).toBe(DOCUMENT_VERSION);
		expect(JSON.parse(saved.json).nodes[0].kind).toBe('generator');
	});

	it('keeps a stored document that fails validation as it is, with its diagnostics', async () => {
		const { store } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc('Broken one'));
		const raw = '{"version":1,"id":"x","name":"Broken one","nodes":"not a list","edges":[]}';
		const old = (await store.db.get('pipelines', id))!;
		await store.db.put('pipelines', { ...old, json: raw });

		const opened = (await store.getPipeline(id))!;
		expect(opened.doc).toBeNull();
		expect(opened.diagnostics[0].message).toMatch(/nodes/);
		expect(opened.record.json).toBe(raw);
		// Renaming it in the library changes the label only; the text stays byte for byte.
		await store.renamePipeline(id, 'Broken, renamed');
		expect((await store.db.get('pipelines', id))!.json).toBe(raw);
		expect((await store.listPipelines()).map((p) => p.name)).toEqual(['Broken, renamed']);
		expect((await store.exportPipelineFile(id)).text).toBe(raw);
	});

	it('lists pipelines last edited first and finds them by name or node kind', async () => {
		const { store, clock } = await freshStore();
		const a = await store.createPipeline(sampleDoc('Taxi fares'));
		clock.now += 1000;
		const b = await store.createPipeline({ ...sampleDoc('Empty'), nodes: [], edges: [] });
		expect((await store.listPipelines()).map((p) => p.id)).toEqual([b.id, a.id]);
		expect((await store.listPipelines({ search: 'taxi' })).map((p) => p.id)).toEqual([a.id]);
		expect((await store.listPipelines({ search: 'FILTER' })).map((p) => p.id)).toEqual([a.id]);
		expect(await store.listPipelines({ search: 'nothing like it' })).toEqual([]);
	});

	it('renames and duplicates a pipeline, the copy with its own id and version', async () => {
		const { store } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc('Taxi'));
		const renamed = await store.renamePipeline(id, 'Taxi 2024');
		expect(renamed.version).toBe(2);
		expect((await store.getPipeline(id))?.doc?.name).toBe('Taxi 2024');
		const copy = await store.duplicatePipeline(id);
		expect(copy.id).not.toBe(id);
		expect(copy.version).toBe(1);
		expect((await store.getPipeline(copy.id))?.doc?.name).toBe('Taxi 2024 (copy)');
	});

	it('deletes a pipeline into the trash with its runs and restores both weeks later', async () => {
		const { store, clock } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc(), { view: { x: 3, y: 4, zoom: 2 } });
		await store.addRun(id, run(1));
		await store.deletePipeline(id);
		expect(await store.getPipeline(id)).toBeUndefined();
		expect(await store.listPipelines()).toEqual([]);
		expect(await store.listRuns(id)).toEqual([]);
		expect(await store.getLastOpen()).toBeUndefined();
		expect(await store.listTrash()).toEqual([
			expect.objectContaining({ id, name: 'Orders over 100', nodeCount: 3, deletedAt: clock.now })
		]);
		clock.now += 20 * 24 * 3600_000; // 20 days later: still there
		await store.restorePipeline(id);
		const back = await store.getPipeline(id);
		expect(back?.doc?.name).toBe('Orders over 100');
		expect(back?.record.view).toEqual({ x: 3, y: 4, zoom: 2 });
		expect(await store.listRuns(id)).toHaveLength(1);
		expect(await store.listTrash()).toEqual([]);
	});

	it('drops what has been in the trash over 30 days and refuses to restore it', async () => {
		const { store, clock } = await freshStore();
		const old = await store.createPipeline(sampleDoc('Gone'));
		await store.deletePipeline(old.id);
		clock.now += TRASH_MS - 1000;
		const recent = await store.createPipeline(sampleDoc('Recent'));
		await store.deletePipeline(recent.id);
		clock.now += 2000; // 'Gone' is now 30 days and a second old; 'Recent' two seconds
		await expect(store.restorePipeline(old.id)).rejects.toThrow(
			/'Gone' can no longer be restored: it is not in the trash/
		);
		expect((await store.listTrash()).map((t) => t.name)).toEqual(['Recent']);
		expect(await store.getPipeline(old.id)).toBeUndefined();
	});

	it('empties the trash for good, keeping the library', async () => {
		const { store } = await freshStore();
		const kept = await store.createPipeline(sampleDoc('Kept'));
		const a = await store.createPipeline(sampleDoc('A'));
		const b = await store.createPipeline(sampleDoc('B'));
		await store.deletePipeline(a.id);
		await store.deletePipeline(b.id);
		expect(await store.emptyTrash()).toBe(2);
		expect(await store.listTrash()).toEqual([]);
		await expect(store.restorePipeline(a.id)).rejects.toThrow(/not in the trash/);
		expect((await store.listPipelines()).map((p) => p.id)).toEqual([kept.id]);
	});

	it('imports a pipeline file and refuses one that is not a pipeline, storing nothing', async () => {
		const { store } = await freshStore();
		const good = await store.importPipelineFile(JSON.stringify(sampleDoc('Imported')));
		expect(good.ok).toBe(true);
		const bad = await store.importPipelineFile('{"version": 1, "nodes": [');
		expect(bad).toMatchObject({ ok: false });
		expect(!bad.ok && bad.error).toMatch(/not a Sluice pipeline: .*not valid JSON/);
		expect((await store.listPipelines()).map((p) => p.name)).toEqual(['Imported']);
	});

	it('exports the stored text under a file name made from the pipeline name', async () => {
		const { store } = await freshStore();
		const { id, json } = await store.createPipeline(sampleDoc('Taxi fares / 2024'));
		expect(await store.exportPipelineFile(id)).toEqual({
			fileName: 'taxi-fares-2024.json',
			text: json
		});
	});
});

describe('storage limits', () => {
	it('turns a quota error into a StorageFullError naming the largest pipelines, and keeps working', async () => {
		const { store } = await freshStore();
		const big = { ...sampleDoc('Huge one'), name: 'Huge one' };
		big.nodes = big.nodes.map((n) => ({ ...n, label: 'x'.repeat(5000) }));
		const { id } = await store.createPipeline(big);
		const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		});
		const error = await store
			.savePipeline(id, sampleDoc('edit'), { expectedVersion: 1 })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StorageFullError);
		expect((error as StorageFullError).usage?.largest[0].name).toBe('Huge one');
		expect((error as Error).message).toMatch(
			/storage for Sluice is full.*'Huge one'.*cached datasets/
		);
		// The failed transaction wrote nothing; the next save goes through.
		expect((await store.getPipeline(id))?.record.version).toBe(1);
		put.mockRestore();
		const next = await store.savePipeline(id, sampleDoc('edit'), { expectedVersion: 1 });
		expect(next.version).toBe(2);
	});

	it('recognises every browser’s way of saying the disk is full', () => {
		expect(isQuotaError(new DOMException('', 'QuotaExceededError'))).toBe(true);
		expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
		expect(isQuotaError({ name: 'AbortError', cause: { code: 22 } })).toBe(true);
		expect(isQuotaError(new DOMException('', 'AbortError'))).toBe(false);
		expect(isQuotaError(null)).toBe(false);
	});
});

describe('run history', () => {
	it('keeps the newest 20 runs of a pipeline and drops the oldest, leaving other pipelines alone', async () => {
		const { store } = await freshStore();
		const a = await store.createPipeline(sampleDoc('A'));
		const b = await store.createPipeline(sampleDoc('B'));
		await store.addRun(b.id, run(0));
		for (let at = 1; at <= 25; at++) await store.addRun(a.id, run(at));
		const runs = await store.listRuns(a.id);
		expect(runs.map((r) => r.at)).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i));
		expect(await store.listRuns(b.id)).toHaveLength(1);
		expect(await store.getRun(runs[0].id)).toEqual(runs[0]);
	});
});
