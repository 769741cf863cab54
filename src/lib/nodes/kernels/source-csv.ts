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
// Frames are cut so no frame exceeds `frameLimit(budget)`, which stays below the pool's largest
// block class for that budget.
import { NO_BLOCK, type BatchView, type ColumnView } from '../../runtime/contracts';
import { countZeroBits } from '../../runtime/batch/bits';
import type { FrameSchema } from '../../runtime/batch/types';
import { measureBatch, writeBatch } from '../../runtime/batch/write-batch';
import type {
	Kernel,
	KernelContext,
	KernelSetup,
	KernelStep
} from '../../runtime/scheduler/kernel';
import { CsvError, CsvParser, shiftLines, type CsvOptions } from '../csv';
import { openChunks, type ChunkSource } from './source-bytes';
import { locateSource } from './source-locate';
import { ByteProgress } from './source-progress';
import { linesBefore, planShare, SPLIT_SAMPLE_BYTES, type CsvShare } from './source-range';

/** Chunks fed to the parser per produce() call before it yields with 'more'. */
const CHUNKS_PER_CALL = 8;

/** Largest frame a source writes for a run of `budgetBytes` (half the smallest max block class). */
export function frameLimit(budgetBytes: number): number {
	return Math.max(32 * 1024, Math.min(4 * 1024 * 1024, Math.floor(budgetBytes / 16)));
}

/** Rows [start, end) of a batch as views over the same arrays; `start` is a multiple of 8. */
export function sliceBatch(view: BatchView, start: number, end: number): BatchView {
	const rows = end - start;
	const columns = view.columns.map((col): ColumnView => {
		const validity = col.validity?.subarray(start >>> 3, (end + 7) >>> 3) ?? null;
		const nullCount = validity === null ? 0 : countZeroBits(validity, rows);
		if (col.type === 'utf8')
			return {
				...col,
				length: rows,
				nullCount,
				validity,
				offsets: col.offsets!.subarray(start, end + 1)
			};
		const values =
			col.type === 'bool'
				? col.values.subarray(start >>> 3, (end + 7) >>> 3)
				: col.values.subarray(start, end);
		return { ...col, length: rows, nullCount, validity, values };
	});
	return { length: rows, columns };
}

export interface CsvReadSpec {
	/** The `source` param as the user wrote it (named in messages). */
	source: string;
	/** Parser options; `types` are replaced by the schema's. */
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
	const limit = frameLimit(setup.budgetBytes);
	let parser: CsvParser | null = null;
	let chunks: ChunkSource | null = null;
	let share: CsvShare | null = null;
	let pending: BatchView[] = [];
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
		for (const b of batches) if (b.length > 0) pending.push(b);
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
			batchRows,
			columns: midFile ? schema.names : undefined
		});
		chunks = share.kind === 'range' ? share.chunks : openChunks(location);
		return true;
	}

	function checkHeader(names: string[]): void {
		checked = true;
		if (names.length === schema.names.length && names.every((n, i) => n === schema.names[i]))
			return;
		throw new Error(
			`the columns of '${source}' changed since its schema was read: the file has ` +
				`${names.join(', ')}; the pipeline expects ${schema.names.join(', ')} (reload the source)`
		);
	}

	/** Writes pending[0] (or its first slice that fits a frame) into a block. */
	function writeFirst(ctx: KernelContext): KernelStep {
		let batch = pending[0];
		let bytes = measureBatch(batch, schema);
		let rows = batch.length;
		while (bytes > limit) {
			if (rows <= 8)
				throw new Error(
					`a row of '${source}' is too large for a ${limit}-byte frame: raise the memory budget`
				);
			rows = Math.max(8, (rows >>> 1) & ~7);
			batch = sliceBatch(pending[0], 0, rows);
			bytes = measureBatch(batch, schema);
		}
		const block = ctx.pool.tryAcquire(bytes);
		if (block === NO_BLOCK) return 'blocked';
		const pool = ctx.pool;
		const written = writeBatch(
			batch,
			schema,
			pool.bufferOf(block),
			pool.offsetOf(block),
			pool.capacityOf(block)
		);
		if (written < 0) {
			pool.release(block);
			throw new Error(
				`a frame of ${bytes} bytes did not fit its ${pool.capacityOf(block)}-byte block`
			);
		}
		ctx.emit(0, block, written, rows);
		if (rows === pending[0].length) pending.shift();
		else pending[0] = sliceBatch(pending[0], rows, pending[0].length);
		return 'more';
	}

	return {
		produce(ctx) {
			if (pending.length > 0) return writeFirst(ctx);
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
			if (pending.length > 0) return writeFirst(ctx);
			return inputDone ? 'done' : 'more';
		},
		dispose() {
			chunks?.close();
			pending = [];
		}
	};
}
