// Previews: the result of a few nodes over the first rows of each source, reusing what is known.
//
// A call hashes every node (identity.ts). Nodes whose identity has a cached result are answered
// from the cache; the rest run together in one preview document (preview-doc.ts): the nodes
// upstream of them, sources cut to `previewRows`, a hidden table on each. Each call that runs
// gets a version. A newer call cancels the running preview, whose promise then answers
// 'superseded' (so it can never overwrite newer results) — unless the newer call needs only
// results the running one is computing: then it waits for those instead of starting over (a
// drag that moves nodes changes no identity and must not restart the preview each move). Runs
// queue on a RunLane, so at most one holds the pool at a time. Results, once computed, are
// cached whoever asked: a result belongs to its identity.
//
// While a preview runs, `onSourceBytes` hears every SOURCE_BYTES_MS how far its file sources
// have read (from the run's counters; nothing is sampled when no one listens), and an empty
// map once it ended.
//
// Problems come back per node: compiler diagnostics (on the document's own ids: the document
// is checked before hidden nodes are added) and run failures named after the node that failed.
import { compile, type CompileOptions } from '../../compiler';
import { buildLogicalPlan } from '../../compiler/logical';
import type { Diagnostic } from '../../graph/diagnostics';
import type { PipelineDocument } from '../../graph/document';
import type { InferContext } from '../../nodes/types';
import { createRun, type EngineRun } from '../../runtime/fallback/create-run';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { describeFailure, displayName } from './failure';
import { nodeIdentities } from './identity';
import { RunLane, type RunFactory } from './lane';
import { previewDocument, upstreamOf } from './preview-doc';
import type { NodeResult } from './results';
import { NO_SOURCE_BYTES, sourceBytesOf, type SourceBytes } from './source-progress';
import { sourceReportsOf } from '../../compiler/source-reports';

export interface PreviewOptions {
	/** Rows each source contributes to a preview. Default 50 000. */
	previewRows?: number;
	/** Rows a preview keeps for display (all are counted). Default 1000. */
	tableRows?: number;
	/** Results kept by identity, least recently used dropped first. Default 64. */
	cacheEntries?: number;
	/** Compile options; `workers` defaults to the pool's size, `budgetBytes` to 64 MiB. */
	compile?: Partial<CompileOptions>;
	inferContext?: InferContext;
	/** How a plan becomes a run (default: createRun, which picks the transport). */
	createRun?: RunFactory;
	/** Shared with full runs so only one run holds the pool at a time. */
	lane?: RunLane;
	/** Bytes read by each source node of the running preview (by document node id). */
	onSourceBytes?: (bytes: SourceBytes) => void;
}

/** How often a running preview's source bytes are read (as a full run samples). */
export const SOURCE_BYTES_MS = 250;

export const PREVIEW_BUDGET_BYTES = 64 << 20;

type Stop = 'superseded' | 'cancelled';

interface Job {
	version: number;
	/** Identities this job computes. */
	identities: Set<string>;
	stopped: Stop | null;
	run: EngineRun | null;
	results: Promise<Map<string, NodeResult> | Stop>;
}

/** The node a diagnostic belongs to: its node, else its edge's target. */
function diagnosticNode(doc: PipelineDocument, d: Diagnostic): string | undefined {
	return d.node ?? doc.edges.find((e) => e.id === d.edge)?.to.node;
}

export class PreviewRunner {
	readonly previewRows: number;
	readonly tableRows: number;
	readonly #cacheEntries: number;
	readonly #cache = new Map<string, NodeResult>();
	readonly #lane: RunLane;
	readonly #createRun: RunFactory;
	#active: Job | null = null;
	#version = 0;
	#runs = 0;

