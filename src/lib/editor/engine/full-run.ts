// A full run: the whole document through the compiled plan on the worker pool, with progress
// sampled a few times a second from the run's metrics (never a message per batch).
//
// The run starts once the RunLane lets it (a preview still stopping keeps the pool until it
// has). `stop()` cancels at once: every stage sees it within one kernel call, and a host that
// does not return within the run's cancel deadline (1 s) is replaced, so the outcome is
// 'cancelled' within about a second whatever the kernels are doing. A failure names the node.
import { compile, type CompileOptions, type CompileResult } from '../../compiler';
import type { Diagnostic } from '../../graph/diagnostics';
import type { PipelineDocument } from '../../graph/document';
import type { InferContext } from '../../nodes/types';
import { createRun, type EngineRun } from '../../runtime/fallback/create-run';
import type { MetricsSnapshot } from '../../runtime/metrics/counters';
import type { Rates, Sampler } from '../../runtime/metrics/sampler';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { describeFailure, displayName, type NodeFailure } from './failure';
import { RunLane, type RunFactory } from './lane';
import {
	NO_BYTES,
	NO_SOURCE_BYTES,
	allSourceBytes,
	sourceBytesOf,
	type SourceBytes
} from './source-progress';
import type { ByteProgress } from '../../runtime/metrics/rates';
import type { SourceReport } from '../../runtime/source-report';
import { sourceReportsOf } from '../../compiler/source-reports';

export interface RunProgress {
	/** Rows the sources have produced so far. */
	sourceRows: number;
	/** Rows into the stages that end in a sink (counted before any filter fused into them). */
	sinkRows: number;
	/** Source rows per second over the last sampling window (the whole run at the end). */
	rowsPerSecond: number;
	/** Since the run started (0 while it waits for the pool). */
	elapsedMs: number;
	/** The latest window of edge, stage and worker rates for the live panel (null at first). */
	rates: Rates | null;
	/** Bytes every source has read so far, of how many (-1 when a source cannot know). */
	bytes: ByteProgress;
	/** The same per source node that reads bytes (files, URLs, samples; not generators). */
	sources: SourceBytes;
}

/** Counter snapshots bracketing a run, for its metrics report. */
export interface RunCounters {
	first: MetricsSnapshot;
	last: MetricsSnapshot;
	startedAt: Date;
	durationMs: number;
}

export type FullRunOutcome =
	| {
			status: 'done';
			results: Map<string, unknown>;
			/** Each source node's report (null: nothing skipped, nulled or dropped). */
			reports: Map<string, SourceReport | null>;
			elapsedMs: number;
			progress: RunProgress;
	  }
	| ({ status: 'failed'; elapsedMs: number } & NodeFailure)
	| { status: 'cancelled'; elapsedMs: number }
	| { status: 'invalid'; diagnostics: Diagnostic[] };

export interface FullRunOptions {
	/** Compile options; `workers` defaults to the pool's size. */
	compile?: Partial<CompileOptions>;
	inferContext?: InferContext;
	createRun?: RunFactory;
	lane?: RunLane;
	/** How often progress is sampled. Default 250 ms. */
	sampleMs?: number;
	onProgress?: (progress: RunProgress) => void;
}

const IDLE: RunProgress = {
	sourceRows: 0,
	sinkRows: 0,
	rowsPerSecond: 0,
	elapsedMs: 0,
	rates: null,
	bytes: NO_BYTES,
	sources: NO_SOURCE_BYTES
};

export class FullRun {
	readonly compiled: CompileResult;
	readonly outcome: Promise<FullRunOutcome>;
	#run: EngineRun | null = null;
	#sampler: Sampler | null = null;
	#progress: RunProgress = IDLE;
	#stopped = false;
	#counters: RunCounters | null = null;
	#reports: ReadonlyMap<string, SourceReport | null> = new Map();

	/** Compiles `doc` now and starts it as soon as the pool is free. */
	constructor(
		readonly pool: WorkerPool,
		readonly doc: PipelineDocument,
		private readonly options: FullRunOptions = {}
	) {
		this.compiled = compile(doc, { workers: pool.size, ...options.compile }, options.inferContext);
		this.outcome = this.#start();
	}

	/** The engine run, once started. */
	get run(): EngineRun | null {
		return this.#run;
	}

