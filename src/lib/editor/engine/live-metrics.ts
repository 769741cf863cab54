// Live metrics in the document's terms: the engine's rates are per plan ring and per plan stage
// (runtime/metrics/rates.ts); the canvas and the panel show document edges and nodes. This maps
// one onto the other. Pure: no Svelte, no clock, no shared memory.
//
// Edges: a document edge between two stages is carried by one ring, or by several when a side
// runs as parallel instances (plan.edgeRings). Its rows and bytes per second are the rings' sum,
// its fill the rings' mean; its backpressure is that of its most blocked producer instance (a
// producer's share summed over its rings on the edge), as Flink reports a vertex's level as the
// worst of its subtasks. A document edge inside a fused stage has no ring: it is `fused`, with
// no figures of its own.
// Nodes: a node runs in the stages whose origin lists it: its instances (same origin), plus the
// merge stage of a partitioned terminal. Times are the mean over the instances (each has its
// own second), rows the sum. The bottleneck is the engine's (findBottleneck) and its sentence.
import type { CompiledPlan } from '../../compiler/physical';
import type { PipelineDocument } from '../../graph/document';
import type { HistoryPoint } from '../../runtime/metrics/sampler';
import {
	backpressureLevel,
	type BackpressureLevel,
	type EdgeRates,
	type Rates,
	type StageRates
} from '../../runtime/metrics/rates';

/** What of a compiled plan the mapping reads. */
export type LivePlan = Pick<CompiledPlan, 'origins' | 'edgeRings' | 'rings'>;

export interface EdgeLive {
	edge: string;
	/** Ring indices carrying the edge (empty when fused or not in the plan). */
	rings: number[];
	/** True when both ends run fused in one stage: no ring, no figures. */
	fused: boolean;
	rowsPerSec: number;
	bytesPerSec: number;
	/** Mean ring occupancy / capacity, 0..1. */
	fill: number;
	/** Share of the window the most blocked producer instance waited on this edge, 0..1. */
	backpressure: number;
	level: BackpressureLevel;
}

export interface NodeLive {
	node: string;
	/** The first stage running the node (as explain() numbers stages). */
	stage: number;
	/** Every stage running the node: its instances, then a merge stage if any. */
	stages: number[];
	/** Parallel instances of the node's stage. */
	instances: number;
	/** Nodes fused into the node's stage (1 when it runs alone). */
	fusedNodes: number;
	busyMsPerSec: number;
	idleMsPerSec: number;
	backpressuredMsPerSec: number;
	busyRatio: number;
	rowsInPerSec: number;
	rowsOutPerSec: number;
	isBottleneck: boolean;
	/** The engine's one sentence when the node's stage is the bottleneck, else null. */
	reason: string | null;
}

export interface LiveBottleneck {
	stage: number;
	/** Document nodes the bottleneck stage runs. */
	nodes: string[];
	reason: string;
}

export interface LiveView {
	/** `t` of the rates shown (ns, the sampling clock). */
	t: number;
	edges: Map<string, EdgeLive>;
	nodes: Map<string, NodeLive>;
	bottleneck: LiveBottleneck | null;
}

const NO_FIGURES = {
	rowsPerSec: 0,
	bytesPerSec: 0,
	fill: 0,
	backpressure: 0,
	level: 'OK' as const
};

/** Per document edge and node, the figures of one window of `rates` of a run of `plan`. */
export function mapLiveMetrics(plan: LivePlan, rates: Rates, doc: PipelineDocument): LiveView {
	const edges = new Map<string, EdgeLive>();
	for (const e of doc.edges) {
		const rings = plan.edgeRings.get(e.id) ?? [];
		if (rings.length === 0) {
			const fused = plan.origins.some(
				(o) => o.nodes.includes(e.from.node) && o.nodes.includes(e.to.node)
			);
			edges.set(e.id, { edge: e.id, rings, fused, ...NO_FIGURES });
			continue;
		}
		const list = rings.map((r) => ({ rates: rates.edges[r], producer: plan.rings[r]?.from.stage }));
		edges.set(e.id, { edge: e.id, rings, fused: false, ...combineEdges(list) });
	}

	const b = rates.bottleneck;
	const nodes = new Map<string, NodeLive>();
	for (const n of doc.nodes) {
		const found = stagesOfNode(plan, n.id);
		if (!found) continue;
		const { stages, instances } = found;
		const inst = stages.slice(0, instances).map((s) => rates.stages[s]);
		const isBottleneck = b !== null && stages.includes(b.stage);
		nodes.set(n.id, {
			node: n.id,
			stage: stages[0],
			stages,
			instances,
			fusedNodes: plan.origins[stages[0]].nodes.length,
			...combineStages(inst),
			isBottleneck,
			reason: isBottleneck ? b.reason : null
		});
	}

	return {
		t: rates.t,
		edges,
		nodes,
		bottleneck: b
			? { stage: b.stage, nodes: plan.origins[b.stage]?.nodes ?? [], reason: b.reason }
			: null
	};
}

/** The stages running `node` (instances first) and how many instances; null when none does. */
export function stagesOfNode(
	plan: Pick<CompiledPlan, 'origins'>,
	node: string
): { stages: number[]; instances: number } | null {
	const all: number[] = [];
	plan.origins.forEach((o, i) => {
		if (o.nodes.includes(node)) all.push(i);
	});
	if (all.length === 0) return null;
	const key = plan.origins[all[0]].nodes.join('\0');
	const instances = all.filter((s) => plan.origins[s].nodes.join('\0') === key);
	return {
		stages: [...instances, ...all.filter((s) => !instances.includes(s))],
		instances: instances.length
	};
}

