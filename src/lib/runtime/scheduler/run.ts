// One run of a physical plan on a worker pool, driven from the main thread (or a Node main).
//
// The main thread never blocks: it creates the run's shared memory (pool, rings, metrics,
// control cells, doorbells), starts each worker's stages over comlink, and awaits them. The
// first failure (a kernel that throws, a worker that dies) or a cancel stops the run through
// the shared control cell, which every host reads each turn; hosts that have not returned
// `cancelDeadlineMs` later are terminated and replaced. Afterwards every ring is drained and
// its blocks released, so the pool is whole; `leakedBlocks()` says if it is not.
//
// A stall watch covers what a cancel cannot: a worker stuck inside one step that never returns
// (a library decoding a corrupt file in an endless loop). Each host beats between steps
// (control.ts); a hosting worker whose beat has not moved for `stallMs` fails the run naming
// its stages, and the stop watchdog then replaces it like any host that does not return.
import type { FrameSchema } from '../batch/types';
import { Doorbell } from '../channel/doorbell';
import { RingChannel } from '../channel/ring';
import { MemoryPool } from '../memory/pool';
import { MetricsBlock } from '../metrics/block';
import { PEEK_TIMEOUT_MS, PeekClient, createPeekRegion, type PeekResult } from '../metrics/peek';
import type { Topology } from '../metrics/rates';
import { Sampler } from '../metrics/sampler';
import { bellDescriptor, createDoorbellSet, createRunBells } from './bells';
import { BEAT_FINISHING, RUN_STATE, createControl, heartbeat, runState, stopRun } from './control';
import type { HostOutcome } from './host';
import type { KernelName } from './kernel';
import type { HostResult, RunSpec, StageFailure, StageSpec } from './spec';
import type { SourceReport } from '../source-report';
import type { WorkerPool } from './worker-pool';

export interface PhysicalStage {
	name: string;
	kernel: KernelName;
	params: unknown;
	inputSchemas: FrameSchema[];
	outputSchemas: FrameSchema[];
	worker: number;
	instance?: number;
	instances?: number;
	/** Two of its inputs come from one upstream stage by different paths (see StageSpec). */
	sharedUpstream?: boolean;
}

export interface PhysicalRing {
	name: string;
	from: { stage: number; port: number };
	to: { stage: number; port: number };
	capacity: number;
	/**
	 * Rings leaving one port with the same group are the instances of one partitioned consumer:
	 * each batch goes to one of them in turn. Rings without a group each get a batch (fan-out).
	 */
	group?: number;
}

export interface PhysicalPlan {
	stages: PhysicalStage[];
	rings: PhysicalRing[];
	budgetBytes: number;
	batchRows: number;
	/** Checksum every frame on push and verify on pop (stress tests). */
	integrity?: boolean;
}

/** A plan's graph as the metrics sampler sees it: rings as edges between stages. */
export function planTopology(plan: PhysicalPlan): Topology {
	return {
		edges: plan.rings.map((r) => ({ from: r.from.stage, to: r.to.stage, capacity: r.capacity })),
		stageNames: plan.stages.map((s) => s.name),
		edgeNames: plan.rings.map((r) => r.name),
		stageInstances: plan.stages.map((s) => s.instances ?? 1)
	};
}

export type RunOutcome =
	| {
			status: 'done';
			results: Map<number, unknown>;
			/** Source reports by stage index (stages with nothing to report are absent). */
			reports: Map<number, SourceReport>;
			elapsedMs: number;
	  }
	| { status: 'failed'; failure: StageFailure; elapsedMs: number }
	| { status: 'cancelled'; elapsedMs: number };

export interface RunOptions {
	/** How long stopped hosts get to return before their workers are replaced. Default 1000. */
	cancelDeadlineMs?: number;
	/**
	 * A pool to run in instead of a fresh one (e.g. holding a table already loaded as frames).
	 * Its budget must cover the plan's; blocks the caller holds stay in use after the run.
	 */
	memory?: MemoryPool;
	/**
	 * How long a hosting worker may go without a heartbeat (one step that never returns) before
	 * the run fails naming its stages and the worker is replaced. Default 30 000 ms: far above
	 * any single step of the engine's kernels, which work a batch at a time.
	 */
	stallMs?: number;
	/**
	 * Whether stages write metrics counters (default true). False skips kernel timing and every
	 * counter write, for measuring what the counters cost (bench/metrics.bench.ts).
	 */
	metrics?: boolean;
}