	/** The run's metrics sampler (edge/stage/worker rates and their history), once started. */
	get sampler(): Sampler | null {
		return this.#sampler;
	}

	get progress(): RunProgress {
		return this.#progress;
	}

	/**
	 * Counters at the start and at the latest sample (the end, once the run ended), and when the
	 * run started: with `sampler` and `run.topology()`, what `buildRunMetricsReport` needs.
	 */
	get counters(): RunCounters | null {
		return this.#counters;
	}

	/** Each source node's report once the run ended well (empty before, or after a failure). */
	get reports(): ReadonlyMap<string, SourceReport | null> {
		return this.#reports;
	}

	/** Cancels the run (or keeps it from starting); the outcome becomes 'cancelled'. */
	stop(): void {
		this.#stopped = true;
		this.#run?.cancel();
	}

	async #start(): Promise<FullRunOutcome> {
		const plan = this.compiled.plan;
		if (!plan) return { status: 'invalid', diagnostics: this.compiled.diagnostics };
		const release = await (this.options.lane ?? new RunLane()).acquire();
		let timer: ReturnType<typeof setInterval> | undefined;
		try {
			if (this.#stopped) return { status: 'cancelled', elapsedMs: 0 };
			const run = (this.options.createRun ?? ((p, pl) => createRun(p, pl)))(this.pool, plan);
			this.#run = run;
			this.#sampler = run.sampler();
			const sources = plan.stages.flatMap((s, i) => (s.inputSchemas.length === 0 ? [i] : []));
			const sinkNodes = new Set(plan.sinks.keys());
			const sinks = plan.origins.flatMap((o, i) =>
				o.nodes.some((n) => sinkNodes.has(n)) ? [i] : []
			);
			const t0 = performance.now();
			let last = { t: t0, rows: 0 };
			const sample = (final: boolean) => {
				const snap: MetricsSnapshot = run.metrics.snapshot();
				const now = performance.now();
				if (this.#counters) {
					this.#counters.last = snap;
					this.#counters.durationMs = now - t0;
				} else this.#counters = { first: snap, last: snap, startedAt: new Date(), durationMs: 0 };
				const sourceRows = sum(snap, sources, 'rowsOut');
				const sinkRows = sum(snap, sinks, 'rowsIn');
				const window = final ? { t: t0, rows: 0 } : last;
				const seconds = (now - window.t) / 1000;
				const rates = this.#sampler!.sample() ?? this.#sampler!.latest();
				this.#progress = {
					sourceRows,
					sinkRows,
					rowsPerSecond: seconds > 0 ? (sourceRows - window.rows) / seconds : 0,
					elapsedMs: now - t0,
					rates,
					bytes: allSourceBytes(plan, snap),
					sources: sourceBytesOf(plan, snap)
				};
				last = { t: now, rows: sourceRows };
				this.options.onProgress?.(this.#progress);
			};
			const started = run.start();
			sample(false);
			timer = setInterval(() => sample(false), this.options.sampleMs ?? 250);
			const outcome = await started;
			clearInterval(timer);
			sample(true);
			if (outcome.status === 'done') {
				const results = new Map<string, unknown>();
				for (const [node, stage] of plan.sinks) results.set(node, outcome.results.get(stage));
				this.#reports = sourceReportsOf(plan, outcome.reports);
				return {
					status: 'done',
					results,
					reports: new Map(this.#reports),
					elapsedMs: outcome.elapsedMs,
					progress: this.#progress
				};
			}
			if (outcome.status === 'cancelled') return outcome;
			const nameOf = (id: string) => displayName(this.doc, id);
			const failure = describeFailure(plan, outcome.failure, nameOf);
			return { status: 'failed', elapsedMs: outcome.elapsedMs, ...failure };
		} catch (error) {
			// Setting the run up failed (e.g. the budget cannot be had): no stage to blame.
			const message = `the run could not start: ${error instanceof Error ? error.message : String(error)}`;
			return {
				status: 'failed',
				elapsedMs: 0,
				node: null,
				nodes: [],
				name: '',
				message,
				seq: null
			};
		} finally {
			clearInterval(timer);
			release();
		}
	}
}

function sum(snap: MetricsSnapshot, stages: number[], key: 'rowsIn' | 'rowsOut'): number {
	let n = 0;
	for (const i of stages) n += snap.stages[i]?.[key] ?? 0;
	return n;
}
