import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableResult } from '../../nodes/table';
import { createNodeWorkerPool } from '../../runtime/scheduler/node-pool';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { EditorEngine } from './engine.svelte';
import { chain, node, runSpy, withParams } from './fixtures.spec-support';

const SMALL = { budgetBytes: 16 << 20, batchRows: 4096 };

function pipeline() {
	return chain(
		node('gen', 'generator', { rows: 100_000, seed: 3 }),
		node('flt', 'filter', { expression: 'value > 0.5' }),
		node('tbl', 'table', { limit: 5 })
	);
}

/** Resolves once `check` holds, polling every few ms (the engine settles asynchronously). */
async function until(check: () => boolean): Promise<void> {
	while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('EditorEngine', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('coalesces quick requests into one preview and shows its rows on the node card', async () => {
		const spy = runSpy();
		const engine = new EditorEngine(pool, {
			debounceMs: 30,
			preview: { previewRows: 1000, compile: SMALL, createRun: spy.factory }
		});
		const doc = pipeline();
		for (const expression of ['value > 0.1', 'value > 0.3', 'value > 0.5']) {
			engine.requestPreview(withParams(doc, 'flt', { expression }), ['flt']);
		}
		expect(engine.previewStatus).toBe('scheduled');
		await until(() => engine.previewStatus === 'idle');
		expect(spy.runs.length).toBe(1);
		const status = engine.nodeStatus('flt');
		if (typeof status !== 'object' || !('done' in status)) throw new Error(String(status));
		expect(status.done).toBeGreaterThan(300);
		expect(status.done).toBeLessThan(700);
		expect(engine.nodeStatus('gen')).toBe('idle');
		engine.dispose();
	});

	it('drops a result when its node changes, and keeps it when only positions change', async () => {
		const engine = new EditorEngine(pool, { preview: { previewRows: 1000, compile: SMALL } });
		const doc = pipeline();
		engine.requestPreview(doc, ['flt']);
		await engine.flushPreview();
		expect(engine.results.get('flt')?.status).toBe('done');
		const moved = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: 5, y: 5 } })) };
		engine.requestPreview(moved, []);
		expect(engine.results.has('flt')).toBe(true);
		engine.requestPreview(withParams(doc, 'gen', { rows: 100_000, seed: 4 }), []);
		expect(engine.results.has('flt')).toBe(false);
		expect(engine.nodeStatus('flt')).toBe('idle');
		engine.dispose();
	});

	it('runs the whole document, replacing the preview of its sink, and keeps it over previews', async () => {
		const engine = new EditorEngine(pool, {
			preview: { previewRows: 1000, compile: SMALL },
			run: { compile: SMALL, sampleMs: 20 }
		});
		const doc = pipeline();
		engine.requestPreview(doc, ['tbl']);
		await engine.flushPreview();
		const preview = engine.results.get('tbl');
		expect(preview?.status === 'done' && preview.from).toBe('preview');

		const running = engine.run(doc);
		expect(engine.running).not.toBeNull();
		expect(engine.nodeStatus('flt')).toBe('running');
		const outcome = await running;
		expect(outcome.status).toBe('done');
		expect(engine.running).toBeNull();
		expect(engine.lastRun).toBe(outcome);
		const full = engine.results.get('tbl');
		if (full?.status !== 'done') throw new Error(String(full?.status));
		expect(full.from).toBe('run');
		expect((full.result as TableResult).total).toBeGreaterThan(40_000);

		engine.requestPreview(doc, ['tbl']);
		await engine.flushPreview();
		expect(engine.results.get('tbl')).toBe(full);
		engine.dispose();
	});

	it('stops a run: the outcome is cancelled and the engine previews afterwards', async () => {
		const engine = new EditorEngine(pool, {
			preview: { previewRows: 1000, compile: SMALL },
			run: { compile: SMALL, sampleMs: 10 }
		});
		const doc = chain(node('taxi', 'sample-dataset', { name: 'taxi' }), node('st', 'statistics'));
		const running = engine.run(doc);
		await until(() => (engine.running?.sourceRows ?? 0) > 0);
		engine.stop();
		expect((await running).status).toBe('cancelled');
		expect(engine.lastRun?.status).toBe('cancelled');
		expect(engine.nodeStatus('st')).toBe('idle');
		engine.requestPreview(doc, ['st']);
		await engine.flushPreview();
		expect(engine.nodeStatus('st')).toEqual({ done: 1000 });
		engine.dispose();
	});

	it('shows a run failure on the node that failed', async () => {
		const engine = new EditorEngine(pool, { run: { compile: SMALL } });
		const doc = chain(
			node('taxi', 'sample-dataset', { name: 'taxi', rows: 5000 }),
			node('cast', 'cast', { casts: [{ column: 'zone', to: 'int32' }], onError: 'fail' }),
			node('t', 'table')
		);
		const outcome = await engine.run(doc);
		expect(outcome.status).toBe('failed');
		const status = engine.nodeStatus('cast');
		expect(typeof status === 'object' && 'error' in status && status.error).toMatch(
			/^Cast \(cast\): cannot cast column 'zone'/
		);
		engine.dispose();
	});
});
