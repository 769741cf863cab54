// What both worker hosts do alike with the stages they host — scheduler/host.ts over shared
// memory and fallback/host.ts over message ports: make a StageRunner per hosted stage, step
// them once around (one pass of the loop), copy the worker's figures into the metrics, and turn
// whatever was thrown into the run's StageFailure. How a host waits between passes, yields and
// winds down differs between the two transports and stays in each host.
//
// Thread: the pool worker running the host loop. `stepPass` is on the loop's hot path: it
// returns a bit set (PASS) and allocates nothing.
import type { MetricsBlock } from '../metrics/block';
import type { WorkerMemory } from '../metrics/worker-probe';
import type { KernelTable, StagePool } from './kernel';
import type { HostResult, StageFailure, StageSpec } from './spec';
import {
	HELD,
	StageFailed,
	StageRunner,
	type PeekTap,
	type StageMetrics,
	type StageRing
} from './stage';

/** What a finished stage sends back: its sink result, and its source report if any. */
export function stageResult(stage: StageRunner): HostResult['results'][number] {
	const report = stage.report();
	const value = stage.result();
	return report ? { stage: stage.spec.index, value, report } : { stage: stage.spec.index, value };
}

/** How long one stage may keep stepping in a pass while it moves. */
const SLICE_MS = 1;

/** Bits of what `stepPass` saw. */
export const PASS = {
	/** Some stage stepped. */
	MOVED: 1,
	/** Every hosted stage is done. */
	ALL_DONE: 2,
	/** Some stage is held waiting for pool memory. */
	HELD_ON_MEMORY: 4
} as const;

/** What a host gives each of its stages. */
export interface HostedStageSetup {
	worker: number;
	kernels: KernelTable;
	/** The run's whole memory budget, as kernels are told it. */
	budgetBytes: number;
	pool: StagePool;
	rings: StageRing[];
	/** Ring index -> metrics edge slot. */
	ringEdge: number[];
	metrics: StageMetrics;
	batchRows: number;
	/** Whether the run has been stopped (cancel or a failure anywhere). */
	stopCheck: () => boolean;
	peekTap: PeekTap | null;
	/** Whether kernel calls are timed; default true. */
	timing?: boolean;
}

/**
 * Makes a StageRunner for each stage of `specs` placed on `setup.worker`, pushing each onto
 * `into` as soon as it is made, so a failure part-way still leaves the made ones for the host
 * to dispose. Throws StageFailed naming the stage when its kernel is unknown or its factory
 * throws.
 */
export function hostStages(
	specs: readonly StageSpec[],
	setup: HostedStageSetup,
	into: StageRunner[]
): void {
	const { worker, kernels } = setup;
	for (const s of specs) {
		if (s.worker !== worker) continue;
		const factory = kernels.get(s.kernel);
		if (!factory) throw new StageFailed(s.name, `unknown kernel '${s.kernel}'`, null);
		let kernel;
		try {
			kernel = factory({
				params: s.params,
				kernels,
				budgetBytes: setup.budgetBytes,
				stageName: s.name,
				inputSchemas: s.inputSchemas,
				outputSchemas: s.outputSchemas,
				instance: s.instance,
				instances: s.instances,
				sharedUpstream: s.sharedUpstream ?? false
			});
		} catch (error) {
			throw new StageFailed(s.name, errorText(error), null);
		}
		const runner = new StageRunner(
			s,
			kernel,
			setup.pool,
			setup.rings,
			setup.ringEdge,
			setup.metrics,
			setup.batchRows
		);
		runner.stopCheck = setup.stopCheck;
		if (setup.timing !== undefined) runner.timing = setup.timing;
		runner.peekTap = setup.peekTap;
		into.push(runner);
	}
}

/** Steps every stage once around; returns PASS bits. */
export function stepPass(stages: readonly StageRunner[]): number {
	let moved = false;
	let allDone = true;
	let heldOnMemory = false;
	for (const stage of stages) {
		// A stage that moves steps again within a short slice, so a fast stage sharing the
		// worker with a slow one fills the ring between them and is then seen held by it
		// (backpressure), as it would be on a worker of its own. One slow kernel call ends
		// its own slice, so a slow stage still gets one step per pass.
		const sliceEnd = performance.now() + SLICE_MS;
		while (stage.step()) {
			moved = true;
			if (performance.now() >= sliceEnd) break;
		}
		if (!stage.done) allDone = false;
		if (stage.held === HELD.MEMORY) heldOnMemory = true;
	}
	return (
		(moved ? PASS.MOVED : 0) |
		(allDone ? PASS.ALL_DONE : 0) |
		(heldOnMemory ? PASS.HELD_ON_MEMORY : 0)
	);
}

/** What the worker figures are written to: MetricsBlock and the fallback's LocalMetrics fit. */
export type WorkerMetrics = Pick<MetricsBlock, 'workerHeap' | 'workerAllocations'>;

/**
 * Copies one worker's figures into the metrics: its probe's heap, GC and outside-pool bytes,
 * the batches its stages produced, and its pool's hits and misses.
 */
export function writeWorkerFigures(
	metrics: WorkerMetrics,
	worker: number,
	memory: WorkerMemory,
	stages: readonly StageRunner[],
	poolHits: number,
	poolMisses: number
): void {
	metrics.workerHeap(
		worker,
		memory.heapUsedBytes,
		memory.outsidePoolBytes,
		memory.gcPauseNs,
		memory.gcCount,
		memory.reported
	);
	let batches = 0;
	for (const stage of stages) batches += stage.batchesProduced;
	metrics.workerAllocations(worker, batches, poolHits, poolMisses);
}

/** The run's failure for what a host caught: the stage's own, or one naming the worker. */
export function stageFailure(error: unknown, worker: number): StageFailure {
	return error instanceof StageFailed
		? { stage: error.stage, message: error.message, seq: error.seq }
		: { stage: `worker ${worker}`, message: errorText(error), seq: null };
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