	constructor(
		readonly pool: WorkerPool,
		private readonly options: PreviewOptions = {}
	) {
		this.previewRows = options.previewRows ?? 50_000;
		this.tableRows = options.tableRows ?? 1000;
		this.#cacheEntries = options.cacheEntries ?? 64;
		if (!(Number.isInteger(this.previewRows) && this.previewRows >= 1))
			throw new RangeError(
				`previewRows must be a whole number of at least 1, got ${this.previewRows}`
			);
		if (!(Number.isInteger(this.tableRows) && this.tableRows >= 0))
			throw new RangeError(`tableRows must be a whole number of 0 or more, got ${this.tableRows}`);
		this.#lane = options.lane ?? new RunLane();
		this.#createRun = options.createRun ?? ((pool, plan) => createRun(pool, plan));
	}

	/** Runs started so far (cache hits and joined calls start none). */
	get runs(): number {
		return this.#runs;
	}

	/** True while a preview is queued or running. */
	get busy(): boolean {
		return this.#active !== null;
	}

	/** The preview of each of `nodeIds` in `doc`, by node id. */
	async preview(
		doc: PipelineDocument,
		nodeIds: readonly string[]
	): Promise<Map<string, NodeResult>> {
		const identities = nodeIdentities(doc, this.options.inferContext);
		const out = new Map<string, NodeResult>();
		const need = new Map<string, string>(); // identity -> a node id with it
		for (const id of nodeIds) {
			const identity = identities.get(id);
			const hit = identity === undefined ? undefined : this.#cached(identity);
			if (identity === undefined) {
				out.set(id, { status: 'error', identity: '', message: `there is no node '${id}'` });
			} else if (hit) out.set(id, hit);
			else if (!need.has(identity)) need.set(identity, id);
		}
		if (need.size === 0) {
			this.#stop('superseded'); // what the running preview computes is no longer wanted
			return out;
		}

		let job = this.#active;
		if (!job || job.stopped || ![...need.keys()].every((k) => job!.identities.has(k))) {
			this.#stop('superseded');
			job = this.#start(doc, need);
		}
		const results = await job.results;
		for (const id of nodeIds) {
			if (out.has(id)) continue;
			const identity = identities.get(id)!;
			const r = typeof results === 'string' ? undefined : results.get(identity);
			out.set(id, r ?? { status: typeof results === 'string' ? results : 'cancelled', identity });
		}
		return out;
	}

	/** Cancels the running preview; its callers get 'cancelled'. */
	cancel(): void {
		this.#stop('cancelled');
	}

	/** Forgets every cached result (e.g. after a dataset changed under the same params). */
	clear(): void {
		this.#cache.clear();
	}

