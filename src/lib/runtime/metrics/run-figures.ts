// One run's figures as a whole, from the counters at its start and at its end: what every view
// of a finished run shows (the metrics panel and the canvas after the run, the run history, the
// metrics report, `sluice run`'s last lines), so they cannot disagree.
//
// The live panel's rates cover one sampling window; at the end of a run that window is its
// tail (sources done, sinks draining), where nothing is backpressured any more and a long
// kernel call accounted in a short window reads as more than 1000 ms per second. Over the whole
// run neither happens: the bottleneck is the stage that held the run back for most of it, and
// each stage instance's busy + idle + backpressured is at most 1000 ms per second (a small
// excess from the workers' and the sampler's clocks is scaled away). Pure.
import type { MetricsSnapshot } from './counters';
import { findBottleneck, type Bottleneck } from './bottleneck';
import { computeRates, type Rates, type StageRates, type Topology } from './rates';

export interface RunFigures {
	/** The whole run as one window: edges, stage instances, workers and the bottleneck. */
	rates: Rates;
	/** The bottleneck with its stage's name, or null when nothing held the run back. */
	bottleneck: (Bottleneck & { name: string }) | null;
}

/** Figures of the run whose counters were `first` at its start and `last` at its end. */
export function runFigures(
	first: MetricsSnapshot,
	last: MetricsSnapshot,
	topology: Topology
): RunFigures {
	const whole = computeRates(first, last, topology);
	const stages = whole.stages.map(withinOneSecond);
	const bottleneck = findBottleneck(stages, whole.edges, topology);
	const rates: Rates = { ...whole, stages, bottleneck };
	return {
		rates,
		bottleneck: bottleneck
			? {
					...bottleneck,
					name: topology.stageNames[bottleneck.stage] ?? `stage ${bottleneck.stage}`
				}
			: null
	};
}

/**
 * A stage instance's ms-per-second figures scaled to sum to at most 1000: a worker's and the
 * sampler's clocks differ slightly, and a long kernel call ending in a short window is
 * accounted whole in it, so a window's raw figures can pass the second they describe.
 */
export function withinOneSecond(s: StageRates): StageRates {
	const sum = s.busyMsPerSec + s.idleMsPerSec + s.backpressuredMsPerSec;
	if (!(sum > 1000)) return s;
	const k = 1000 / sum;
	return {
		...s,
		busyMsPerSec: s.busyMsPerSec * k,
		idleMsPerSec: s.idleMsPerSec * k,
		backpressuredMsPerSec: s.backpressuredMsPerSec * k
	};
}

/** Parallel instances of one stage as one figure: their count, mean and max. */
export interface InstanceSpread {
	instances: number;
	mean: number;
	max: number;
}

/** Mean and max of `value` over the instances `stages` (indices into `rates.stages`). */
export function spread(
	rates: Rates,
	stages: readonly number[],
	value: (s: StageRates) => number
): InstanceSpread {
	const values = stages
		.map((i) => rates.stages[i])
		.filter((s) => s !== undefined)
		.map(value);
	const n = values.length;
	return {
		instances: n,
		mean: n > 0 ? values.reduce((a, b) => a + b, 0) / n : 0,
		max: n > 0 ? Math.max(...values) : 0
	};
}

/** One line of the stage table: a stage, or a stage's parallel instances as one (×N). */
export interface StageGroup {
	/** Indices into `rates.stages`: the instances (one for a stage that runs alone). */
	stages: number[];
	name: string;
	instances: number;
	/** Per instance, each within 1000 ms per second; mean and max over the instances. */
	busyMsPerSec: InstanceSpread;
	idleMsPerSec: InstanceSpread;
	backpressuredMsPerSec: InstanceSpread;
	busyRatio: InstanceSpread;
	/** All instances together. */
	rowsInPerSec: number;
}

/**
 * The stage table of `rates` (a live window or a whole run): a stage per line, parallel
 * instances folded into one line with their mean and max. The one source of the metrics
 * panel's, `sluice run --live`'s and the metrics report's per-stage figures.
 */
export function stageGroups(rates: Rates, topology: Topology): StageGroup[] {
	const per: Rates = { ...rates, stages: rates.stages.map(withinOneSecond) };
	const groups: StageGroup[] = [];
	for (let i = 0; i < per.stages.length;) {
		const name = topology.stageNames[i] ?? `stage ${i}`;
		const n = Math.max(1, topology.stageInstances?.[i] ?? 1);
		// Instances of one group are consecutive stages of one name (compiler/physical.ts).
		let k = 1;
		while (k < n && i + k < per.stages.length && topology.stageNames[i + k] === name) k++;
		const stages = Array.from({ length: k }, (_, j) => i + j);
		const of = (value: (s: StageRates) => number) => spread(per, stages, value);
		groups.push({
			stages,
			name,
			instances: k,
			busyMsPerSec: of((s) => s.busyMsPerSec),
			idleMsPerSec: of((s) => s.idleMsPerSec),
			backpressuredMsPerSec: of((s) => s.backpressuredMsPerSec),
			busyRatio: of((s) => s.busyRatio),
			rowsInPerSec: stages.reduce((sum, j) => sum + (per.stages[j]?.rowsInPerSec ?? 0), 0)
		});
		i += k;
	}
	return groups;
}
