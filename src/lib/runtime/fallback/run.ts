// One run of a physical plan without SharedArrayBuffer: the same plan, kernels and outcome as
// scheduler/run.ts, over message passing. Driven from the page's main thread (or a Node main).
//
// At start the run makes one MessageChannel per ring that crosses workers (its two ports go to
// the producer's and the consumer's worker), one control channel per worker, and transfers
// them with each worker's spec over comlink; rings inside one worker need no channel. The
// budget is split evenly between the workers that produce into a cross-worker ring or a local
// one (each carves its own blocks and gets them back by message).
//
// Stopping: the first failure (a host reports it on its control port at once, or a worker
// dies) or a cancel sends 'stop' to every control port; hosts hand back what they hold and
// return within `teardownMs`; hosts that have not returned `cancelDeadlineMs` after the stop
// are terminated and replaced, as in the shared run. The page never blocks.
//
// Metrics: each worker posts a snapshot of its counters about every 250 ms and at the end;
// `metrics` (a MergedMetrics, which Sampler accepts) sums the latest of each.
import { transfer, type Remote } from 'comlink';
import type { PoolStats } from '../contracts';
import type { MetricsSnapshot } from '../metrics/counters';
import type { Topology } from '../metrics/rates';
import { Sampler } from '../metrics/sampler';
import { RUN_STATE, type RunState } from '../scheduler/control';
import { PEEK_TIMEOUT_MS, clampRows, type PeekPayload, type PeekResult } from '../metrics/peek';
import {
	checkEdge,
	collectResults,
	planTopology,
	stageSpec,
	type PhysicalPlan,
	type RunOptions,
	type RunOutcome
} from '../scheduler/run';
import type { StageFailure, StageSpec } from '../scheduler/spec';
import type { WorkerPool } from '../scheduler/worker-pool';
import type { SourceReport } from '../source-report';
import { MergedMetrics } from './local-metrics';
import { MIN_BLOCK_BYTES, splitBudget } from './plan';
import type { LocalPoolOptions, LocalPoolStats } from './local-pool';
import type {
	ControlToPage,
	ControlToWorker,
	FallbackHostApi,
	FallbackHostOutcome,
	FallbackRunSpec
} from './spec';

let nextRunId = 1;

export class FallbackRun {
	readonly id = nextRunId++;
	readonly transport = 'message' as const;
	readonly metrics: MergedMetrics;
	private readonly stages: StageSpec[];
	private readonly pools: Map<number, LocalPoolOptions>;
	private readonly deadlineMs: number;
	private readonly poolStats = new Map<number, LocalPoolStats>();
	private controls: MessagePort[] = [];
	/** Each hosting worker's control port, by worker index. */
	private readonly controlOf = new Map<number, MessagePort>();
	private running = false;
	private nextPeek = 1;
	private readonly peekWaiters = new Map<number, (payload: PeekPayload | null) => void>();
	private readonly lastPeek = new Map<number, PeekResult>();
	private state: RunState = RUN_STATE.RUNNING;
	private started = false;
	private onStop: () => void = () => {};

	/** `workers` must run `src/workers/fallback-host.ts` (which hosts both transports). */
	constructor(
		readonly workers: WorkerPool,
		readonly plan: PhysicalPlan,
		options: RunOptions = {}
	) {
		this.deadlineMs = options.cancelDeadlineMs ?? 1000;
		plan.stages.forEach((s, i) => {
			if (!(s.worker >= 0 && s.worker < workers.size)) {
				throw new RangeError(
					`stage ${i} '${s.name}' is placed on worker ${s.worker} of ${workers.size}`
				);
			}
		});
		this.stages = plan.stages.map((s, index) => stageSpec(plan, s, index));
		this.pools = splitBudget(plan);
		this.metrics = new MergedMetrics({
			edges: plan.rings.length,
			stages: plan.stages.length,
			workers: workers.size
		});
	}