/** Adds one host's stage results and source reports to the run's. */
export function collectResults(
	host: HostResult,
	results: Map<number, unknown>,
	reports: Map<number, SourceReport>
): void {
	for (const r of host.results) {
		results.set(r.stage, r.value);
		if (r.report) reports.set(r.stage, r.report);
	}
}

let nextRunId = 1;

const DEFAULT_STALL_MS = 30_000;

/** Why a run failed when a worker stopped answering (its stages are named beside it). */
export function stalledMessage(stallMs: number): string {
	const span = stallMs >= 1000 ? `${Math.round(stallMs / 1000)} s` : `${stallMs} ms`;
	return (
		`stopped responding: one step ran for over ${span} without ` +
		`returning (a corrupt or pathological input can do this); its worker was restarted`
	);
}

export class Run {
	readonly id = nextRunId++;
	readonly memory: MemoryPool;
	readonly metrics: MetricsBlock;
	readonly rings: RingChannel[];
	private readonly control: Int32Array;
	private readonly bells: Doorbell[];
	private readonly spec: RunSpec;
	private readonly deadlineMs: number;
	private readonly stallMs: number;
	private started = false;
	private running = false;
	private readonly peeks: PeekClient;

	constructor(
		readonly workers: WorkerPool,
		readonly plan: PhysicalPlan,
		options: RunOptions = {}
	) {
		this.deadlineMs = options.cancelDeadlineMs ?? 1000;
		this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
		plan.stages.forEach((s, i) => {
			if (!(s.worker >= 0 && s.worker < workers.size)) {
				throw new RangeError(
					`stage ${i} '${s.name}' is placed on worker ${s.worker} of ${workers.size}`
				);
			}
		});
		this.memory = options.memory ?? MemoryPool.create(poolOptions(plan.budgetBytes));
		const bellsSab = createRunBells(workers.size);
		this.bells = createDoorbellSet(bellsSab);
		this.rings = plan.rings.map((r) =>
			RingChannel.create(
				{
					capacity: r.capacity,
					name: r.name,
					integrity: plan.integrity ?? false,
					producerBell: bellDescriptor(bellsSab, plan.stages[r.from.stage].worker),
					consumerBell: bellDescriptor(bellsSab, plan.stages[r.to.stage].worker)
				},
				this.memory
			)
		);
		this.metrics = MetricsBlock.create({
			edges: plan.rings.length,
			stages: plan.stages.length,
			workers: workers.size
		});
		if (options.metrics === false) this.metrics.setEnabled(false);
		const peekRegion = createPeekRegion();
		this.peeks = new PeekClient(peekRegion, () => this.running);
		const control = createControl(workers.size);
		this.control = new Int32Array(control);
		this.spec = {
			runId: this.id,
			pool: this.memory.descriptor,
			rings: this.rings.map((r) => r.descriptor),
			ringEdge: plan.rings.map((_, i) => i),
			metrics: this.metrics.descriptor,
			control,
			bells: bellsSab,
			stages: plan.stages.map((s, index) => stageSpec(plan, s, index)),
			batchRows: plan.batchRows,
			peek: peekRegion
		};
	}

