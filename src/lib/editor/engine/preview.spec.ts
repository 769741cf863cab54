import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../../compiler/execute';
import type { PipelineDocument } from '../../graph/document';
import type { TableResult } from '../../nodes/table';
import { createNodeWorkerPool } from '../../runtime/scheduler/node-pool';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { chain, node, runSpy, withParams } from './fixtures.spec-support';
import { PreviewRunner } from './preview';
import type { NodeResult } from './results';

const SMALL = { budgetBytes: 16 << 20, batchRows: 4096 };

function generatorPipeline(rows = 200_000): PipelineDocument {
	return chain(
		node('gen', 'generator', { rows, seed: 7 }),
		node('flt', 'filter', { expression: 'value > 0.5' }),
		node('drv', 'derive', { column: 'double', expression: 'value * 2' }),
		node('tbl', 'table', { limit: 10 })
	);
}

function done(r: NodeResult | undefined): TableResult {
	if (r?.status !== 'done') throw new Error(`expected a result, got ${JSON.stringify(r)}`);
	return r.result as TableResult;
}

describe('PreviewRunner', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('previews an intermediate filter over the first previewRows rows of its source', async () => {
		const runner = new PreviewRunner(pool, { previewRows: 10_000, tableRows: 20, compile: SMALL });
		const results = await runner.preview(generatorPipeline(), ['flt']);
		const table = done(results.get('flt'));
		expect(table.schema.names).toEqual(['id', 'key', 'value', 'flag']);
		expect(table.rows.length).toBe(20);
		for (const row of table.rows) expect(row[2] as number).toBeGreaterThan(0.5);
		// Reference: the same filter over a generator that makes only the first 10 000 rows.
		const ref = chain(
			node('gen', 'generator', { rows: 10_000, seed: 7 }),
			node('flt', 'filter', { expression: 'value > 0.5' }),
			node('t', 'table', { limit: 0 })
		);
		const outcome = await startPipeline(ref, pool, SMALL).outcome;
		if (outcome.status !== 'done') throw new Error(outcome.status);
		expect(table.total).toBe((outcome.results.get('t') as TableResult).total);
		expect(table.total).toBeLessThan(10_000);
	});

	it('cuts a source without a row count with a hidden limit, and shows a source itself', async () => {
		const runner = new PreviewRunner(pool, { previewRows: 50, tableRows: 5, compile: SMALL });
		const doc = chain(
			node('cities', 'sample-dataset', { name: 'cities' }),
			node('all', 'filter', { expression: 'true' })
		);
		const results = await runner.preview(doc, ['cities', 'all']);
		expect(done(results.get('cities')).total).toBe(50);
		expect(done(results.get('all')).total).toBe(50);
		expect(done(results.get('all')).rows.length).toBe(5);
	});

	it("returns a sink's own result for a sink asked about", async () => {
		const runner = new PreviewRunner(pool, { previewRows: 1000, compile: SMALL });
		const doc = chain(node('gen', 'generator', { rows: 5000 }), node('st', 'statistics'));
		const r = (await runner.preview(doc, ['st'])).get('st');
		expect(r?.status).toBe('done');
		expect(r?.status === 'done' && r.result).toMatchObject({ kind: 'statistics', rows: 1000 });
	});

	it('re-runs an edited node but answers an unchanged one from the cache', async () => {
		const spy = runSpy();
		const runner = new PreviewRunner(pool, {
			previewRows: 5000,
			compile: SMALL,
			createRun: spy.factory
		});
		const doc = generatorPipeline();
		await runner.preview(doc, ['flt', 'drv']);
		expect(spy.runs.length).toBe(1);

		// The derive changes: asking for the filter again runs nothing; the derive re-runs.
		const edited = withParams(doc, 'drv', { column: 'triple', expression: 'value * 3' });
		const flt = await runner.preview(edited, ['flt']);
		expect(spy.runs.length).toBe(1);
		expect(flt.get('flt')?.status).toBe('done');
		const drv = await runner.preview(edited, ['flt', 'drv']);
		expect(spy.runs.length).toBe(2);
		expect(done(drv.get('drv')).schema.names).toContain('triple');

		// Moving and relabelling nodes changes no identity: all cached.
		const moved = { ...edited, nodes: edited.nodes.map((n) => ({ ...n, label: 'x' + n.id })) };
		const again = await runner.preview(moved, ['flt', 'drv']);
		expect(spy.runs.length).toBe(2);
		expect(done(again.get('drv')).total).toBe(done(drv.get('drv')).total);
	});

	it('cancels a superseded preview, whose promise answers superseded', async () => {
		const spy = runSpy();
		const runner = new PreviewRunner(pool, {
			previewRows: 2_000_000,
			compile: SMALL,
			createRun: spy.factory
		});
		const big = chain(
			node('taxi', 'sample-dataset', { name: 'taxi', rows: 2_000_000 }),
			node('far', 'filter', { expression: 'distance_km > 5' })
		);
		const older = runner.preview(big, ['far']);
		await spy.created(1);
		const newer = runner.preview(withParams(big, 'far', { expression: 'fare > 20' }), ['far']);
		const [a, b] = await Promise.all([older, newer]);
		expect(a.get('far')?.status).toBe('superseded');
		expect(b.get('far')?.status).toBe('done');
		expect((await spy.outcomes[0]).status).toBe('cancelled');
		expect(spy.runs.length).toBe(2);
	});

	it('cancels the running preview when a newer call is answered from the cache', async () => {
		const spy = runSpy();
		const runner = new PreviewRunner(pool, {
			previewRows: 2_000_000,
			compile: SMALL,
			createRun: spy.factory
		});
		const small = chain(
			node('taxi', 'sample-dataset', { name: 'taxi', rows: 100 }),
			node('far', 'filter', { expression: 'distance_km > 5' })
		);
		await runner.preview(small, ['far']);
		const big = withParams(small, 'taxi', { name: 'taxi', rows: 2_000_000 });
		const older = runner.preview(big, ['far']);
		await spy.created(2);
		const cached = await runner.preview(small, ['far']);
		expect(cached.get('far')?.status).toBe('done');
		expect((await older).get('far')?.status).toBe('superseded');
		expect((await spy.outcomes[1]).status).toBe('cancelled');
		expect(spy.runs.length).toBe(2);
	});

	it('lets a call that needs what the running preview computes wait for it instead', async () => {
		const spy = runSpy();
		const runner = new PreviewRunner(pool, {
			previewRows: 20_000,
			compile: SMALL,
			createRun: spy.factory
		});
		const doc = generatorPipeline();
		const first = runner.preview(doc, ['flt', 'drv']);
		const second = runner.preview({ ...doc, name: 'renamed' }, ['drv']);
		const [a, b] = await Promise.all([first, second]);
		expect(spy.runs.length).toBe(1);
		expect(a.get('drv')).toEqual(b.get('drv'));
	});

	it('reports compiler problems on the document’s own node ids, without hidden nodes', async () => {
		const runner = new PreviewRunner(pool, { compile: SMALL });
		const doc = chain(
			node('cities', 'sample-dataset', { name: 'cities' }),
			node('flt', 'filter', { expression: 'nope > 1' }),
			node('drv', 'derive', { column: 'x', expression: '1' })
		);
		const results = await runner.preview(doc, ['drv', 'cities']);
		const r = results.get('drv');
		if (r?.status !== 'error') throw new Error(`expected an error, got ${r?.status}`);
		expect(r.node).toBe('flt');
		expect(r.message).toContain('nope');
		const ids = new Set(doc.nodes.map((n) => n.id));
		for (const d of r.diagnostics ?? []) {
			if (d.node !== undefined) expect(ids).toContain(d.node);
			expect(d.message).not.toContain('preview');
		}
		// The source upstream of the problem still previews.
		expect(results.get('cities')?.status).toBe('done');
	});

	it('names the node a run failure came from', async () => {
		const runner = new PreviewRunner(pool, { previewRows: 1000, compile: SMALL });
		const doc = chain(
			node('taxi', 'sample-dataset', { name: 'taxi' }),
			{
				...node('cast', 'cast', { casts: [{ column: 'zone', to: 'int32' }], onError: 'fail' }),
				label: 'Zone as number'
			},
			node('flt', 'filter', { expression: 'true' })
		);
		const r = (await runner.preview(doc, ['flt'])).get('flt');
		if (r?.status !== 'error') throw new Error(`expected an error, got ${r?.status}`);
		expect(r.node).toBe('cast');
		expect(r.message).toMatch(/^Zone as number: cannot cast column 'zone'/);
		expect(r.message).not.toContain('preview');
	});

	it('answers cancelled when cancel() stops a running preview, and the pool keeps working', async () => {
		const spy = runSpy();
		const runner = new PreviewRunner(pool, {
			previewRows: 2_000_000,
			compile: SMALL,
			createRun: spy.factory
		});
		const big = chain(
			node('taxi', 'sample-dataset', { name: 'taxi', rows: 2_000_000 }),
			node('s', 'statistics')
		);
		const pending = runner.preview(big, ['s']);
		await spy.created(1);
		runner.cancel();
		expect((await pending).get('s')?.status).toBe('cancelled');
		const small = withParams(big, 'taxi', { name: 'taxi', rows: 100 });
		expect((await runner.preview(small, ['s'])).get('s')?.status).toBe('done');
	});
});
