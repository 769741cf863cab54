// `sluice run` and `sluice explain`. Each returns the process exit code: 0 ok, 1 the run failed,
// 2 bad usage or an invalid pipeline, 130 cancelled by Ctrl-C. The worker pool is always shut
// down before `run` returns, whatever happened.
import { availableParallelism } from 'node:os';
import { compile, DEFAULT_COMPILE_OPTIONS } from '../lib/compiler/index';
import { startPipeline, type StartedPipeline } from '../lib/compiler/execute';
import { onlyNotes, reportDetail } from '../lib/nodes/formats/source-report-text';
import type { CompiledPlan, CompileOptions } from '../lib/compiler/physical';
import { frameBytes } from '../lib/runtime/batch/layout';
import type { PipelineDocument } from '../lib/graph/document';
import type { InferContext } from '../lib/nodes/types';
import type { MetricsSnapshot } from '../lib/runtime/metrics/counters';
import { choosePoolSize, loweredPoolText } from '../lib/runtime/pool-size';
import { createNodeWorkerPool } from '../lib/runtime/scheduler/node-pool';
import { planTopology, poolOptions } from '../lib/runtime/scheduler/run';
import { runFigures } from '../lib/runtime/metrics/run-figures';
import type { CliOptions } from './args';
import { EXIT } from './exit-codes';
import { startLive } from './live';
import { REPORT_SAMPLE_MS, metricsReport, writeMetricsReport } from './metrics-report';
import { datasetContext, readPipelineFile, splitDiagnostics } from './pipeline-file';
import {
	progressText,
	rowsRead,
	sourceStages,
	startProgress,
	type ProgressStream
} from './progress';
import { outFormat, pickSink, writeResultFile, WriteStopped } from './out-file';
import { renderResult } from './results';
import { formatCount } from './text-table';