	#cached(identity: string): NodeResult | undefined {
		const hit = this.#cache.get(identity);
		if (hit) {
			this.#cache.delete(identity); // most recently used goes last
			this.#cache.set(identity, hit);
		}
		return hit;
	}

	#remember(result: NodeResult): void {
		this.#cache.set(result.identity, result);
		while (this.#cache.size > this.#cacheEntries) {
			this.#cache.delete(this.#cache.keys().next().value!);
		}
	}

	#stop(reason: Stop): void {
		const job = this.#active;
		if (!job || job.stopped) return;
		job.stopped = reason;
		job.run?.cancel();
		this.#active = null;
	}

	#start(doc: PipelineDocument, need: Map<string, string>): Job {
		const job: Job = {
			version: ++this.#version,
			identities: new Set(need.keys()),
			stopped: null,
			run: null,
			results: Promise.resolve('cancelled')
		};
		job.results = (async () => {
			const release = await this.#lane.acquire();
			try {
				if (job.stopped) return job.stopped;
				return await this.#execute(job, doc, need);
			} catch (error) {
				const message = `preview failed: ${error instanceof Error ? error.message : String(error)}`;
				return new Map([...need.keys()].map((identity) => [identity, errorOf(identity, message)]));
			} finally {
				release();
				if (this.#active === job) this.#active = null;
			}
		})();
		this.#active = job;
		return job;
	}

	async #execute(job: Job, doc: PipelineDocument, need: Map<string, string>) {
		const results = new Map<string, NodeResult>();
		const ctx = this.options.inferContext;

		// 1. Check the document's own part (its ids in every diagnostic) for the nodes asked about.
		const keep = upstreamOf(doc, need.values());
		const sub: PipelineDocument = {
			...doc,
			nodes: doc.nodes.filter((n) => keep.has(n.id)),
			edges: doc.edges.filter((e) => keep.has(e.to.node))
		};
		const { diagnostics } = buildLogicalPlan(sub, ctx);
		const errors = diagnostics.filter((d) => d.severity === 'error');
		const good: [string, string][] = [];
		for (const [identity, id] of need) {
			const up = upstreamOf(sub, [id]);
			const concerns = (d: Diagnostic) => {
				const node = diagnosticNode(sub, d);
				return node === undefined ? d.edge === undefined : up.has(node);
			};
			const mine = errors.filter(concerns);
			if (mine.length === 0) {
				good.push([identity, id]);
				continue;
			}
			const node = diagnosticNode(sub, mine[0]);
			const r = errorOf(identity, mine[0].message, node, diagnostics.filter(concerns));
			results.set(identity, r);
		}
		if (good.length === 0) return results;

		// 2. The preview document: cut sources, hidden tables; compile and run it.
		const nameOf = (id: string) => displayName(sub, id);
		const pd = previewDocument(
			sub,
			good.map(([, id]) => id),
			{ previewRows: this.previewRows, tableRows: this.tableRows },
			nameOf
		);
		const compiled = compile(
			pd.doc,
			{ workers: this.pool.size, budgetBytes: PREVIEW_BUDGET_BYTES, ...this.options.compile },
			ctx
		);
		if (!compiled.plan) {
			// Not expected once the document checked out; report it on the document's own ids.
			const mapped = compiled.diagnostics.map((d) => {
				const hiddenEdge = d.edge !== undefined ? pd.hiddenEdges.get(d.edge) : undefined;
				return {
					...d,
					node: hiddenEdge ?? (d.node === undefined ? undefined : pd.originOf(d.node)),
					edge: hiddenEdge === undefined ? d.edge : undefined
				};
			});
			const first = mapped.find((d) => d.severity === 'error') ?? mapped[0];
			for (const [identity] of good) {
				results.set(
					identity,
					errorOf(identity, first?.message ?? 'preview failed', first?.node, mapped)
				);
			}
			return results;
		}
		if (job.stopped) return job.stopped;
		const plan = compiled.plan;
		const run = this.#createRun(this.pool, plan);
		job.run = run;
		this.#runs++;
		const listen = this.options.onSourceBytes;
		const tell = () => listen?.(sourceBytesOf(plan, run.metrics.snapshot(), pd.originOf));
		const timer = listen ? setInterval(tell, SOURCE_BYTES_MS) : undefined;
		let outcome: Awaited<ReturnType<EngineRun['start']>>;
		try {
			outcome = await run.start();
		} finally {
			clearInterval(timer);
			listen?.(NO_SOURCE_BYTES);
		}

		if (outcome.status === 'done') {
			const reports = sourceReportsOf(plan, outcome.reports, pd.originOf);
			for (const [identity, id] of good) {
				const stage = plan.sinks.get(pd.sinkOf.get(id)!);
				const result = stage === undefined ? undefined : outcome.results.get(stage);
				const r: NodeResult = {
					status: 'done',
					identity,
					result,
					elapsedMs: outcome.elapsedMs,
					from: 'preview'
				};
				if (reports.has(id)) r.report = reports.get(id);
				this.#remember(r); // right whoever asked: a result belongs to its identity
				results.set(identity, r);
			}
		}
		if (job.stopped) return job.stopped;
		if (outcome.status === 'cancelled') return 'cancelled';
		if (outcome.status === 'failed') {
			const f = describeFailure(plan, outcome.failure, nameOf, pd.originOf);
			for (const [identity] of good) {
				results.set(identity, errorOf(identity, f.message, f.node ?? undefined));
			}
		}
		return results;
	}
}

function errorOf(
	identity: string,
	message: string,
	node?: string,
	diagnostics?: Diagnostic[]
): NodeResult {
	const r: NodeResult = { status: 'error', identity, message };
	if (node !== undefined) r.node = node;
	if (diagnostics !== undefined) r.diagnostics = diagnostics;
	return r;
}
