// The editor's engine state: previews of the selected nodes as the document changes, full runs
// with live progress, and what each node card shows. Panels read the `$state.raw` fields below
// (replaced, never mutated); the work is done by the framework-free PreviewRunner and FullRun,
// which share one RunLane so only one run holds the worker pool at a time.
//
// Results are kept per node with the node's identity: a result whose node changed (its params,
// its dataset's schema, or anything upstream) is dropped as soon as the editor reports the new
// document or a schema arrives, so a card never shows a stale figure. A full run's results
// replace the previews of its sinks and are kept over later previews while their identity holds.
import type { PipelineDocument } from '../../graph/document';
import type { InferContext } from '../../nodes/types';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { FullRun, type FullRunOptions, type FullRunOutcome, type RunProgress } from './full-run';
import { nodeIdentities } from './identity';
import { RunLane } from './lane';
import { PreviewRunner, type PreviewOptions } from './preview';
import {
	NO_IDENTITIES,
	NO_NODES,
	NO_RESULTS,
	hasStale,
	keepCurrent,
	mergeResults,
	nodeSet,
	runResultsOf,
	withAll,
	type Identities,
	type Results
} from './result-book';
import { nodeRowsOut } from './live-metrics';
import { resultRows } from './results';
import { NO_SOURCE_BYTES, type SourceBytes } from './source-progress';
import type { ByteProgress } from '../../runtime/metrics/rates';
import type { SourceReport } from '../../runtime/source-report';

export interface EditorEngineOptions {
	preview?: Omit<PreviewOptions, 'lane'>;
	run?: Omit<FullRunOptions, 'lane' | 'onProgress'>;
	/** Quiet time after the last request before a preview starts. Default 150 ms. */
	debounceMs?: number;
}

/** 'scheduled': waiting out the debounce; 'running': a preview is queued or running. */
export type PreviewStatus = 'idle' | 'scheduled' | 'running';

/** What a node card shows. */
export type NodeActivity = 'idle' | 'running' | { done: number } | { error: string };

