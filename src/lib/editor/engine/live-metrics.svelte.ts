// The live metrics the canvas and the metrics panel show: follows the engine's full run, keeps
// the figures of its latest sampling window (the engine samples every 250 ms, so views update
// at most four times a second), and once the run ended shows the whole run's figures
// (runtime/metrics/run-figures.ts: the same the run history, the report and the CLI show)
// until the document is edited or another run starts. Also what the panel needs of the run:
// the sampler's history, pool figures, page memory, peeks and the metrics report.
import { getContext, hasContext, setContext, untrack } from 'svelte';
import type { PipelineDocument } from '../../graph/document';
import type { PoolStats } from '../../runtime/contracts';
import { measurePageMemory } from '../../runtime/metrics/page-memory';
import type { PeekResult } from '../../runtime/metrics/peek';
import type { Rates } from '../../runtime/metrics/rates';
import { runFigures, stageGroups, type StageGroup } from '../../runtime/metrics/run-figures';
import {
	buildRunMetricsReport,
	validateRunMetricsReport,
	type RunMetricsReport
} from '../../runtime/metrics/report';
import type { EditorEngine } from './engine.svelte';
import type { FullRun } from './full-run';
import { mapLiveMetrics, type LiveView } from './live-metrics';
import type { PipelineState } from '../state/pipeline.svelte';

/** What the panel's detail section shows. */
export type MetricsSelection =
	| { kind: 'edge'; id: string }
	| { kind: 'node'; id: string }
	| { kind: 'stage'; index: number }
	| null;

/** A final window shorter than this (the run ended just after a sample) is not shown. */
const MIN_FINAL_WINDOW_MS = 120;
/** Page memory is measured at most this often (the browser measures at its next GC). */
export const PAGE_MEMORY_EVERY_MS = 5000;

export type PageMemory = { t: number[]; bytes: number[] } | { unavailable: string };

/** Hook for browser tests: set `window.__sluiceTest = {}` before the page loads. */
interface TestHook {
	rates?: Rates[];
	edgeRings?: Record<string, number[]>;
}

export class LiveMetrics {
	panelOpen = $state(false);
	selection = $state.raw<MetricsSelection>(null);
	pageMemory = $state.raw<PageMemory | null>(null);
	#run = $state.raw<FullRun | null>(null);
	#rates = $state.raw<Rates | null>(null);
	#status = $state.raw<string | null>(null);
	#structure = '';
	#measuring = false;

	/** The figures per document edge and node, or null when there is nothing to show. */
	readonly view: LiveView | null = $derived.by(() => {
		const run = this.#run;
		const plan = run?.compiled.plan;
		return run && plan && this.#rates ? mapLiveMetrics(plan, this.#rates, run.doc) : null;
	});

	/** The stage table of the figures shown: a line per stage, parallel instances as ×N. */
	readonly stages: StageGroup[] = $derived.by(() => {
		const rates = this.#rates;
		// Rates come from the started run's sampler, so its engine run is there.
		const engineRun = this.#run?.run;
		return rates && engineRun ? stageGroups(rates, engineRun.topology()) : [];
	});

	constructor(
		private readonly engine: EditorEngine,
		private readonly pipeline: PipelineState
	) {}

	/** The run shown: streaming now, or the last one while its figures are kept. */
	get run(): FullRun | null {
		return this.#run;
	}

	get rates(): Rates | null {
		return this.#rates;
	}

	/** True while the run shown is streaming. */
	get running(): boolean {
		return this.#run !== null && this.#status === null;
	}

	/** How the run shown ended ('done', 'cancelled', 'failed'), null while it streams. */
	get status(): string | null {
		return this.#status;
	}

