// The loop a pool worker runs: it hosts one or more stages of a run and moves whichever can.
//
// Making and stepping the stages is shared with fallback/host.ts (host-stages.ts).
//
// Thread: one pool worker (browser Web Worker or Node worker_thread). It blocks only in
// `Doorbell.sleep`, and only when no hosted stage could move in two passes, the second made
// after `Doorbell.prepare` announced it; every ring this worker produces into or consumes from
// rings this worker's doorbell, so it wakes when any input gets data or any output gets room.
// Waiting for pool memory has no doorbell: the host re-checks every
// millisecond while a stage is held on memory.
//
// Time accounting: each loop turn measures its wall time; a stage's kernel time is busy, and
// the rest of the turn is backpressured if the stage was held on a full output (also charged
// to that edge's producer-blocked time), idle otherwise (charged to the awaited input edge's
// consumer-waiting time). So busy + idle + backpressured covers the whole run, per stage.
//
// Every ~20 ms of wall time the loop yields to the event loop, so comlink control messages
// (cancel, stats) are handled while a run streams. At those yields, every WORKER_SAMPLE_MS, it
// copies the worker's figures into the metrics block: heap, GC pauses and outside-pool bytes
// from its probe (metrics/worker-probe.ts), batches produced and its pool tally
// (counting-pool.ts). A run whose counters are disabled skips timing, accounting and sampling.
// Peeks (metrics/peek.ts): each stage checks the run's peek region on every pop.
import { Doorbell } from '../channel/doorbell';
import { RingChannel } from '../channel/ring';
import { MemoryPool } from '../memory/pool';
import { MetricsBlock } from '../metrics/block';
import { SharedPeekTap } from '../metrics/peek';
import { createWorkerProbe, type WorkerProbe } from '../metrics/worker-probe';
import { CountingPool } from './counting-pool';
import { createDoorbellSet } from './bells';
import { beat, beatFinishing, RUN_STATE, runState, stopRun } from './control';
import type { KernelTable } from './kernel';
import {
	PASS,
	hostStages,
	stageFailure,
	stageResult,
	stepPass,
	writeWorkerFigures
} from './host-stages';
import type { HostResult, RunSpec, StageFailure } from './spec';
import { accountTurn, type StageRunner } from './stage';

const YIELD_EVERY_MS = 20;
const PARK_MS = 20;
const MEMORY_RETRY_MS = 1;
/** How often the worker's heap and pool figures are copied into the metrics block. */
export const WORKER_SAMPLE_MS = 100;

export type HostOutcome =
	| { ok: true; result: HostResult }
	| { ok: false; cancelled: boolean; failure: StageFailure | null };

export interface HostOptions {
	worker: number;
	kernels: KernelTable;
	/** Yields to the event loop; defaults to a MessageChannel round trip. */
	yieldNow?: () => Promise<void>;
	heapUsed?: () => number;
	/** Makes the worker's memory probe (heap, GC, outside-pool bytes); default: worker-probe.ts. */
	probe?: () => WorkerProbe;
}

export async function hostRun(spec: RunSpec, options: HostOptions): Promise<HostOutcome> {
	const { worker, kernels } = options;
	const shared = MemoryPool.attach(spec.pool);
	const pool = new CountingPool(shared);
	const metrics = MetricsBlock.attach(spec.metrics);
	// Read once: a run with counters disabled skips the timing and sampling below.
	const counting = metrics.enabled();
	const probe = counting ? (options.probe ?? createWorkerProbe)() : null;
	const peekTap = spec.peek ? new SharedPeekTap(spec.peek) : null;
	const control = new Int32Array(spec.control);
	const bells = createDoorbellSet(spec.bells);
	const myBell: Doorbell = bells[worker];
	const rings = spec.rings.map((d) => RingChannel.attach(d, shared));
	const heapUsed = options.heapUsed ?? (() => 0);
	const heapAtStart = heapUsed();
	const yieldNow = options.yieldNow ?? defaultYield;

	const stages: StageRunner[] = [];
	let announced = false; // between myBell.prepare() and its sleep or cancelPrepare
	let seen = 0;
	try {
		hostStages(
			spec.stages,
			{
				worker,
				kernels,
				budgetBytes: shared.descriptor.options.budgetBytes,
				pool,
				rings,
				ringEdge: spec.ringEdge,
				metrics,
				batchRows: spec.batchRows,
				stopCheck: () => runState(control) !== RUN_STATE.RUNNING,
				peekTap,
				timing: counting
			},
			stages
		);

		const sampleWorker = () => {
			if (probe)
				writeWorkerFigures(metrics, worker, probe.sample(), stages, pool.hits, pool.misses);
		};
		let last = performance.now();
		let lastYield = last;
		let lastSample = -Infinity;
		beat(control, worker);
		while (runState(control) === RUN_STATE.RUNNING) {
			const pass = stepPass(stages);
			const moved = (pass & PASS.MOVED) !== 0;
			if (pass & PASS.ALL_DONE) {
				if (counting) accountTurn(stages, metrics, last, (last = performance.now()));
				break;
			}
			// A pass that moved nothing announces this worker (prepare), and the next pass is the
			// re-check; only a re-check that moves nothing sleeps (protocol: channel/doorbell.ts).
			if (moved && announced) myBell.cancelPrepare();
			else if (!moved && !announced) seen = myBell.prepare();
			else if (!moved) myBell.sleep(seen, pass & PASS.HELD_ON_MEMORY ? MEMORY_RETRY_MS : PARK_MS);
			announced = !moved && !announced;
			const now = performance.now();
			if (counting) accountTurn(stages, metrics, last, now);
			last = now;
			if (now - lastYield >= YIELD_EVERY_MS) {
				if (now - lastSample >= WORKER_SAMPLE_MS) {
					sampleWorker();
					lastSample = now;
				}
				// Async readers (a Parquet or Arrow source's decoder) run during the yield: a beat
				// that stops here means one of them never gave the event loop back.
				beat(control, worker);
				await yieldNow();
				lastYield = performance.now();
			}
		}
		beatFinishing(control, worker);
		sampleWorker();
		const state = runState(control);
		if (state !== RUN_STATE.RUNNING && stages.some((s) => !s.done)) {
			return { ok: false, cancelled: state === RUN_STATE.CANCELLED, failure: null };
		}
		return {
			ok: true,
			result: {
				results: stages.map(stageResult),
				heapGrowth: heapUsed() - heapAtStart
			}
		};
	} catch (error) {
		const failure = stageFailure(error, worker);
		// Stop the whole run at once: every other host wakes and unwinds.
		stopRun(control, RUN_STATE.FAILED, bells);
		return { ok: false, cancelled: false, failure };
	} finally {
		if (announced) myBell.cancelPrepare();
		for (const stage of stages) stage.dispose();
		probe?.dispose();
	}
}

let yieldChannel: MessageChannel | undefined;
/**
 * Lets the event loop run: comlink messages, fetch bodies, timers. Node's setImmediate runs
 * after I/O callbacks (a MessageChannel round trip there would skip sockets and timers); in a
 * browser worker a MessageChannel message is the fastest task that still lets others run.
 */
function defaultYield(): Promise<void> {
	const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
	if (immediate) return new Promise((resolve) => immediate(resolve));
	yieldChannel ??= new MessageChannel();
	const channel = yieldChannel;
	return new Promise((resolve) => {
		channel.port1.onmessage = () => resolve();
		channel.port2.postMessage(0);
	});
}