	/** Starts the run; resolves when every stage finished, one failed, or the run was cancelled. */
	async start(): Promise<RunOutcome> {
		if (this.started) throw new Error('a run can be started once');
		this.started = true;
		this.running = true;
		const t0 = performance.now();
		const hosting = [...new Set(this.plan.stages.map((s) => s.worker))];
		let failure: StageFailure | null = null;
		const fail = (f: StageFailure) => {
			// A stage that finds its ring cancelled reports it as an error: after a cancel that is
			// the cancel's echo, not a failure (cancel() publishes CANCELLED before the rings).
			if (runState(this.control) === RUN_STATE.CANCELLED) return;
			if (stopRun(this.control, RUN_STATE.FAILED, this.bells)) failure = f;
			else failure ??= f;
		};

		let onStopped: () => void = () => {};
		const stopped = new Promise<void>((resolve) => (onStopped = resolve));
		// Each hosting worker settles when its host returns, or when the worker dies (the pool
		// replaces a dead worker itself; its `run` call would never answer).
		const returned = new Set<number>();
		const settle = new Map<number, () => void>();
		const settled = hosting.map(
			(w) =>
				new Promise<void>((resolve) =>
					settle.set(w, () => {
						returned.add(w);
						resolve();
					})
				)
		);
		const stopDeath = this.workers.onDeath((index, reason) => {
			if (!hosting.includes(index)) return;
			fail({ stage: this.stagesOn(index), message: `worker ${index} died: ${reason}`, seq: null });
			settle.get(index)!();
			onStopped();
		});

		const results = new Map<number, unknown>();
		const reports = new Map<number, SourceReport>();
		for (const w of hosting) {
			this.workers
				.worker(w)
				.api.run(this.spec, w)
				.then(
					(outcome: HostOutcome) => {
						if (outcome.ok) collectResults(outcome.result, results, reports);
						else if (outcome.failure) fail(outcome.failure);
						if (!outcome.ok) onStopped();
					},
					(error: unknown) => {
						fail({ stage: this.stagesOn(w), message: errorText(error), seq: null });
						onStopped();
					}
				)
				.then(() => settle.get(w)!());
		}
		const stopStallWatch = this.watchStalls(hosting, returned, (w) => {
			fail({ stage: this.stagesOn(w), message: stalledMessage(this.stallMs), seq: null });
			onStopped();
		});
		// A watchdog: once the run is stopped, hosts get `deadlineMs` to return, then are replaced.
		const all = Promise.all(settled);
		const stopWatch = (async () => {
			await stopped;
			// Cleared when the hosts return in time: a pending timer would keep a headless
			// process alive for the rest of the deadline after its run ended.
			let deadline: ReturnType<typeof setTimeout> | undefined;
			const late = new Promise<void>(
				(resolve) => (deadline = setTimeout(resolve, this.deadlineMs))
			);
			await Promise.race([all, late]);
			clearTimeout(deadline);
			for (const w of hosting) if (!returned.has(w)) await this.workers.replace(w);
		})();
		this.cancelHook = onStopped;

		await Promise.race([all, stopWatch.then(() => undefined)]);
		onStopped();
		await stopWatch;
		stopStallWatch();
		stopDeath();
		this.running = false;
		this.drainRings();
		const elapsedMs = performance.now() - t0;
		const state = runState(this.control);
		if (failure) return { status: 'failed', failure, elapsedMs };
		if (state === RUN_STATE.CANCELLED) return { status: 'cancelled', elapsedMs };
		return { status: 'done', results, reports, elapsedMs };
	}

	private cancelHook: () => void = () => {};

	/**
	 * Calls `stalled(w)` once for a hosting worker, still running and not returned, whose
	 * heartbeat has not moved for `stallMs`. A worker is timed from its first beat, so a slow
	 * worker start is not a stall. Returns the function that stops the watch.
	 */
	private watchStalls(
		hosting: number[],
		returned: Set<number>,
		stalled: (w: number) => void
	): () => void {
		const seen = new Map<number, { beat: number; at: number }>();
		const timer = setInterval(
			() => {
				if (runState(this.control) !== RUN_STATE.RUNNING) return;
				const now = performance.now();
				for (const w of hosting) {
					const value = heartbeat(this.control, w);
					if (returned.has(w) || value === BEAT_FINISHING || value === 0) continue;
					const last = seen.get(w);
					if (!last || last.beat !== value) seen.set(w, { beat: value, at: now });
					else if (now - last.at >= this.stallMs) return stalled(w);
				}
			},
			Math.max(10, Math.min(1000, this.stallMs / 4))
		);
		return () => clearInterval(timer);
	}