	/** Follows the engine and the document: call from an `$effect` of the component owning this. */
	sync(): void {
		const fullRun = this.engine.fullRun;
		const rates = this.engine.running?.rates ?? null;
		const doc = this.pipeline.doc;
		untrack(() => {
			if (fullRun && fullRun !== this.#run) this.#follow(fullRun);
			if (
				fullRun &&
				fullRun === this.#run &&
				this.#status === null &&
				rates &&
				rates !== this.#rates
			)
				this.#accept(rates);
			if (!fullRun && this.#run && this.#status !== null && structureOf(doc) !== this.#structure)
				this.clear();
		});
	}

	/** Forgets the run shown (the canvas drops its live figures). */
	clear(): void {
		this.#run = null;
		this.#rates = null;
		this.#status = null;
		this.selection = null;
		this.pageMemory = null;
	}

	/** The memory pool's figures now (shared by every worker of the run), or null. */
	poolStats(): PoolStats | null {
		const run = this.#run?.run;
		if (!run || !this.running) return null;
		return 'memoryStats' in run ? run.memoryStats() : run.memory.stats();
	}

	/** Rows crossing ring `ring` of the running run, without stopping it (null when none came). */
	async peek(ring: number, maxRows = 100): Promise<PeekResult | null> {
		const run = this.#run?.run;
		if (!run || !this.running) return null;
		return run.peek(ring, maxRows);
	}

	/** Measures the page's memory once, unless a measurement is still on its way. */
	async measurePageMemory(): Promise<void> {
		if (this.#measuring) return;
		this.#measuring = true;
		try {
			const got = await measurePageMemory();
			const prev = this.pageMemory;
			if ('unavailable' in got) this.pageMemory = { unavailable: got.unavailable };
			else {
				const series = prev && 't' in prev ? prev : { t: [], bytes: [] };
				const t = [...series.t, performance.now() / 1000].slice(-60);
				this.pageMemory = { t, bytes: [...series.bytes, got.bytes].slice(-60) };
			}
		} finally {
			this.#measuring = false;
		}
	}

	/** The ended run's metrics report (checked against its schema), or null before the end. */
	report(): RunMetricsReport | null {
		const run = this.#run;
		const engineRun = run?.run;
		const plan = run?.compiled.plan;
		const counters = run?.counters;
		if (!run || !engineRun || !plan || !counters || !run.sampler || this.#status === null)
			return null;
		const report = buildRunMetricsReport({
			sampler: run.sampler,
			topology: engineRun.topology(),
			first: counters.first,
			last: counters.last,
			startedAt: counters.startedAt,
			durationMs: counters.durationMs,
			status: this.#status,
			pipeline: run.doc.name,
			stageNodes: plan.origins.map((o) => o.nodes),
			stageInstances: plan.stages.map((s) => s.instances ?? 1),
			sourceReports: run.reports
		});
		const checked = validateRunMetricsReport(report);
		if (!checked.ok) throw new Error(`the metrics report is malformed: ${checked.problems[0]}`);
		return checked.report;
	}

	#follow(fullRun: FullRun): void {
		this.#run = fullRun;
		this.#rates = null;
		this.#status = null;
		this.pageMemory = null;
		this.#structure = structureOf(fullRun.doc);
		const hook = testHook();
		if (hook && fullRun.compiled.plan) {
			hook.rates = [];
			hook.edgeRings = Object.fromEntries(fullRun.compiled.plan.edgeRings);
		}
		void fullRun.outcome.then((outcome) => {
			if (this.#run !== fullRun) return;
			this.#status = outcome.status;
			// Once ended, the canvas and the panel show the whole run (the figures the run
			// history, the report and the CLI show), not its last sampling window.
			const counters = fullRun.counters;
			const engineRun = fullRun.run;
			if (counters && engineRun)
				this.#rates = runFigures(counters.first, counters.last, engineRun.topology()).rates;
		});
	}

	#accept(rates: Rates): void {
		// The last window of a run may be a sliver after its last sample: keep the one before.
		if (this.#rates && rates.windowMs < MIN_FINAL_WINDOW_MS) return;
		this.#rates = rates;
		const hook = testHook();
		if (hook?.rates) {
			hook.rates.push(rates);
			if (hook.rates.length > 40) hook.rates.shift();
		}
	}
}

/** The document without positions: moving a node does not drop a finished run's figures. */
function structureOf(doc: PipelineDocument): string {
	return JSON.stringify([doc.nodes.map((n) => [n.id, n.kind, n.params]), doc.edges]);
}

function testHook(): TestHook | null {
	const hook = (globalThis as { __sluiceTest?: unknown }).__sluiceTest;
	return hook !== null && typeof hook === 'object' ? (hook as TestHook) : null;
}

const KEY = Symbol('sluice.live-metrics');

export function setLiveMetrics(live: LiveMetrics): LiveMetrics {
	return setContext(KEY, live);
}

/** The LiveMetrics of the workspace, or null where there is none (an inert shared pipeline). */
export function getLiveMetrics(): LiveMetrics | null {
	return hasContext(KEY) ? getContext<LiveMetrics>(KEY) : null;
}
