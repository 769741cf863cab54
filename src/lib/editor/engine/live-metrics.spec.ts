import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler';
import type { CompiledPlan } from '../../compiler/physical';
import type { PipelineDocument } from '../../graph/document';
import type { EdgeRates, Rates, StageRates } from '../../runtime/metrics/rates';
import { chain, node } from './fixtures.spec-support';
import {
	combineEdges,
	edgeSeries,
	edgeStrokeWidth,
	mapLiveMetrics,
	nodeRowsOut,
	stageSeries,
	stagesOfNode
} from './live-metrics';

const COLUMNS = [
	{ name: 'id', type: 'int' },
	{ name: 'amount', type: 'float', min: 0, max: 100 }
];
const gen = () => node('gen', 'generator', { rows: 1000, columns: COLUMNS });
const keep = () => node('keep', 'filter', { expression: 'amount > 10' });
const slow = () => node('slow', 'slow', { msPerBatch: 50 });
const out = () => node('out', 'table', { limit: 10 });

function planOf(doc: PipelineDocument, workers: number): CompiledPlan {
	const { plan, diagnostics } = compile(doc, { workers });
	if (!plan) throw new Error(diagnostics.map((d) => d.message).join('; '));
	return plan;
}

function edgeRates(over: Partial<EdgeRates> = {}): EdgeRates {
	return {
		rowsPerSec: 0,
		bytesPerSec: 0,
		batchesPerSec: 0,
		fill: 0,
		backpressure: 0,
		level: 'OK',
		consumerWaitRatio: 0,
		...over
	};
}

function stageRates(over: Partial<StageRates> = {}): StageRates {
	return {
		busyMsPerSec: 0,
		idleMsPerSec: 1000,
		backpressuredMsPerSec: 0,
		busyRatio: 0,
		rowsInPerSec: 0,
		rowsOutPerSec: 0,
		batchesInPerSec: 0,
		batchesOutPerSec: 0,
		bytesRead: 0,
		bytesTotal: 0,
		progress: null,
		...over
	};
}

function ratesFor(
	plan: CompiledPlan,
	edges: Record<number, Partial<EdgeRates>>,
	stages: Record<number, Partial<StageRates>>,
	bottleneck: Rates['bottleneck'] = null
): Rates {
	return {
		t: 5e9,
		windowMs: 250,
		edges: plan.rings.map((_, i) => edgeRates(edges[i])),
		stages: plan.stages.map((_, i) => stageRates(stages[i])),
		workers: [],
		bottleneck,
		bytes: { bytesRead: 0, bytesTotal: 0, progress: null }
	};
}

