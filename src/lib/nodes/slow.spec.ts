import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../compiler';
import type { PipelineDocument } from '../graph/document';
import { startPipeline } from '../compiler/execute';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { nodeKind } from './catalogue';
import { line, results } from './pipeline-fixtures.spec-support';
import { slow } from './slow';
import type { TableResult } from './table';

const gen = (rows: number) => ({
	id: 'gen',
	kind: 'generator',
	params: { rows, columns: [{ name: 'id', type: 'int' }] }
});

describe('slow (debug node)', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('is listed in the catalogue as a debug transform with a 20 ms default', () => {
		expect(nodeKind('slow')).toBe(slow);
		expect(slow.traits.debug).toBe(true);
		expect(v.parse(slow.params, {})).toEqual({ msPerBatch: 20 });
	});

	it('refuses a sleep below 0 or above 10 s, naming the param', () => {
		expect(v.safeParse(slow.params, { msPerBatch: -1 }).issues?.[0].message).toMatch(
			/msPerBatch must be 0 or more/
		);
		expect(v.safeParse(slow.params, { msPerBatch: 10_001 }).issues?.[0].message).toMatch(
			/msPerBatch must be at most 10000/
		);
	});

	it('runs as a stage of its own, so the edges into and out of it are rings', () => {
		const doc = line(
			gen(100),
			{ id: 'f1', kind: 'filter', params: { expression: 'id >= 0' } },
			{ id: 'slow', kind: 'slow', params: { msPerBatch: 1 } },
			{ id: 'f2', kind: 'filter', params: { expression: 'id >= 0' } },
			{ id: 'tbl', kind: 'table' }
		);
		const compiled = compile(doc, { workers: 2, batchRows: 10, budgetBytes: 16 << 20 });
		const plan = compiled.plan!;
		expect(plan).toBeTruthy();
		const own = plan.origins.filter((o) => o.nodes.includes('slow'));
		expect(own.map((o) => o.nodes)).toEqual([['slow']]);
		const edgeInto = doc.edges.find((e) => e.to.node === 'slow')!;
		const edgeOut = doc.edges.find((e) => e.from.node === 'slow')!;
		expect(plan.edgeRings.get(edgeInto.id)?.length).toBeGreaterThan(0);
		expect(plan.edgeRings.get(edgeOut.id)?.length).toBeGreaterThan(0);
	});

	it('passes every row through unchanged before a sink: source → slow → table', async () => {
		const doc = line(
			gen(250),
			{ id: 'slow', kind: 'slow', params: { msPerBatch: 2 } },
			{
				id: 'tbl',
				kind: 'table',
				params: { limit: 1000 }
			}
		);
		const out = (await results(doc, pool, { batchRows: 50 })).get('tbl') as TableResult;
		expect(out.total).toBe(250);
		expect(out.rows.map((r) => r[0])).toEqual(Array.from({ length: 250 }, (_, i) => i));
	});

	it('feeds a transform after it: source → slow → filter → table', async () => {
		const doc = line(
			gen(300),
			{ id: 'slow', kind: 'slow', params: { msPerBatch: 1 } },
			{ id: 'f', kind: 'filter', params: { expression: 'id % 3 == 0' } },
			{ id: 'tbl', kind: 'table', params: { limit: 1000 } }
		);
		const out = (await results(doc, pool, { batchRows: 64, workers: 2 })).get('tbl') as TableResult;
		expect(out.total).toBe(100);
		expect(out.rows.map((r) => r[0])).toEqual(Array.from({ length: 100 }, (_, i) => i * 3));
	});

	/** Rates of one 1 s window of `doc`'s run once batches flow, then cancels the run. */
	async function window(doc: PipelineDocument, workers = 2) {
		const started = startPipeline(doc, pool, { workers, batchRows: 1000 });
		const run = started.run!;
		const plan = started.compiled.plan!;
		const slowStage = plan.origins.findIndex((o) => o.nodes.includes('slow'));
		const ring = (test: (e: PipelineDocument['edges'][number]) => boolean) =>
			plan.edgeRings.get(doc.edges.find(test)!.id)![0];
		const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
		// Wait until batches flow (workers may still be booting), then measure one 1 s window.
		while (run.metrics.snapshot().stages[slowStage].batchesIn < 5) await sleep(20);
		await sleep(300);
		const sampler = run.sampler();
		sampler.sample();
		await sleep(1000);
		const rates = sampler.sample()!;
		run.cancel();
		expect((await started.outcome).status).toBe('cancelled');
		return {
			rates,
			slowStage,
			into: plan.edgeRings.get(doc.edges.find((e) => e.to.node === 'slow')!.id)!,
			before: ring((e) => e.to.node === 'slow'),
			after: ring((e) => e.from.node === 'slow')
		};
	}

	it('is the bottleneck in the middle of a line: the edge before it HIGH, the edge after OK', async () => {
		const doc = line(
			gen(2_000_000),
			{ id: 'slow', kind: 'slow', params: { msPerBatch: 10 } },
			{ id: 'f', kind: 'filter', params: { expression: 'id % 2 == 0' } },
			{ id: 'tbl', kind: 'table' }
		);
		const { rates, slowStage, before, after } = await window(doc);
		expect(rates.edges[before].level).toBe('HIGH');
		expect(rates.edges[after].level).toBe('OK');
		expect(rates.bottleneck?.stage).toBe(slowStage);
		expect(rates.stages[slowStage].busyRatio).toBeGreaterThan(0.8);
	});

	it('is the bottleneck just before the sink, with every edge into it HIGH', async () => {
		// The filter runs as two instances, one of them on the slow stage's worker.
		const doc = line(
			gen(2_000_000),
			{ id: 'f', kind: 'filter', params: { expression: 'id >= 0' } },
			{ id: 'slow', kind: 'slow', params: { msPerBatch: 10 } },
			{ id: 'tbl', kind: 'table' }
		);
		const { rates, slowStage, into } = await window(doc);
		expect(into.length).toBe(2);
		for (const ring of into) expect(rates.edges[ring].level).toBe('HIGH');
		expect(rates.bottleneck?.stage).toBe(slowStage);
	});

	it('is the bottleneck on a single worker too, the edge before it HIGH', async () => {
		// Every stage on one worker: the source fills the slow stage's input ring, then waits.
		const doc = line(
			gen(2_000_000),
			{ id: 'slow', kind: 'slow', params: { msPerBatch: 10 } },
			{
				id: 'tbl',
				kind: 'table'
			}
		);
		const { rates, slowStage, before } = await window(doc, 1);
		expect(rates.edges[before].level).toBe('HIGH');
		expect(rates.bottleneck?.stage).toBe(slowStage);
	});

	it('stops sleeping when the run is cancelled, even mid-way through a 10 s batch', async () => {
		const doc = line(
			gen(1000),
			{ id: 'slow', kind: 'slow', params: { msPerBatch: 10_000 } },
			{
				id: 'tbl',
				kind: 'table'
			}
		);
		const started = startPipeline(doc, pool, { workers: 2, batchRows: 100 });
		await new Promise((resolve) => setTimeout(resolve, 100));
		started.run!.cancel();
		const outcome = await started.outcome;
		expect(outcome.status).toBe('cancelled');
		// The host returned by itself (no worker replaced): the pool is whole.
		expect(started.run!.leakedBlocks()).toBe(0);
	});
});