	/** Stops the run; every stage sees it within one kernel call. */
	cancel(): void {
		// The run's state first: whoever sees a cancelled ring then also sees a cancelled run.
		stopRun(this.control, RUN_STATE.CANCELLED, this.bells);
		for (const ring of this.rings) ring.cancel();
		this.memory.cancelWaiters();
		this.cancelHook();
	}

	/**
	 * A sample of up to `maxRows` rows (at most PEEK_MAX_ROWS) of the next batch to cross edge
	 * `edgeIndex` (a ring index, as in `topology()`), taken by its consumer without slowing the
	 * run (protocol: metrics/peek.ts). When no batch comes within `timeoutMs`, or the run is
	 * not running, the edge's previous sample, or null when there is none.
	 */
	peek(edgeIndex: number, maxRows = 100, timeoutMs = PEEK_TIMEOUT_MS): Promise<PeekResult | null> {
		checkEdge(edgeIndex, this.plan.rings.length);
		return this.peeks.peek(edgeIndex, maxRows, timeoutMs);
	}

	/** The run's graph as the metrics sampler sees it: rings as edges between stages. */
	topology(): Topology {
		return planTopology(this.plan);
	}

	/** A sampler over this run's counters, reading ring fill live from the rings. */
	sampler(): Sampler {
		return new Sampler(this.metrics, this.topology(), () => this.rings.map((r) => r.size()));
	}

	/** Blocks still held after the run ended (0 when the pool is whole). */
	leakedBlocks(): number {
		return this.memory.stats().blocksInUse;
	}

	/** Releases the blocks of batches left in rings of a stopped run. */
	private drainRings(): void {
		const slot = { block: 0, byteLength: 0, rows: 0, seq: 0, checksum: 0 };
		for (const ring of this.rings) {
			while (ring.drainOne(slot)) this.memory.release(slot.block);
		}
	}

	private stagesOn(worker: number): string {
		return this.plan.stages
			.filter((s) => s.worker === worker)
			.map((s) => s.name)
			.join(', ');
	}
}

export function stageSpec(plan: PhysicalPlan, s: PhysicalStage, index: number): StageSpec {
	const inputs: { ring: number; port: number }[] = [];
	const outputs: number[][] = s.outputSchemas.map(() => []);
	plan.rings.forEach((r, i) => {
		if (r.to.stage === index) inputs.push({ ring: i, port: r.to.port });
		if (r.from.stage === index) {
			if (!outputs[r.from.port]) {
				throw new RangeError(
					`ring '${r.name}' leaves stage '${s.name}' by missing port ${r.from.port}`
				);
			}
			outputs[r.from.port].push(i);
		}
	});
	return {
		index,
		name: s.name,
		kernel: s.kernel,
		params: s.params,
		inputs,
		outputs,
		outputGroups: outputs.map((rings) => {
			// Rings with the same plan group share one consumer group; the rest get their own.
			const ids = new Map<number, number>();
			return rings.map((r, k) => {
				const g = plan.rings[r].group;
				if (g === undefined) return rings.length + k;
				if (!ids.has(g)) ids.set(g, ids.size);
				return ids.get(g)!;
			});
		}),
		inputSchemas: s.inputSchemas,
		outputSchemas: s.outputSchemas,
		worker: s.worker,
		instance: s.instance ?? 0,
		instances: s.instances ?? 1,
		sharedUpstream: s.sharedUpstream ?? false
	};
}

/**
 * The largest block is a quarter of the budget (at most 16 MiB, at least 64 KiB), so a small
 * budget still holds several blocks in flight.
 */
export function poolOptions(budgetBytes: number) {
	let maxBlockBytes = 16 << 20;
	while (maxBlockBytes > 64 << 10 && maxBlockBytes * 4 > budgetBytes) maxBlockBytes /= 2;
	if (budgetBytes < maxBlockBytes) {
		throw new RangeError(`budget must be at least ${maxBlockBytes} bytes, got ${budgetBytes}`);
	}
	return { budgetBytes, maxBlockBytes };
}

export function checkEdge(edge: number, edges: number): void {
	if (!(Number.isInteger(edge) && edge >= 0 && edge < edges)) {
		throw new RangeError(`edge must be a ring index from 0 to ${edges - 1}, got ${edge}`);
	}
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