export class EditorEngine {
	#previewStatus = $state.raw<PreviewStatus>('idle');
	#results = $state.raw<Results>(NO_RESULTS);
	#running = $state.raw<RunProgress | null>(null);
	#lastRun = $state.raw<FullRunOutcome | null>(null);
	#fullRun = $state.raw<FullRun | null>(null);
	/** Nodes the preview in flight is computing, and nodes of the full run streaming now. */
	#previewBusy = $state.raw<ReadonlySet<string>>(NO_NODES);
	#runBusy = $state.raw<ReadonlySet<string>>(NO_NODES);
	/** Bytes the running preview's file sources have read (sampled while it runs). */
	#previewBytes = $state.raw<SourceBytes>(NO_SOURCE_BYTES);
	/** Source reports of the last full run that ended well, with each node's identity then. */
	#runReports = $state.raw<ReadonlyMap<string, { identity: string; report: SourceReport | null }>>(
		new Map() // eslint-disable-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated
	);
	/** Rows each node put out in the last full run that ended well, with the document it ran. */
	#runRows = $state.raw<{ structure: string; rows: Record<string, number> } | null>(null);
	/** What the last full run that ended well read, with the document it ran. */
	#runBytes = $state.raw<{ doc: PipelineDocument; sources: SourceBytes } | null>(null);

	readonly previews: PreviewRunner;
	readonly #pool: WorkerPool;
	readonly #lane = new RunLane();
	readonly #runOptions: EditorEngineOptions['run'];
	readonly #debounceMs: number;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#request: { doc: PipelineDocument; ids: string[] } | null = null;
	#version = 0;
	/** Identities of the document last seen. */
	#identities: Identities = NO_IDENTITIES;
	/** Results of the last full run, by node: kept over previews while their identity holds. */
	#runResults: Results = NO_RESULTS;
	/** The datasets results are computed with: a source's identity includes its schema. */
	readonly #datasets: InferContext | undefined;
	#disposed = false;

	/** The pool stays the caller's: `dispose()` does not shut it down. */
	constructor(pool: WorkerPool, options: EditorEngineOptions = {}) {
		this.#pool = pool;
		this.#debounceMs = options.debounceMs ?? 150;
		this.#runOptions = options.run;
		this.#datasets = options.preview?.inferContext ?? options.run?.inferContext;
		this.previews = new PreviewRunner(pool, {
			...options.preview,
			lane: this.#lane,
			onSourceBytes: (bytes) => {
				if (bytes.size > 0 || this.#previewBytes.size > 0) this.#previewBytes = bytes;
			}
		});
	}

	get previewStatus(): PreviewStatus {
		return this.#previewStatus;
	}

	/** The latest result of every node that has one matching its current identity. */
	get results(): Results {
		return this.#results;
	}

	/** Progress of the full run streaming now, or null. */
	get running(): RunProgress | null {
		return this.#running;
	}

	/** How the last full run ended. */
	get lastRun(): FullRunOutcome | null {
		return this.#lastRun;
	}

	/** The full run streaming now (its `sampler` feeds the live metrics panel), or null. */
	get fullRun(): FullRun | null {
		return this.#fullRun;
	}

	nodeStatus(nodeId: string): NodeActivity {
		if (this.#previewBusy.has(nodeId) || this.#runBusy.has(nodeId)) return 'running';
		const r = this.#results.get(nodeId);
		if (r?.status === 'done') return { done: resultRows(r.result) ?? 0 };
		if (r?.status === 'error') return { error: r.message };
		return 'idle';
	}

	/**
	 * What source `nodeId` skipped, nulled, cut or could not read: from the last full run while
	 * the node is as it ran, else from its preview; null when it had nothing to say (or no result).
	 */
	sourceReport(nodeId: string): SourceReport | null {
		const identity = this.#identities.get(nodeId);
		const ran = this.#runReports.get(nodeId);
		if (ran && ran.identity === identity) return ran.report;
		const r = this.#results.get(nodeId);
		return r?.status === 'done' ? (r.report ?? null) : null;
	}

	/**
	 * How far source `nodeId` is reading now: in the full run streaming, else in the running
	 * preview; null when it is not reading bytes.
	 */
	sourceBytes(nodeId: string): ByteProgress | null {
		if (this.#running) return this.#running.sources.get(nodeId) ?? null;
		return this.#previewBusy.size > 0 ? (this.#previewBytes.get(nodeId) ?? null) : null;
	}

	/**
	 * Rows node `id` put out in the last full run that ended well, when `doc` is still the
	 * pipeline that ran (positions aside); null otherwise or when the run cannot tell.
	 */
	lastRunRows(doc: PipelineDocument, id: string): number | null {
		const last = this.#runRows;
		if (!last || last.structure !== pipelineStructure(doc)) return null;
		return Object.hasOwn(last.rows, id) ? last.rows[id] : null;
	}

	/** What source `node` read in the last full run that ended well, if it ran as it is now. */
	lastRunBytes(node: { id: string; kind: string; params: unknown }): ByteProgress | null {
		const last = this.#runBytes;
		const ran = last?.doc.nodes.find((n) => n.id === node.id);
		if (!last || !ran || ran.kind !== node.kind) return null;
		if (JSON.stringify(ran.params) !== JSON.stringify(node.params)) return null;
		return last.sources.get(node.id) ?? null;
	}

	/** Previews `selectedIds` of `doc` once requests pause for the debounce time. */
	requestPreview(doc: PipelineDocument, selectedIds: readonly string[]): void {
		if (this.#disposed) return;
		this.#observe(doc);
		this.#request = { doc, ids: [...selectedIds] };
		clearTimeout(this.#timer);
		if (this.#previewStatus === 'idle') this.#previewStatus = 'scheduled';
		this.#timer = setTimeout(() => void this.flushPreview(), this.#debounceMs);
	}

	/** Starts the requested preview now; resolves once its results are in `results`. */
	async flushPreview(): Promise<void> {
		clearTimeout(this.#timer);
		const request = this.#request;
		this.#request = null;
		if (!request || this.#disposed) return;
		const version = ++this.#version;
		const identities = this.#observe(request.doc);
		const wanted = request.ids.filter(
			(id) => identities.has(id) && this.#runResults.get(id)?.identity !== identities.get(id)
		);
		if (wanted.length === 0) {
			this.previews.cancel();
			return this.#previewSettled(version);
		}
		this.#previewBusy = nodeSet(wanted);
		this.#previewStatus = 'running';
		const got = await this.previews.preview(request.doc, wanted);
		if (version !== this.#version || this.#disposed) return;
		this.#results = mergeResults(this.#results, got, this.#runResults, this.#identities);
		this.#previewSettled(version);
	}

	/** Runs the whole document; resolves with its outcome (the running one's, if any). */
	async run(doc: PipelineDocument): Promise<FullRunOutcome> {
		if (this.#fullRun) return this.#fullRun.outcome;
		if (this.#disposed) return { status: 'cancelled', elapsedMs: 0 };
		// The preview in flight gives the pool up; a later request queues behind the run.
		this.#version++;
		this.previews.cancel();
		this.#previewSettled(this.#version);
		const identities = this.#observe(doc);
		const fullRun: FullRun = new FullRun(this.#pool, doc, {
			...this.#runOptions,
			lane: this.#lane,
			onProgress: (p) => {
				if (this.#fullRun === fullRun) this.#running = p;
			}
		});
		this.#fullRun = fullRun;
		this.#running = fullRun.progress;
		this.#runBusy = nodeSet(doc.nodes.map((n) => n.id));
		this.#runBytes = null;
		const outcome = await fullRun.outcome;
		if (outcome.status === 'done') {
			this.#runBytes = { doc, sources: outcome.progress.sources };
			// Built here, then published whole through $state.raw: never mutated afterwards.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const reports = new Map<string, { identity: string; report: SourceReport | null }>();
			for (const [id, report] of outcome.reports)
				reports.set(id, { identity: identities.get(id) ?? '', report });
			this.#runReports = reports;
		}
		this.#runRows = outcome.status === 'done' ? runRowsOf(fullRun, doc) : null;
		this.#fullRun = null;
		this.#running = null;
		this.#runBusy = NO_NODES;
		if (this.#disposed) return outcome;
		this.#lastRun = outcome;
		const got = runResultsOf(outcome, identities);
		this.#runResults = keepCurrent(withAll(this.#runResults, got), this.#identities);
		this.#results = mergeResults(this.#results, got, this.#runResults, this.#identities);
		return outcome;
	}

	/** Stops the full run now (it ends 'cancelled'). */
	stop(): void {
		this.#fullRun?.stop();
	}

	/** Cancels everything in flight and ignores what comes back. Leaves the pool running. */
	dispose(): void {
		this.#disposed = true;
		clearTimeout(this.#timer);
		this.previews.cancel();
		this.#fullRun?.stop();
	}

	/** Takes `doc` as the current document: drops results whose node changed since. */
	#observe(doc: PipelineDocument): Identities {
		const identities = nodeIdentities(doc, this.#datasets);
		this.#identities = identities;
		if (hasStale(this.#runResults, identities)) {
			this.#runResults = keepCurrent(this.#runResults, identities);
		}
		if (hasStale(this.#results, identities)) this.#results = keepCurrent(this.#results, identities);
		return identities;
	}

	#previewSettled(version: number): void {
		if (version !== this.#version) return;
		this.#previewBusy = NO_NODES;
		this.#previewStatus = this.#request ? 'scheduled' : 'idle';
	}
}

/** The document without positions: moving a node keeps a run's row counts. */
function pipelineStructure(doc: PipelineDocument): string {
	return JSON.stringify([doc.nodes.map((n) => [n.id, n.kind, n.params]), doc.edges]);
}

/** Rows per node of a full run that ended, from its last counters. */
function runRowsOf(
	run: FullRun,
	doc: PipelineDocument
): { structure: string; rows: Record<string, number> } | null {
	const plan = run.compiled.plan;
	const stages = run.counters?.last.stages;
	if (!plan || !stages) return null;
	const rows: Record<string, number> = {};
	for (const n of doc.nodes) {
		const count = nodeRowsOut(plan, stages, n.id);
		if (count !== null) rows[n.id] = count;
	}
	return { structure: pipelineStructure(doc), rows };
}
