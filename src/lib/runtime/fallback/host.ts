// The loop a worker runs for a fallback run (no SharedArrayBuffer): the same StageRunner steps
// as scheduler/host.ts (made and stepped by scheduler/host-stages.ts, shared by both hosts), over
// LocalPool, PortProducer/PortConsumer, LocalRing and LocalMetrics.
//
// Thread: one pool worker. It never blocks: when no hosted stage can move it *awaits* the next
// message on any of its ports or its control port (Wakeup). Every way a stage can get unstuck
// arrives as a message — a batch, room in a ring, a buffer back for a stage waiting for pool
// memory, a stop — so the park's timer is only a safety net. Before every await it reports
// its pops, so a producer waiting for room hears of them. While stages move it still yields
// every few ms, because batches, returned buffers and stop requests arrive only as messages.
//
// Time accounting is scheduler/host.ts's: busy is kernel time, the rest of a turn is
// backpressured when held on output or memory, idle otherwise, per stage and per edge.
//
// Ending: a worker whose stages all finished waits until every block it owns has come home
// and every block it adopted and forwarded has passed back through it on the way to its owner,
// then closes its producer ports; an input its stage abandoned (early termination) is listened
// to until its producer closes it, so batches still on their way are handed back. On a stop
// (cancel, or a failure anywhere) it disposes its stages, hands back every queued or arriving
// batch unread, tells its consumers no batch follows (QUIET), and waits up to `teardownMs` for
// its own buffers; blocks still away then are reported as leaks in the outcome's pool stats.
import type { HostResult, StageFailure } from '../scheduler/spec';
import { RUN_STATE, type RunState } from '../scheduler/control';
import type { HostOptions } from '../scheduler/host';
import { samplePayload } from '../metrics/peek';
import { createWorkerProbe } from '../metrics/worker-probe';
import {
	PASS,
	hostStages,
	stageFailure,
	stageResult,
	stepPass,
	writeWorkerFigures
} from '../scheduler/host-stages';
import { accountTurn, type PeekTap, type StageRing, type StageRunner } from '../scheduler/stage';
import { LocalMetrics } from './local-metrics';
import { LocalPool } from './local-pool';
import { LocalRing } from './local-ring';
import { PortConsumer } from './port-consumer';
import { PortProducer } from './port-ring';
import type { ControlToPage, ControlToWorker, FallbackHostOutcome, FallbackRunSpec } from './spec';
import { Wakeup } from './wakeup';

const YIELD_EVERY_MS = 4;
/** Longest park; anything that lets a stage move (a batch, room, a buffer back, a stop) is a
 * message and ends the park sooner. */
const PARK_MS = 20;
const POST_METRICS_EVERY_MS = 250;

