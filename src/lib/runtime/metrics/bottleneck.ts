// Picks the stage that limits a run's throughput from one window's rates (DESIGN.md, Metrics:
// "the stage that is busy nearly all the time while its inputs are backpressured and its
// outputs are not"). Pure.
//
// Rules
// 1. A stage with inputs qualifies when its busyRatio >= BOTTLENECK_BUSY_MIN, at least one
//    input edge is LOW or HIGH (its producer waits for it), and no output edge is LOW or HIGH
//    (it does not wait for anyone downstream). Sinks have no outputs, so only rule 1's first two
//    conditions apply to them.
// 2. A source (no inputs) shows no backpressure of its own when it is slow: its consumers just
//    wait. It qualifies only in the one case the counters can tell apart from "the source is
//    simply the rate of the data": it is busy >= BOTTLENECK_BUSY_MIN, none of its outputs is
//    LOW or HIGH, and one of its consumers waits on it (consumerWaitRatio >= SOURCE_STARVES_MIN)
//    while another input of that consumer is LOW or HIGH — e.g. a join held back by its slow
//    side while the fast side's ring is full.
// 3. When nothing is backpressured there is no bottleneck (null): the run keeps up with its
//    sources. Stages of rule 1 win over sources of rule 2; among equals the busier stage wins,
//    then the one whose input is more backpressured, then the lower index.

import type { EdgeRates, StageRates, Topology } from './rates';

export interface Bottleneck {
	stage: number;
	/** One sentence naming the stage and the figures that make it the bottleneck. */
	reason: string;
}

/** Busy share of its accounted time from which a stage counts as "busy nearly all the time". */
export const BOTTLENECK_BUSY_MIN = 0.8;
/** Consumer wait share from which a source counts as starving its consumer. */
export const SOURCE_STARVES_MIN = 0.1;

interface Candidate {
	stage: number;
	source: boolean;
	busy: number;
	/** Backpressure of the strongest evidence edge (an input, or the consumer's other input). */
	pressure: number;
	reason: string;
}

export function findBottleneck(
	stages: StageRates[],
	edges: EdgeRates[],
	topology: Topology
): Bottleneck | null {
	const links = topology.edges.slice(0, edges.length);
	const pressed = (e: number): boolean => edges[e].level !== 'OK';
	if (!links.some((_, e) => pressed(e))) return null;

	const stageName = (s: number): string => `'${topology.stageNames[s] ?? `stage ${s}`}'`;
	const edgeName = (e: number): string => `'${topology.edgeNames[e] ?? `edge ${e}`}'`;
	const pct = (x: number): string => `${Math.round(x * 100)}%`;
	const inputsOf = (s: number): number[] => indicesWhere(links, (l) => l.to === s);
	const outputsOf = (s: number): number[] => indicesWhere(links, (l) => l.from === s);
	const strongest = (list: number[]): number =>
		list.reduce((a, b) => (edges[b].backpressure > edges[a].backpressure ? b : a));

	let best: Candidate | null = null;
	for (let s = 0; s < stages.length; s++) {
		const busy = stages[s].busyRatio;
		const outputs = outputsOf(s);
		if (busy < BOTTLENECK_BUSY_MIN || outputs.some(pressed)) continue;
		const inputs = inputsOf(s);
		const candidate =
			inputs.length > 0 ? innerCandidate(s, busy, inputs) : sourceCandidate(s, busy, outputs);
		if (candidate && (!best || beats(candidate, best))) best = candidate;
	}
	return best ? { stage: best.stage, reason: best.reason } : null;

	/** Rule 1: an input is backpressured, no output is. */
	function innerCandidate(s: number, busy: number, inputs: number[]): Candidate | null {
		const pressedInputs = inputs.filter(pressed);
		if (pressedInputs.length === 0) return null;
		const e = strongest(pressedInputs);
		return {
			stage: s,
			source: false,
			busy,
			pressure: edges[e].backpressure,
			reason: innerReason(s, stages, edges, topology)
		};
	}

	/** Rule 2: the source starves a consumer whose other input is backpressured. */
	function sourceCandidate(s: number, busy: number, outputs: number[]): Candidate | null {
		let found: Candidate | null = null;
		for (const out of outputs) {
			const wait = edges[out].consumerWaitRatio;
			if (wait < SOURCE_STARVES_MIN) continue;
			const consumer = links[out].to;
			const others = inputsOf(consumer).filter((e) => e !== out && pressed(e));
			if (others.length === 0) continue;
			const e = strongest(others);
			if (found && edges[e].backpressure <= found.pressure) continue;
			found = {
				stage: s,
				source: true,
				busy,
				pressure: edges[e].backpressure,
				reason:
					`${stageName(s)} was busy ${pct(busy)} of the time and ${stageName(consumer)} ` +
					`waited on its output ${edgeName(out)} ${pct(wait)} of the time while ` +
					`${edgeName(e)} was backpressured ${pct(edges[e].backpressure)}, ` +
					`and it has no backpressured outputs.`
			};
		}
		return found;
	}
}

function beats(a: Candidate, b: Candidate): boolean {
	if (a.source !== b.source) return !a.source;
	if (a.busy !== b.busy) return a.busy > b.busy;
	return a.pressure > b.pressure;
}

function indicesWhere<T>(list: T[], test: (item: T) => boolean): number[] {
	const out: number[] = [];
	list.forEach((item, i) => {
		if (test(item)) out.push(i);
	});
	return out;
}

/** Names for the sentences: a stage or edge in quotes, a ratio in whole percent. */
function namer(topology: Topology) {
	return {
		stage: (s: number): string => `'${topology.stageNames[s] ?? `stage ${s}`}'`,
		edge: (e: number): string => `'${topology.edgeNames[e] ?? `edge ${e}`}'`,
		pct: (x: number): string => `${Math.round(x * 100)}%`
	};
}

/** Rule 1's sentence: busy share, the most backpressured input, and the outputs' figure. */
function innerReason(
	s: number,
	stages: StageRates[],
	edges: EdgeRates[],
	topology: Topology
): string {
	const n = namer(topology);
	const links = topology.edges.slice(0, edges.length);
	const inputs = indicesWhere(links, (l) => l.to === s);
	const outputs = indicesWhere(links, (l) => l.from === s);
	const most = (list: number[]) =>
		list.reduce((a, b) => (edges[b].backpressure > edges[a].backpressure ? b : a));
	const busy = n.pct(stages[s]?.busyRatio ?? 0);
	const into =
		inputs.length > 0
			? `while its input ${n.edge(most(inputs))} was backpressured ${n.pct(edges[most(inputs)].backpressure)}`
			: 'while it reads no input';
	let out: string;
	if (outputs.length === 0) out = 'it has no outputs to wait for';
	else {
		const worst = edges[most(outputs)].backpressure;
		out =
			outputs.length === 1
				? `its output is not (${n.pct(worst)})`
				: `none of its ${outputs.length} outputs is (at most ${n.pct(worst)})`;
	}
	return `${n.stage(s)} was busy ${busy} of the time ${into} and ${out}.`;
}

/**
 * The one sentence that says why `b` is the bottleneck, from the figures of `rates` (the live
 * window, or a whole run's rates in a metrics report). The panel, the CLI and the report all
 * show this sentence.
 */
export function explainBottleneck(
	b: { stage: number },
	rates: { stages: StageRates[]; edges: EdgeRates[] },
	topology: Topology
): string {
	const found = findBottleneck(rates.stages, rates.edges, topology);
	if (found && found.stage === b.stage) return found.reason;
	return innerReason(b.stage, rates.stages, rates.edges, topology);
}