	/** Starts the run; resolves when every stage finished, one failed, or the run was cancelled. */
	async start(): Promise<RunOutcome> {
		if (this.started) throw new Error('a run can be started once');
		this.started = true;
		this.running = true;
		const t0 = performance.now();
		const hosting = [...new Set(this.plan.stages.map((s) => s.worker))];
		const specs = this.workerSpecs(hosting);
		let failure: StageFailure | null = null;
		let onStopped: () => void = () => {};
		const stopped = new Promise<void>((resolve) => (onStopped = resolve));
		const fail = (f: StageFailure) => {
			// After a cancel, whatever a host reports is the cancel's echo, not a failure.
			if (this.state === RUN_STATE.CANCELLED) return;
			failure ??= f;
			this.stop(RUN_STATE.FAILED);
		};
		this.onStop = onStopped;
		// Cancelled before it started: the hosts learn it from their first message.
		if (this.state !== RUN_STATE.RUNNING) {
			for (const control of this.controls) control.postMessage({ t: 'stop', state: this.state });
			onStopped();
		}
		for (const control of this.controls) {
			control.onmessage = (event: MessageEvent) => {
				const m = event.data as ControlToPage;
				if (m.t === 'metrics') this.metrics.update(m.worker, m.snapshot);
				else if (m.t === 'failed') fail(m.failure);
				else if (m.t === 'peek') this.peekWaiters.get(m.id)?.(m.payload);
			};
		}
		// A dead worker's call never settles: its death settles its place in `all` instead.
		const died = new Map<number, () => void>();
		const stopDeath = this.workers.onDeath((index, reason) => {
			if (!hosting.includes(index)) return;
			fail({ stage: this.stagesOn(index), message: `worker ${index} died: ${reason}`, seq: null });
			died.get(index)?.();
		});

		const results = new Map<number, unknown>();
		const reports = new Map<number, SourceReport>();
		const returned = new Set<number>();
		const pending = hosting.map((w, i) => {
			const api = this.workers.worker(w).api as unknown as Remote<FallbackHostApi>;
			const spec = specs[i];
			const ports: Transferable[] = [spec.control, ...spec.ports.map((p) => p.port)];
			const death = new Promise<void>((resolve) => died.set(w, resolve)).then(() => {
				returned.add(w);
			});
			const call = api.runMessage(transfer(spec, ports), w).then(
				(outcome: FallbackHostOutcome) => {
					returned.add(w);
					this.poolStats.set(w, outcome.pool);
					this.metrics.update(w, outcome.metrics);
					if (outcome.ok) collectResults(outcome.result, results, reports);
					else if (outcome.failure) fail(outcome.failure);
					else this.stop(outcome.cancelled ? RUN_STATE.CANCELLED : RUN_STATE.FAILED);
				},
				(error: unknown) => {
					returned.add(w);
					fail({ stage: this.stagesOn(w), message: errorText(error), seq: null });
				}
			);
			return Promise.race([call, death]);
		});
		// A watchdog: once the run is stopped, hosts get `deadlineMs` to return, then are replaced.
		const all = Promise.all(pending);
		const stopWatch = (async () => {
			await stopped;
			await Promise.race([all, sleep(this.deadlineMs)]);
			for (const w of hosting) if (!returned.has(w)) await this.workers.replace(w);
		})();

		await Promise.race([all, stopWatch]);
		onStopped();
		await stopWatch;
		stopDeath();
		this.running = false;
		for (const answer of this.peekWaiters.values()) answer(null);
		for (const control of this.controls) control.close();
		const elapsedMs = performance.now() - t0;
		if (failure) return { status: 'failed', failure, elapsedMs };
		if (this.state === RUN_STATE.CANCELLED) return { status: 'cancelled', elapsedMs };
		return { status: 'done', results, reports, elapsedMs };
	}

	/** Stops the run; every host sees it at its next turn (one message away). */
	cancel(): void {
		this.stop(RUN_STATE.CANCELLED);
	}

	/**
	 * Blocks not back in their owner's pool after the run ended, summed over the workers that
	 * reported (0 when every buffer came home). A worker that was replaced reports nothing: its
	 * memory went with it.
	 */
	leakedBlocks(): number {
		let n = 0;
		for (const s of this.poolStats.values()) n += s.blocksInUse + s.adoptedInUse;
		return n;
	}

