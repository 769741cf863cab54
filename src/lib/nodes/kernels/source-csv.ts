// The kernel that reads a CSV source into frames: bytes from a ChunkSource, parsed by the
// streaming CsvParser, copied into pool blocks with writeBatch. Used by the CSV node and by the
// 'cities' sample dataset.
//
// One worker thread; produce() never blocks. Each call does one of: write one parsed batch into
// a block (answering 'blocked' when the pool has none), or feed the parser up to
// CHUNKS_PER_CALL chunks until it completes a batch, answering 'blocked' while the bytes are
// still on their way (the host then parks 1 ms and retries, and yields its event loop to the
// fetch pump every ~20 ms). Parsed batches wait in `pending` (a few at most: a chunk completes
// at most a chunk's worth of rows).
//
// Schema: the compiler fixed the output schema before the run (probe + overrides), so every
// column's type is forced on the parser; a file whose header no longer matches fails the run.
//
// Several instances (a source paired with a partitioned chain): each reads the share
// source-range.ts gives it. An instance reading a byte range that starts mid-file gets the
// schema's names instead of a header. It cannot number lines itself, so when it meets a bad
// row it re-reads the bytes before its range once to turn its line number into the file's.
// A split instance that meets a line break inside a quoted field fails the run (the split
// may have cut that field), naming `parallel: false` as the way to read such a file.
// Progress: each instance reports the bytes it took of its share (the whole file, or its byte
// range, so a split file's instances add up to its size) through source-progress.ts.
// Parsed batches are cut into frames and copied into pool blocks by source-emit.ts's
// PendingBatches, as every file source's are: no frame exceeds `frameLimit(budget)`, which stays
// below the pool's largest block class for that budget.
import type { BatchView } from '../../runtime/contracts';
import type { SourceSample } from '../../runtime/source-report';
import type { FrameSchema } from '../../runtime/batch/types';
import type { Kernel, KernelSetup } from '../../runtime/scheduler/kernel';
import { CsvError, CsvParser, shiftLines, type CsvOptions } from '../csv';
import { openChunks, type ChunkSource } from './source-bytes';
import { locateSource } from './source-locate';
import { frameLimit, PendingBatches } from './source-emit';
import { ByteProgress } from './source-progress';
import { linesBefore, planShare, SPLIT_SAMPLE_BYTES, type CsvShare } from './source-range';
import { sourceMessages } from '../formats/source-param';

/** Chunks fed to the parser per produce() call before it yields with 'more'. */
const CHUNKS_PER_CALL = 8;

export interface CsvReadSpec {
	/** The `source` param as the user wrote it (named in messages). */
	source: string;
	/** Parser options; `types` and `formats` are replaced by the schema's. */
	options: CsvOptions;
	/** The output schema the plan expects. */
	schema: FrameSchema;
	/**
	 * Split a local file between the instances by bytes. Off by default: then instance 0 reads
	 * everything, whatever `setup.instances` says (callers that skip instances > 0 rely on it).
	 */
	parallel?: boolean;
}

/** The run-failing message of a split instance that met a line break inside quotes. */
export function quotedBreakMessage(source: string, start: number, end: number): string {
	return (
		`'${source}' has a quoted field spanning lines (found in bytes ${start}–${end}, past the ` +
		`first ${SPLIT_SAMPLE_BYTES / 1024} KiB that were checked), so it cannot be split between ` +
		`workers: set parallel: false on this CSV node to read it on one worker`
	);
}