/** Where a command writes: results to `out`, errors and progress to `err`. */
export interface CliIo {
	out(line: string): void;
	err(line: string): void;
	/** The stream the progress line is drawn on (drawn only when it is a terminal). */
	progress: ProgressStream;
	/** Calls `handler` on Ctrl-C; returns a function that stops listening. */
	onInterrupt(handler: () => void): () => void;
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Reads and compiles the file; prints the problems and returns null when it cannot run. */
async function compileFile(
	options: CliOptions,
	io: CliIo,
	workers: number
): Promise<Prepared | null> {
	const file = await readPipelineFile(options.file);
	if (!file.ok) {
		file.errors.forEach((line) => io.err(line));
		return null;
	}
	if (!options.quiet) file.warnings.forEach((line) => io.err(line));
	const compileOptions: CompileOptions = {
		workers,
		budgetBytes: options.budgetBytes ?? DEFAULT_COMPILE_OPTIONS.budgetBytes,
		batchRows: options.batchRows ?? DEFAULT_COMPILE_OPTIONS.batchRows
	};
	let maxBlockBytes: number;
	try {
		maxBlockBytes = poolOptions(compileOptions.budgetBytes).maxBlockBytes;
	} catch (error) {
		io.err(`error: --budget is too small: ${errorText(error)}`);
		return null;
	}
	const { ctx, errors: unreadable } = await datasetContext(file.document);
	if (unreadable.length > 0) {
		unreadable.forEach((line) => io.err(line));
		return null;
	}
	const compiled = compile(file.document, compileOptions, ctx);
	if (!compiled.plan) {
		const { errors } = splitDiagnostics(compiled.diagnostics, file.document);
		(errors.length > 0 ? errors : ['error: the pipeline could not be compiled']).forEach((line) =>
			io.err(line)
		);
		return null;
	}
	const tooBig = oversizedBatch(compiled.plan, maxBlockBytes);
	if (tooBig) {
		io.err(`error: ${tooBig}`);
		return null;
	}
	return { doc: file.document, ctx, compileOptions, explain: compiled.explain };
}

/** A document that compiles, with what it was compiled with. */
interface Prepared {
	doc: PipelineDocument;
	ctx: InferContext;
	compileOptions: CompileOptions;
	explain: string;
}

/**
 * Why no block of the pool can hold a full batch of some stage's output (its fixed-width
 * columns alone), or null. A stage whose batch fits no block would wait for one forever.
 */
export function oversizedBatch(plan: CompiledPlan, maxBlockBytes: number): string | null {
	for (const stage of plan.stages) {
		for (const schema of stage.outputSchemas) {
			const bytes = frameBytes(
				schema,
				plan.batchRows,
				undefined,
				schema.types.map(() => true)
			);
			if (bytes > maxBlockBytes) {
				return (
					`batches of ${formatCount(plan.batchRows)} rows from stage '${stage.name}' need ` +
					`${formatCount(bytes)} bytes, more than the largest block (${formatCount(maxBlockBytes)} ` +
					`bytes) of a ${formatCount(plan.budgetBytes)}-byte budget: ` +
					'raise --budget or lower --batch-rows'
				);
			}
		}
	}
	return null;
}

/** Workers for the run: --workers, lowered to the cores available (said on stderr). */
function workerCount(options: CliOptions, io: CliIo): number {
	const choice = choosePoolSize(options.workers, availableParallelism(), 'headless');
	const lowered = loweredPoolText(choice, '--workers');
	if (lowered && !options.quiet) io.err(`note: ${lowered}`);
	return choice.size;
}

export async function explainCommand(options: CliOptions, io: CliIo): Promise<number> {
	const ready = await compileFile(options, io, workerCount(options, io));
	if (!ready) return EXIT.USAGE;
	io.out(ready.explain);
	return EXIT.OK;
}

export async function runCommand(options: CliOptions, io: CliIo): Promise<number> {
	const workers = workerCount(options, io);
	const ready = await compileFile(options, io, workers);
	if (!ready) return EXIT.USAGE;
	const { doc, ctx, compileOptions } = ready;
	const out = options.outFile === undefined ? null : outFormat(options.outFile, options.outFormat);
	if (out !== null && 'message' in out) {
		io.err(`error: ${out.message}`);
		return EXIT.USAGE;
	}

	let interrupted = false;
	let started: StartedPipeline | null = null;
	const stopListening = io.onInterrupt(() => {
		interrupted = true;
		started?.run?.cancel();
	});
	const pool = createNodeWorkerPool(workers);
	let stopProgress = () => {};
	let stopSampling = () => {};
	try {
		try {
			started = startPipeline(doc, pool, compileOptions, ctx);
		} catch (error) {
			// Setup refused the options (e.g. a budget too small for one block).
			io.err(`error: ${errorText(error)}`);
			return EXIT.USAGE;
		}
		const { run, compiled } = started;
		if (!run || !compiled.plan) {
			splitDiagnostics(compiled.diagnostics, doc).errors.forEach((line) => io.err(line));
			return EXIT.USAGE;
		}
		const plan = compiled.plan;
		const first: MetricsSnapshot = run.metrics.snapshot();
		const startedAt = new Date();
		const t0 = performance.now();
		const sources = sourceStages(plan);
		if (interrupted) run.cancel();
		// The report's time series: the counters sampled at the metrics panel's rate.
		const history = run.sampler();
		if (options.metricsFile) {
			history.sample();
			const timer = setInterval(() => history.sample(), REPORT_SAMPLE_MS);
			stopSampling = () => clearInterval(timer);
		}
		if (options.live) {
			const heading = () =>
				progressText(rowsRead(run.metrics.snapshot(), sources), performance.now() - t0);
			stopProgress = startLive(io.progress, run.sampler(), planTopology(plan), heading);
		} else if (!options.quiet)
			stopProgress = startProgress(io.progress, () => run.metrics.snapshot(), sources);

		const outcome = await started.outcome;
		// A Ctrl-C that came after the last stage finished found nothing left to cancel: the
		// command is still the user's to stop, so it ends cancelled all the same (below, and
		// between the chunks of --out).
		const cancelledAt = () => ((performance.now() - t0) / 1000).toFixed(2);
		stopProgress();
		stopSampling();
		const last = run.metrics.snapshot();
		const elapsedMs = 'elapsedMs' in outcome ? outcome.elapsedMs : 0;
		if (options.metricsFile) {
			history.sample();
			const report = metricsReport({
				plan,
				sampler: history,
				first,
				last,
				startedAt,
				durationMs: elapsedMs,
				status: interrupted && outcome.status === 'done' ? 'cancelled' : outcome.status,
				pipeline: doc.name,
				sourceReports: outcome.status === 'done' ? outcome.reports : undefined
			});
			try {
				await writeMetricsReport(options.metricsFile, report);
			} catch (error) {
				io.err(`error: cannot write metrics to '${options.metricsFile}': ${errorText(error)}`);
				return EXIT.FAILED;
			}
		}

		if (interrupted && outcome.status === 'done') {
			io.err(`cancelled after ${cancelledAt()} s`);
			return EXIT.INTERRUPTED;
		}
		switch (outcome.status) {
			case 'done': {
				// What each source skipped, nulled, cut or dropped: said even when --quiet.
				for (const [id, report] of outcome.reports) {
					if (!report) continue;
					const name = compiled.logical?.byId.get(id)?.name ?? id;
					const label = onlyNotes(report) ? 'note' : 'warning';
					reportDetail(report).forEach((line, i) =>
						io.err(i === 0 ? `${label}: ${name}: ${line}` : `  ${line}`)
					);
				}
				if (options.outFile !== undefined && out !== null) {
					const picked = pickSink(doc, outcome.results, options.sink);
					if ('message' in picked) {
						io.err(`error: ${picked.message}`);
						return EXIT.USAGE;
					}
					try {
						const bytes = await writeResultFile(
							options.outFile,
							out.format,
							outcome.results.get(picked.id),
							() => interrupted
						);
						if (!options.quiet)
							io.err(`wrote ${formatCount(bytes)} bytes of ${out.format} to '${options.outFile}'`);
					} catch (error) {
						if (error instanceof WriteStopped) {
							io.err(`cancelled after ${cancelledAt()} s; '${options.outFile}' was not written`);
							return EXIT.INTERRUPTED;
						}
						io.err(`error: cannot write '${options.outFile}': ${errorText(error)}`);
						return EXIT.FAILED;
					}
				}
				if (options.quiet) return EXIT.OK;
				const order = doc.nodes.map((n) => n.id).filter((id) => outcome.results.has(id));
				order.forEach((id, i) => {
					const node = compiled.logical?.byId.get(id);
					const title = node ? `${node.name}` : id;
					if (i > 0) io.out('');
					renderResult(title, outcome.results.get(id)).forEach((line) => io.out(line));
				});
				io.out('');
				io.out(
					`done: ${progressText(rowsRead(last, sources), elapsedMs)} on ${workers} worker${workers === 1 ? '' : 's'}`
				);
				// The whole run's bottleneck, as the editor's panel, run history and report name it.
				const { bottleneck } = runFigures(first, last, planTopology(plan));
				io.out(
					bottleneck
						? `bottleneck: ${bottleneck.name}: ${bottleneck.reason}`
						: 'bottleneck: none (no edge was backpressured: the run kept up with its sources)'
				);
				return EXIT.OK;
			}
			case 'failed': {
				const { stage, message, seq } = outcome.failure;
				const at = seq === null ? '' : ` at batch ${seq}`;
				io.err(`error: stage '${stage}' failed${at}: ${message.replace(/\s*\n\s*/g, ' ')}`);
				return EXIT.FAILED;
			}
			case 'cancelled':
				io.err(`cancelled after ${cancelledAt()} s`);
				return EXIT.INTERRUPTED;
			case 'invalid':
				splitDiagnostics(outcome.diagnostics, doc).errors.forEach((line) => io.err(line));
				return EXIT.USAGE;
		}
	} finally {
		stopProgress();
		stopSampling();
		stopListening();
		await pool.shutdown();
	}
}