	/** The workers' pools at the end, summed (empty until the run ended). */
	memoryStats(): PoolStats & { adoptedInUse: number; blocksAway: number } {
		const sum = {
			blocksInUse: 0,
			bytesInUse: 0,
			highWaterBytes: 0,
			carvedBytes: 0,
			budgetBytes: 0,
			freeListHits: 0,
			freshCarves: 0,
			badReleases: 0,
			budgetWaits: 0,
			adoptedInUse: 0,
			blocksAway: 0
		};
		for (const s of this.poolStats.values()) {
			for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += s[key];
		}
		return sum;
	}

	/** The latest counters of every worker, summed (as posted, up to ~250 ms old). */
	metricsSnapshot(): MetricsSnapshot {
		return this.metrics.snapshot();
	}

	/**
	 * A sample of up to `maxRows` rows of the next batch to cross ring `edgeIndex`: one message
	 * to its consumer's worker and one back (metrics/peek.ts). When none comes within
	 * `timeoutMs`, or the run is not running, the edge's previous sample or null.
	 */
	peek(edgeIndex: number, maxRows = 100, timeoutMs = PEEK_TIMEOUT_MS): Promise<PeekResult | null> {
		checkEdge(edgeIndex, this.plan.rings.length);
		const previous = this.lastPeek.get(edgeIndex) ?? null;
		const port = this.controlOf.get(this.plan.stages[this.plan.rings[edgeIndex].to.stage].worker);
		if (!this.running || !port) return Promise.resolve(previous);
		const id = this.nextPeek++;
		return new Promise((resolve) => {
			const timer = setTimeout(() => answer(null), timeoutMs);
			const answer = (payload: PeekPayload | null) => {
				clearTimeout(timer);
				this.peekWaiters.delete(id);
				if (!payload) return resolve(this.lastPeek.get(edgeIndex) ?? null);
				const result = { ...payload, takenAtMs: performance.timeOrigin + performance.now() };
				this.lastPeek.set(edgeIndex, result);
				resolve(result);
			};
			this.peekWaiters.set(id, answer);
			const m: ControlToWorker = { t: 'peek', id, edge: edgeIndex, maxRows: clampRows(maxRows) };
			port.postMessage(m);
		});
	}

	/** The run's graph as the metrics sampler sees it: rings as edges between stages. */
	topology(): Topology {
		return planTopology(this.plan);
	}

	/** A sampler over the posted counters; ring fill is what each producer last posted. */
	sampler(): Sampler {
		return new Sampler(this.metrics, this.topology());
	}

	private stop(to: RunState): void {
		if (this.state !== RUN_STATE.RUNNING) return;
		this.state = to;
		const m: ControlToWorker = { t: 'stop', state: to };
		for (const control of this.controls) control.postMessage(m);
		this.onStop();
	}

	/** Each hosting worker's spec, with fresh channels for its rings and its control. */
	private workerSpecs(hosting: number[]): FallbackRunSpec[] {
		const plan = this.plan;
		const integrity = plan.integrity ?? false;
		const specs = hosting.map((w): FallbackRunSpec => {
			const channel = new MessageChannel();
			this.controls.push(channel.port1);
			this.controlOf.set(w, channel.port1);
			return {
				runId: this.id,
				stages: this.stages,
				ringEdge: plan.rings.map((_, i) => i),
				ports: [],
				local: [],
				control: channel.port2,
				pool: this.pools.get(w) ?? { budgetBytes: MIN_BLOCK_BYTES, maxBlockBytes: MIN_BLOCK_BYTES },
				metrics: this.metrics.layout,
				batchRows: plan.batchRows,
				budgetBytes: plan.budgetBytes,
				teardownMs: Math.max(50, this.deadlineMs / 2)
			};
		});
		const specOf = (w: number) => specs[hosting.indexOf(w)];
		plan.rings.forEach((r, ring) => {
			const from = plan.stages[r.from.stage].worker;
			const to = plan.stages[r.to.stage].worker;
			const end = { ring, name: r.name, capacity: r.capacity, integrity };
			if (from === to) {
				specOf(from).local.push(end);
				return;
			}
			const { port1, port2 } = new MessageChannel();
			specOf(from).ports.push({ ...end, side: 'producer', port: port1 });
			specOf(to).ports.push({ ...end, side: 'consumer', port: port2 });
		});
		return specs;
	}

	private stagesOn(worker: number): string {
		return this.plan.stages
			.filter((s) => s.worker === worker)
			.map((s) => s.name)
			.join(', ');
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