export async function fallbackHostRun(
	spec: FallbackRunSpec,
	options: HostOptions
): Promise<FallbackHostOutcome> {
	const { worker, kernels } = options;
	const heapUsed = options.heapUsed ?? (() => 0);
	const heapAtStart = heapUsed();
	const probe = (options.probe ?? createWorkerProbe)();
	const yieldNow = options.yieldNow ?? defaultYield;
	const wake = new Wakeup();
	const pool = new LocalPool(spec.pool);
	const metrics = new LocalMetrics(spec.metrics);
	const control = spec.control;
	let state: RunState = RUN_STATE.RUNNING;
	const post = (m: ControlToPage) => control.postMessage(m);
	/** The open peek request, if any: answered by the stage that next pops from its ring. */
	let peekRequest: { id: number; edge: number; maxRows: number } | null = null;
	const peekTap: PeekTap = {
		wanted: (edge) => peekRequest !== null && peekRequest.edge === edge,
		take(edge, batch, schema) {
			const r = peekRequest!;
			peekRequest = null;
			const { seq, view, selection, count } = batch;
			const payload = samplePayload(edge, seq, view, selection, count, schema, r.maxRows);
			post({ t: 'peek', id: r.id, payload });
		}
	};
	control.onmessage = (event: MessageEvent) => {
		const m = event.data as ControlToWorker;
		if (m?.t === 'stop' && state === RUN_STATE.RUNNING) state = m.state;
		if (m?.t === 'peek') peekRequest = { id: m.id, edge: m.edge, maxRows: m.maxRows };
		wake.ring();
	};

	const producers: PortProducer[] = [];
	const consumers: PortConsumer[] = [];
	const locals: LocalRing[] = [];
	const rings: StageRing[] = [];
	for (const end of spec.ports) {
		const ring =
			end.side === 'producer'
				? new PortProducer(end, pool, wake)
				: new PortConsumer(end, pool, wake);
		if (ring instanceof PortProducer) producers.push(ring);
		else consumers.push(ring);
		rings[end.ring] = ring;
	}
	for (const end of spec.local) locals.push((rings[end.ring] = new LocalRing(end, pool)));
	/** Rings this worker produces into, for the fill it reports with its counters. */
	const produced = [...spec.ports.filter((e) => e.side === 'producer'), ...spec.local].map((e) => ({
		edge: spec.ringEdge[e.ring],
		ring: rings[e.ring]
	}));
	const reportPops = () => {
		for (const c of consumers) c.flush();
	};

	const stages: StageRunner[] = [];
	/** Heap, GC and outside-pool bytes from the probe; this worker's own pool's hits and misses. */
	const sampleWorker = () => {
		const p = pool.stats();
		const misses = p.freshCarves + p.budgetWaits;
		writeWorkerFigures(metrics, worker, probe.sample(), stages, p.freeListHits, misses);
	};
	let failure: StageFailure | null = null;
	let results: HostResult['results'] = [];
	try {
		hostStages(
			spec.stages,
			{
				worker,
				kernels,
				budgetBytes: spec.budgetBytes,
				pool,
				rings,
				ringEdge: spec.ringEdge,
				metrics,
				batchRows: spec.batchRows,
				stopCheck: () => state !== RUN_STATE.RUNNING,
				peekTap
			},
			stages
		);

		let last = performance.now();
		let lastYield = last;
		let lastPost = last;
		while (state === RUN_STATE.RUNNING) {
			const pass = stepPass(stages);
			if (pass & PASS.ALL_DONE) {
				accountTurn(stages, metrics, last, (last = performance.now()));
				break;
			}
			if (!(pass & PASS.MOVED)) {
				reportPops();
				await wake.wait(PARK_MS);
				lastYield = performance.now();
			}
			const now = performance.now();
			accountTurn(stages, metrics, last, now);
			last = now;
			if (now - lastYield >= YIELD_EVERY_MS) {
				reportPops();
				await yieldNow();
				lastYield = performance.now();
			}
			if (now - lastPost >= POST_METRICS_EVERY_MS) {
				sampleWorker();
				for (const { edge, ring } of produced)
					metrics.edgeOccupancy(edge, ring.size(), ring.capacity);
				post({ t: 'metrics', worker, snapshot: metrics.counters });
				lastPost = now;
			}
		}
		results = stages.map(stageResult);
	} catch (error) {
		failure = stageFailure(error, worker);
		// Tell the page at once, so it stops the other workers while this one winds down.
		post({ t: 'failed', worker, failure });
	}
	for (const stage of stages) stage.dispose();

	// Wind down: wait for every owned buffer to come home (and, once stopped, for each input's
	// producer to say nothing more follows), bounded by teardownMs after a stop.
	let deadline = Infinity;
	const stopping = () => {
		for (const c of consumers) c.drain();
		for (const l of locals) l.drain();
		for (const p of producers) p.quiet();
		deadline = performance.now() + spec.teardownMs;
	};
	if (failure || state !== RUN_STATE.RUNNING) stopping();
	for (;;) {
		// Home: no owned block in use, and no adopted block still away downstream (its buffer
		// must pass through here on its way back to its owner).
		const stats = pool.stats();
		const home = stats.blocksInUse === 0 && stats.adoptedInUse === 0;
		// An abandoned input keeps listening until its producer says no batch follows, handing
		// back whatever arrives meanwhile (port-ring.ts), so the producer's buffers get home.
		const quiet =
			deadline === Infinity
				? consumers.every((c) => !c.awaitingQuiet)
				: consumers.every((c) => c.quietHeard);
		if (home && quiet) break;
		const now = performance.now();
		if (now >= deadline) break;
		reportPops();
		await wake.wait(Math.min(PARK_MS, deadline - now));
		if (deadline === Infinity && state !== RUN_STATE.RUNNING) stopping();
	}
	for (const p of producers) p.detachPort();
	for (const c of consumers) c.detachPort();
	control.onmessage = null;

	sampleWorker();
	probe.dispose();
	const end = { pool: pool.stats(), metrics: metrics.counters };
	if (failure) return { ok: false, cancelled: false, failure, ...end };
	if (state !== RUN_STATE.RUNNING && stages.some((s) => !s.done)) {
		return { ok: false, cancelled: state === RUN_STATE.CANCELLED, failure: null, ...end };
	}
	return { ok: true, result: { results, heapGrowth: heapUsed() - heapAtStart }, ...end };
}

let yieldChannel: MessageChannel | undefined;
/** One trip through the event loop, so queued port messages are handled. */
function defaultYield(): Promise<void> {
	yieldChannel ??= new MessageChannel();
	const channel = yieldChannel;
	return new Promise((resolve) => {
		channel.port1.onmessage = () => resolve();
		channel.port2.postMessage(0);
	});
}