/** A source kernel streaming `spec.source` as CSV into frames of `spec.schema`. */
export function csvReadKernel(spec: CsvReadSpec, setup: KernelSetup): Kernel {
	const { source, schema } = spec;
	const types = Object.fromEntries(schema.names.map((name, i) => [name, schema.types[i]]));
	// The text form of dates the probe found (or the `types` override named): same for every
	// instance, so a split file reads 12/06/1998 alike in every range.
	const formats = Object.fromEntries(
		(schema.formats ?? []).flatMap((f, i) => (f === null ? [] : [[schema.names[i], f]]))
	);
	let parser: CsvParser | null = null;
	let chunks: ChunkSource | null = null;
	let share: CsvShare | null = null;
	const pending = new PendingBatches(schema, frameLimit(setup.budgetBytes), source);
	let inputDone = false;
	let checked = false;
	const progress = new ByteProgress();

	function parse(step: () => BatchView[]): void {
		let batches: BatchView[];
		try {
			batches = step();
		} catch (error) {
			if (error instanceof CsvError) throw new Error(csvFailure(error), { cause: error });
			throw error;
		}
		if (share?.kind === 'range' && parser!.quotedLineBreaks() > 0)
			throw new Error(quotedBreakMessage(source, share.start, share.end));
		if (!checked && parser!.schema()) checkHeader(parser!.schema()!.names);
		for (const b of batches) pending.push(b);
	}

	/** The message of a bad row, with the file's line number when the range starts mid-file. */
	function csvFailure(error: CsvError): string {
		if (share?.kind !== 'range') return `'${source}' ${error.message}`;
		const { path, start, end } = share;
		if (parser!.quotedLineBreaks() > 0) return quotedBreakMessage(source, start, end);
		if (start === 0) return `'${source}' ${error.message}`;
		const before = linesBefore(path, start, spec.options);
		if (!before.aligned) return quotedBreakMessage(source, 0, start);
		return `'${source}' ${shiftLines(error.message, before.lines)}`;
	}

	/** Opens this instance's share of the source; false when it has nothing to read. */
	function open(batchRows: number): boolean {
		const location = locateSource(source);
		share = planShare(
			location,
			setup.instance,
			setup.instances,
			spec.parallel ?? false,
			spec.options
		);
		if (share.kind === 'nothing') return false;
		const midFile = share.kind === 'range' && share.start > 0;
		parser = new CsvParser({
			...spec.options,
			types,
			formats,
			batchRows,
			columns: midFile ? schema.names : undefined,
			startOffset: midFile && share.kind === 'range' ? share.start : undefined
		});
		chunks = share.kind === 'range' ? share.chunks : openChunks(location);
		return true;
	}

	function checkHeader(names: string[]): void {
		checked = true;
		if (names.length === schema.names.length && names.every((n, i) => n === schema.names[i]))
			return;
		throw new Error(sourceMessages.columnsChanged(source, names, schema.names));
	}

	return {
		produce(ctx) {
			if (pending.length > 0) return pending.writeNext(ctx);
			if (inputDone) return 'done';
			if (parser === null && !open(ctx.batchRows)) {
				inputDone = true;
				return 'done';
			}
			for (let k = 0; k < CHUNKS_PER_CALL && pending.length === 0; k++) {
				const chunk = chunks!.poll();
				if (chunk !== null) {
					progress.add(chunk.length);
					parse(() => parser!.push(chunk));
					continue;
				}
				if (!chunks!.ended) {
					progress.report(ctx, chunks!.totalBytes);
					return 'blocked';
				}
				parse(() => parser!.finish());
				inputDone = true;
				progress.report(ctx, chunks!.totalBytes, true);
				chunks!.close();
				if (!checked) checkHeader(parser!.schema()?.names ?? []);
				break;
			}
			if (!inputDone) progress.report(ctx, chunks!.totalBytes);
			if (pending.length > 0) return pending.writeNext(ctx);
			return inputDone ? 'done' : 'more';
		},
		report() {
			const report = parser?.report() ?? null;
			if (report === null || share?.kind !== 'range' || share.start === 0) return report;
			// A range that starts mid-file numbers its lines from 1: make them the file's.
			const before = linesBefore(share.path, share.start, spec.options);
			if (!before.aligned) return report;
			const shift = (s: SourceSample): SourceSample =>
				s.line === undefined
					? s
					: { ...s, line: s.line + before.lines, message: shiftLines(s.message, before.lines) };
			return { issues: report.issues.map((i) => ({ ...i, samples: i.samples.map(shift) })) };
		},
		dispose() {
			chunks?.close();
			pending.clear();
		}
	};
}
