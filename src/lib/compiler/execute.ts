// Runs a compiled plan on a worker pool and hands back each sink's result by node id.
import type { PipelineDocument } from '../graph/document';
import type { Diagnostic } from '../graph/diagnostics';
import type { InferContext } from '../nodes/types';
import { Run, type RunOptions, type RunOutcome } from '../runtime/scheduler/run';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { compile, type CompileResult } from './index';
import type { CompileOptions } from './physical';
import { sourceReportsOf } from './source-reports';
import type { SourceReport } from '../runtime/source-report';

export type PipelineOutcome =
	| { status: 'invalid'; diagnostics: Diagnostic[] }
	| {
			status: 'done';
			results: Map<string, unknown>;
			/** Each source node's report of what it skipped, nulled or could not read (or null). */
			reports: Map<string, SourceReport | null>;
			elapsedMs: number;
			compiled: CompileResult;
	  }
	| Exclude<RunOutcome, { status: 'done' }>;

export interface StartedPipeline {
	run: Run | null;
	compiled: CompileResult;
	outcome: Promise<PipelineOutcome>;
}

/** Compiles `doc` for `pool` and starts it; `run.cancel()` stops it. */
export function startPipeline(
	doc: PipelineDocument,
	pool: WorkerPool,
	options: Partial<CompileOptions> = {},
	ctx?: InferContext,
	runOptions: RunOptions = {}
): StartedPipeline {
	const compiled = compile(doc, { workers: pool.size, ...options }, ctx);
	if (!compiled.plan) {
		return {
			run: null,
			compiled,
			outcome: Promise.resolve({ status: 'invalid', diagnostics: compiled.diagnostics })
		};
	}
	const plan = compiled.plan;
	const run = new Run(pool, plan, runOptions);
	const outcome = run.start().then((o): PipelineOutcome => {
		if (o.status !== 'done') return o;
		const results = new Map<string, unknown>();
		for (const [node, stage] of plan.sinks) results.set(node, o.results.get(stage));
		const reports = sourceReportsOf(plan, o.reports);
		return { status: 'done', results, reports, elapsedMs: o.elapsedMs, compiled };
	});
	return { run, compiled, outcome };
}