type EdgeFigures = Pick<EdgeLive, 'rowsPerSec' | 'bytesPerSec' | 'fill' | 'backpressure' | 'level'>;

/** One edge's figures from its rings' rates, each with the stage that produces into it. */
export function combineEdges(
	list: { rates: EdgeRates | undefined; producer?: number }[]
): EdgeFigures {
	let rows = 0;
	let bytes = 0;
	let fill = 0;
	let n = 0;
	const blocked = new Map<number, number>();
	list.forEach(({ rates, producer }, i) => {
		if (!rates) return;
		n++;
		rows += rates.rowsPerSec;
		bytes += rates.bytesPerSec;
		fill += rates.fill;
		const key = producer ?? -1 - i;
		blocked.set(key, (blocked.get(key) ?? 0) + rates.backpressure);
	});
	const backpressure = Math.min(1, Math.max(0, ...blocked.values()));
	return {
		rowsPerSec: rows,
		bytesPerSec: bytes,
		fill: n > 0 ? fill / n : 0,
		backpressure,
		level: backpressureLevel(backpressure)
	};
}

type StageFigures = Pick<
	NodeLive,
	| 'busyMsPerSec'
	| 'idleMsPerSec'
	| 'backpressuredMsPerSec'
	| 'busyRatio'
	| 'rowsInPerSec'
	| 'rowsOutPerSec'
>;

/** Instances of one stage as one: times and busy share averaged, rows summed. */
export function combineStages(list: (StageRates | undefined)[]): StageFigures {
	const present = list.filter((s): s is StageRates => s !== undefined);
	const n = Math.max(1, present.length);
	const total = (f: (s: StageRates) => number) => present.reduce((a, s) => a + f(s), 0);
	return {
		busyMsPerSec: total((s) => s.busyMsPerSec) / n,
		idleMsPerSec: total((s) => s.idleMsPerSec) / n,
		backpressuredMsPerSec: total((s) => s.backpressuredMsPerSec) / n,
		busyRatio: total((s) => s.busyRatio) / n,
		rowsInPerSec: total((s) => s.rowsInPerSec),
		rowsOutPerSec: total((s) => s.rowsOutPerSec)
	};
}

export interface EdgeSeries {
	/** Seconds relative to the last point (<= 0). */
	t: number[];
	rowsPerSec: number[];
	bytesPerSec: number[];
	fill: number[];
	backpressure: number[];
}

/**
 * An edge's last minute from the sampler's history of each of its rings (same samples, same
 * order: the sampler keeps one Rates per sample holding every ring).
 */
export function edgeSeries(
	histories: HistoryPoint<EdgeRates>[][],
	producers: (number | undefined)[]
): EdgeSeries {
	const first = histories[0] ?? [];
	const end = first.at(-1)?.t ?? 0;
	const out: EdgeSeries = { t: [], rowsPerSec: [], bytesPerSec: [], fill: [], backpressure: [] };
	first.forEach((point, i) => {
		const f = combineEdges(
			histories.map((h, r) => ({ rates: h[i]?.value, producer: producers[r] }))
		);
		out.t.push((point.t - end) / 1e9);
		out.rowsPerSec.push(f.rowsPerSec);
		out.bytesPerSec.push(f.bytesPerSec);
		out.fill.push(f.fill);
		out.backpressure.push(f.backpressure);
	});
	return out;
}

export interface StageSeries {
	t: number[];
	busyRatio: number[];
	busyMsPerSec: number[];
	idleMsPerSec: number[];
	backpressuredMsPerSec: number[];
}

/** A stage's (or a node's instances', averaged) last minute from the sampler's histories. */
export function stageSeries(histories: HistoryPoint<StageRates>[][]): StageSeries {
	const first = histories[0] ?? [];
	const end = first.at(-1)?.t ?? 0;
	const out: StageSeries = {
		t: [],
		busyRatio: [],
		busyMsPerSec: [],
		idleMsPerSec: [],
		backpressuredMsPerSec: []
	};
	first.forEach((point, i) => {
		const f = combineStages(histories.map((h) => h[i]?.value));
		out.t.push((point.t - end) / 1e9);
		out.busyRatio.push(f.busyRatio);
		out.busyMsPerSec.push(f.busyMsPerSec);
		out.idleMsPerSec.push(f.idleMsPerSec);
		out.backpressuredMsPerSec.push(f.backpressuredMsPerSec);
	});
	return out;
}

/**
 * Rows node `node` put out in a run, from the run's counters: its instances' rows out summed
 * (its merge stage's, when it has one). Null when the run cannot tell: the node is not in the
 * plan, or it runs fused into a stage before that stage's last node (only the stage's output is
 * counted).
 */
export function nodeRowsOut(
	plan: Pick<CompiledPlan, 'origins'>,
	stages: readonly { rowsOut: number }[],
	node: string
): number | null {
	const found = stagesOfNode(plan, node);
	if (!found) return null;
	const origin = plan.origins[found.stages[0]];
	if (origin.nodes[origin.nodes.length - 1] !== node) return null;
	const merge = found.stages[found.instances];
	const counted = merge !== undefined ? [merge] : found.stages.slice(0, found.instances);
	return counted.reduce((sum, s) => sum + (stages[s]?.rowsOut ?? 0), 0);
}

/** Stroke width of an edge carrying `rowsPerSec`: 1.5 px idle, +1 px per decade, at most 8. */
export function edgeStrokeWidth(rowsPerSec: number): number {
	const r = Number.isFinite(rowsPerSec) && rowsPerSec > 0 ? rowsPerSec : 0;
	return Math.min(8, Math.max(1.5, 1 + Math.log10(1 + r)));
}