describe('mapLiveMetrics', () => {
	// generator ×2 (paired) → filter ×2 → slow → table: rings 0,1 carry gen→keep, 2,3 keep→slow.
	const doc = chain(gen(), keep(), slow(), out());
	const plan = planOf(doc, 2);

	it('sums the rows of the rings of parallel instances and averages their fill', () => {
		expect(plan.edgeRings.get('e1')).toEqual([0, 1]);
		const rates = ratesFor(
			plan,
			{
				0: { rowsPerSec: 1000, bytesPerSec: 8000, fill: 0.25 },
				1: { rowsPerSec: 3000, bytesPerSec: 24000, fill: 0.75 }
			},
			{}
		);
		const e1 = mapLiveMetrics(plan, rates, doc).edges.get('e1')!;
		expect(e1).toMatchObject({ rings: [0, 1], fused: false, rowsPerSec: 4000, bytesPerSec: 32000 });
		expect(e1.fill).toBeCloseTo(0.5);
	});

	it('takes the most blocked producer instance as the edge backpressure, as Flink does', () => {
		const rates = ratesFor(
			plan,
			{
				0: { backpressure: 0 },
				1: { backpressure: 0.95 },
				2: { backpressure: 0.3 },
				3: { backpressure: 0.2 }
			},
			{}
		);
		const view = mapLiveMetrics(plan, rates, doc);
		expect(view.edges.get('e1')).toMatchObject({ backpressure: 0.95, level: 'HIGH' });
		// Two producers at 30% and 20%: the worst is 30% (LOW), not their 50% sum.
		expect(view.edges.get('e2')!.backpressure).toBeCloseTo(0.3);
		expect(view.edges.get('e2')!.level).toBe('LOW');
		expect(view.edges.get('e3')).toMatchObject({ backpressure: 0, level: 'OK' });
	});

	it('adds up what one producer waits on each of its rings (round-robin into instances)', () => {
		const f = combineEdges([
			{ rates: edgeRates({ backpressure: 0.3 }), producer: 4 },
			{ rates: edgeRates({ backpressure: 0.35 }), producer: 4 }
		]);
		expect(f.backpressure).toBeCloseTo(0.65);
		expect(f.level).toBe('HIGH');
	});

	it('shows an edge inside a fused stage as fused, with no ring and no figures', () => {
		const fusedDoc = chain(gen(), keep(), out());
		const fusedPlan = planOf(fusedDoc, 1);
		const view = mapLiveMetrics(
			fusedPlan,
			ratesFor(fusedPlan, { 0: { rowsPerSec: 99 } }, {}),
			fusedDoc
		);
		expect(view.edges.get('e2')).toMatchObject({
			fused: true,
			rings: [],
			rowsPerSec: 0,
			level: 'OK'
		});
		expect(view.edges.get('e1')).toMatchObject({ fused: false, rowsPerSec: 99 });
		expect(view.nodes.get('keep')!.fusedNodes).toBe(2);
		expect(view.nodes.get('out')!.stage).toBe(view.nodes.get('keep')!.stage);
	});

	it('averages the time of a node’s parallel instances and sums their rows', () => {
		const [a, b] = stagesOfNode(plan, 'keep')!.stages;
		const rates = ratesFor(
			plan,
			{},
			{
				[a]: {
					busyMsPerSec: 100,
					idleMsPerSec: 100,
					backpressuredMsPerSec: 800,
					busyRatio: 0.1,
					rowsInPerSec: 10
				},
				[b]: {
					busyMsPerSec: 300,
					idleMsPerSec: 500,
					backpressuredMsPerSec: 200,
					busyRatio: 0.3,
					rowsInPerSec: 30
				}
			}
		);
		const keepLive = mapLiveMetrics(plan, rates, doc).nodes.get('keep')!;
		expect(keepLive).toMatchObject({
			instances: 2,
			busyMsPerSec: 200,
			idleMsPerSec: 300,
			backpressuredMsPerSec: 500,
			rowsInPerSec: 40
		});
		expect(keepLive.busyRatio).toBeCloseTo(0.2);
		expect(mapLiveMetrics(plan, rates, doc).nodes.get('slow')!.instances).toBe(1);
	});

	it('badges the nodes of the engine’s bottleneck stage with its sentence, and no other node', () => {
		const slowStage = stagesOfNode(plan, 'slow')!.stages[0];
		const reason = "'Slow' was busy 98% of the time while its input was backpressured 95%.";
		const rates = ratesFor(plan, {}, {}, { stage: slowStage, reason });
		const view = mapLiveMetrics(plan, rates, doc);
		expect(view.bottleneck).toEqual({ stage: slowStage, nodes: ['slow'], reason });
		expect(view.nodes.get('slow')).toMatchObject({ isBottleneck: true, reason });
		for (const id of ['gen', 'keep', 'out'])
			expect(view.nodes.get(id)).toMatchObject({ isBottleneck: false, reason: null });
	});

	it('shows no bottleneck when the engine names none', () => {
		const view = mapLiveMetrics(plan, ratesFor(plan, {}, {}), doc);
		expect(view.bottleneck).toBeNull();
		expect([...view.nodes.values()].some((n) => n.isBottleneck)).toBe(false);
	});

	it('lists a partitioned terminal’s instances first and its merge stage last', () => {
		const groupDoc = chain(
			gen(),
			keep(),
			node('g', 'group-by', { keys: ['id'], aggregates: [{ op: 'count', as: 'n' }] })
		);
		const groupPlan = planOf(groupDoc, 3);
		const found = stagesOfNode(groupPlan, 'g')!;
		expect(found.instances).toBe(3);
		expect(found.stages).toHaveLength(4);
		expect(groupPlan.origins[found.stages[3]].nodes).toEqual(['g']);
	});

	it('counts a node’s rows in a run from its instances, or its merge stage, and not inside a fused stage', () => {
		const groupDoc = chain(
			gen(),
			keep(),
			node('g', 'group-by', { keys: ['id'], aggregates: [{ op: 'count', as: 'n' }] })
		);
		const groupPlan = planOf(groupDoc, 3);
		const rowsOut = groupPlan.stages.map((_, i) => ({ rowsOut: 10 + i }));
		const gen0 = stagesOfNode(groupPlan, 'gen')!;
		const g = stagesOfNode(groupPlan, 'g')!;
		expect(nodeRowsOut(groupPlan, rowsOut, 'gen')).toBe(
			gen0.stages.reduce((sum, s) => sum + 10 + s, 0)
		);
		// The group-by's rows are its merge stage's.
		expect(nodeRowsOut(groupPlan, rowsOut, 'g')).toBe(10 + g.stages[3]);
		// The filter runs fused before the group-by: its own output is not counted.
		expect(nodeRowsOut(groupPlan, rowsOut, 'keep')).toBeNull();
		expect(nodeRowsOut(groupPlan, rowsOut, 'nope')).toBeNull();
	});
});

describe('series', () => {
	it('combines ring histories sample by sample, times in seconds before the last', () => {
		const h = (values: [number, number][]) =>
			values.map(([rows, bp], i) => ({
				t: (i + 1) * 0.5e9,
				value: edgeRates({ rowsPerSec: rows, backpressure: bp })
			}));
		const s = edgeSeries(
			[
				h([
					[1, 0],
					[2, 0.2]
				]),
				h([
					[10, 0.9],
					[20, 0.1]
				])
			],
			[0, 1]
		);
		expect(s.t).toEqual([-0.5, 0]);
		expect(s.rowsPerSec).toEqual([11, 22]);
		expect(s.backpressure).toEqual([0.9, 0.2]);
	});

	it('averages stage instances', () => {
		const h = (ratio: number) => [
			{ t: 1e9, value: stageRates({ busyRatio: ratio, busyMsPerSec: ratio * 1000 }) }
		];
		const s = stageSeries([h(0.2), h(0.6)]);
		expect(s.busyRatio[0]).toBeCloseTo(0.4);
		expect(s.busyMsPerSec[0]).toBeCloseTo(400);
	});
});

describe('edgeStrokeWidth', () => {
	it('grows a pixel per decade of rows/s between 1.5 and 8 px', () => {
		expect(edgeStrokeWidth(0)).toBe(1.5);
		expect(edgeStrokeWidth(Number.NaN)).toBe(1.5);
		expect(edgeStrokeWidth(999)).toBeCloseTo(4);
		expect(edgeStrokeWidth(99_999)).toBeCloseTo(6);
		expect(edgeStrokeWidth(1e12)).toBe(8);
		expect(edgeStrokeWidth(1e4)).toBeGreaterThan(edgeStrokeWidth(1e3));
	});
});
