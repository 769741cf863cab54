// The kernel that reads a Parquet source into frames, one row group at a time: hyparquet reads
// the footer, then for each row group only the chosen columns' chunks (byte ranges of a local
// file or HTTP Range requests, parquet/parquet-buffer.ts), decodes them, and the values are
// coerced into batches of `batchRows` rows (formats/column-build.ts) that PendingBatches copies
// into pool blocks. At most READ_AHEAD batches wait decoded, plus the row group being read.
//
// The decoding runs on the worker's event loop (AsyncPump): produce() never blocks, answering
// 'blocked' while the next row group is on its way.
//
// Several instances (a source paired with a partitioned chain): each reads the footer, then
// only the row groups parquet/row-group-split.ts gives it, in file order; an instance given
// none emits nothing. Rows keep their order within an instance; across instances, as for a
// split CSV, a partitioned chain promises no order. Columns the source cannot read are
// reported by instance 0 alone, so the merged report counts each once.
//
// Progress: the distinct bytes fetched so far that fall in this instance's share (ByteRanges:
// hyparquet's footer prefetch and the column chunks may overlap, and RangeBuffer.bytesRead
// counts both), plus the bytes of ranges still streaming in (RangeBuffer.arriving: a large row
// group moves the bar while it downloads), of its share: the whole file (its stat, its Blob's
// size, or the Content-Range of the first Range probe) when it reads alone, else the bytes of
// its row groups (instance 0 also owns the footer), so the instances' shares add up to the
// file. Nothing is reported before the footer says what the share is. Column projection skips
// the chunks of columns not read, so a run that reads some of the columns ends below its share.
import {
	parquetMetadataAsync,
	parquetRead,
	parquetSchema,
	type AsyncBuffer,
	type FileMetaData,
	type SchemaElement
} from 'hyparquet';
import type { BatchView, ColumnType, ColumnView } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import type { Kernel, KernelContext, KernelSetup } from '../../runtime/scheduler/kernel';
import { ColumnBuilder } from '../formats/column-build';
import { decoderReason } from '../formats/decoder-reason';
import { ByteRanges } from '../parquet/byte-ranges';
import { openRangeBuffer, type RangeBuffer } from '../parquet/parquet-buffer';
import { PARQUET_COMPRESSORS } from '../parquet/parquet-codecs';
import { chunkRange, decodeChunk, fastReadable, Unsupported } from '../parquet/page-decode';
import {
	PARQUET_PARSERS,
	parquetFrameSchema,
	parquetMessages,
	unreadableColumns
} from '../parquet/parquet-types';
import { rowGroupShare } from '../parquet/row-group-split';
import { ruledOutBy } from '../parquet/row-group-stats';
import { conditionText, type ColumnCondition } from '../row-conditions';
import { SourceReportBuilder } from '../../runtime/source-report';
import { sourceMessages } from '../formats/source-param';
import { quoteUntrusted, untrusted } from '../formats/untrusted-text';
import { frameLimit, PendingBatches, sliceColumn } from './source-emit';
import { AsyncPump } from './source-async';
import { locateSource } from './source-locate';
import { ByteProgress } from './source-progress';

const READ_AHEAD = 4;

export interface ParquetReadSpec {
	source: string;
	/** The output schema: the columns read, in this order. */
	schema: FrameSchema;
	/**
	 * The source reads every column it can (no `columns` param): the columns it cannot read are
	 * counted as dropped in its report. A chosen list leaves nothing out unasked.
	 */
	readsAll?: boolean;
	/**
	 * Conditions every row that matters satisfies (the filters downstream): a row group whose
	 * statistics rule one out is not read, and the report counts it.
	 */
	where?: readonly ColumnCondition[];
}

/** Longest decoder text quoted into a message. */
const MAX_REASON_CHARS = 160;

type Values = ArrayLike<unknown>;

/** The pieces of one column (pages, in row order) as one array. */
function joined(pieces: { rowStart: number; data: Values }[]): Values {
	pieces.sort((a, b) => a.rowStart - b.rowStart);
	if (pieces.length === 1) return pieces[0].data;
	const out: unknown[] = [];
	for (const p of pieces) for (let i = 0; i < p.data.length; i++) out.push(p.data[i]);
	return out;
}

function checkColumns(metadata: FileMetaData, spec: ParquetReadSpec): void {
	const file = parquetFrameSchema(metadata, spec.source);
	for (let i = 0; i < spec.schema.names.length; i++) {
		const at = file.names.indexOf(spec.schema.names[i]);
		if (at < 0 || file.types[at] !== spec.schema.types[i])
			throw new Error(sourceMessages.columnsChanged(spec.source, file.names, spec.schema.names));
	}
}

/** The file being read, for the kernel's progress reports (set once it is open). */
export interface Opened {
	buffer: RangeBuffer | null;
	fetched: ByteRanges;
	/** This instance's share of the file's bytes, once the footer was read. */
	share: ByteRanges | null;
	report: SourceReportBuilder;
}

/** Which instance of how many reads: one reads the whole file. */
export interface ReadPart {
	instance: number;
	instances: number;
}

const WHOLE: ReadPart = { instance: 0, instances: 1 };

/** `buffer` as hyparquet reads it, noting each range once its bytes came. */
function counted(buffer: RangeBuffer, fetched: ByteRanges): AsyncBuffer {
	return {
		byteLength: buffer.byteLength,
		slice(start: number, end?: number) {
			const note = (bytes: ArrayBuffer) => {
				fetched.add(start, start + bytes.byteLength);
				return bytes;
			};
			const got = buffer.slice(start, end);
			return got instanceof Promise ? got.then(note) : note(got);
		}
	};
}

function damaged(source: string, group: number, error: unknown): Error {
	const why = untrusted(decoderReason(error, 'its pages are damaged'), MAX_REASON_CHARS);
	return new Error(`'${source}' row group ${group}: ${why}`, { cause: error });
}

/**
 * One row group's column decoded by the fast decoder (parquet/page-decode.ts), or null when it
 * cannot (a type, nesting or encoding it does not read): hyparquet reads that chunk instead.
 */
async function fastColumn(
	file: AsyncBuffer,
	chunks: FileMetaData['row_groups'][number]['columns'],
	element: SchemaElement | undefined,
	type: ColumnType,
	rows: number
): Promise<ColumnView | null> {
	if (!element || !fastReadable(element, type)) return null;
	const chunk = chunks.find(
		(c) =>
			c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === element.name
	);
	const meta = chunk?.meta_data;
	if (!meta || chunk.file_path) return null;
	const [start, end] = chunkRange(meta);
	const bytes = new Uint8Array(await file.slice(start, end));
	try {
		return decodeChunk(bytes, meta, element, type, rows);
	} catch (error) {
		if (error instanceof Unsupported) return null;
		throw error;
	}
}

/** Where a row group's data starts in the file (its first column chunk). */
function groupOffset(group: FileMetaData['row_groups'][number]): number | undefined {
	const meta = group.columns[0]?.meta_data;
	return meta ? chunkRange(meta)[0] : undefined;
}

/**
 * The batches of a Parquet source, decoded in this thread (the kernel, and bench/parquet-read):
 * those of the row groups `part` reads (parquet/row-group-split.ts).
 */
export async function* parquetBatches(
	spec: ParquetReadSpec,
	batchRows: number,
	opened: Opened,
	part: ReadPart = WHOLE
): AsyncGenerator<BatchView> {
	const { source, schema } = spec;
	const buffer = await openRangeBuffer(locateSource(source));
	opened.buffer = buffer;
	const file = counted(buffer, opened.fetched);
	try {
		const metadata = await parquetMetadataAsync(file, { parsers: PARQUET_PARSERS });
		checkColumns(metadata, spec);
		const share = rowGroupShare(metadata, buffer.byteLength, part.instance, part.instances);
		opened.share = share.bytes;
		if (spec.readsAll && part.instance === 0)
			for (const column of unreadableColumns(metadata))
				opened.report.add('unsupported-column', 'dropped', {
					column: column.name,
					message: parquetMessages.dropped(column)
				});
		const elements = new Map<string, SchemaElement>(
			parquetSchema(metadata).children.map((c) => [c.element.name, c.element])
		);
		// Fast batches are sliced from whole-chunk columns: a multiple of 8 rows keeps bits aligned.
		const step = Math.max(8, batchRows - (batchRows % 8));
		// The first row of each group in the file (hyparquet's row numbers, and the messages').
		const groupStarts: number[] = [];
		for (let g = 0, at = 0; g < metadata.row_groups.length; g++) {
			groupStarts.push(at);
			at += Number(metadata.row_groups[g].num_rows);
		}
		for (const g of share.groups) {
			const group = metadata.row_groups[g];
			const groupStart = groupStarts[g];
			const rows = Number(group.num_rows);
			const out = spec.where ? ruledOutBy(group, spec.where, elements) : null;
			if (out) {
				opened.report.add('statistics', 'not-read', {
					offset: groupOffset(group),
					message: parquetMessages.groupSkipped(g, rows, untrusted(conditionText(out)))
				});
				continue;
			}
			const fast: (ColumnView | null)[] = [];
			const slow: string[] = [];
			for (let c = 0; c < schema.names.length; c++) {
				const name = schema.names[c];
				let decoded: ColumnView | null;
				try {
					decoded = await fastColumn(
						file,
						group.columns,
						elements.get(name),
						schema.types[c],
						rows
					);
				} catch (error) {
					throw damaged(source, g, error);
				}
				fast.push(decoded);
				if (decoded === null) slow.push(name);
			}
			const pieces = new Map<string, { rowStart: number; data: Values }[]>(
				slow.map((n) => [n, []])
			);
			if (slow.length > 0)
				try {
					await parquetRead({
						file,
						metadata,
						columns: slow,
						rowStart: groupStart,
						rowEnd: groupStart + rows,
						parsers: PARQUET_PARSERS,
						compressors: PARQUET_COMPRESSORS,
						onChunk: ({ columnName, columnData, rowStart }) =>
							pieces.get(columnName)?.push({ rowStart, data: columnData as Values })
					});
				} catch (error) {
					throw damaged(source, g, error);
				}
			const columns = schema.names.map((n, c) => (fast[c] ? null : joined(pieces.get(n)!)));
			pieces.clear();
			for (let at = 0; at < rows; at += step) {
				const n = Math.min(step, rows - at);
				const batch = schema.types.map((type, c): ColumnView => {
					const decoded = fast[c];
					if (decoded) return sliceColumn(decoded, at, at + n);
					const column = new ColumnBuilder(type, n);
					const values = columns[c]!;
					for (let r = at; r < at + n; r++) {
						const refusal = column.push(values[r]);
						if (refusal !== null)
							throw new Error(
								`'${source}' row ${groupStart + r}, column ${quoteUntrusted(schema.names[c])}: ${refusal}`
							);
					}
					return column.build();
				});
				yield { length: n, columns: batch };
			}
		}
	} finally {
		buffer.close();
	}
}

export function parquetReadKernel(spec: ParquetReadSpec, setup: KernelSetup): Kernel {
	const pending = new PendingBatches(spec.schema, frameLimit(setup.budgetBytes), spec.source);
	let pump: AsyncPump<BatchView> | null = null;
	let done = false;
	const part: ReadPart = { instance: setup.instance, instances: setup.instances };
	const opened: Opened = {
		buffer: null,
		fetched: new ByteRanges(),
		share: null,
		report: new SourceReportBuilder()
	};
	const progress = new ByteProgress();
	/** Reports the bytes of its share fetched so far (the count survives the buffer's close). */
	function report(ctx: KernelContext, final = false): void {
		const { buffer, share } = opened;
		if (buffer === null || share === null) return;
		progress.set(Math.min(share.total, opened.fetched.overlap(share) + buffer.arriving));
		progress.report(ctx, share.total, final);
	}
	return {
		produce(ctx) {
			if (pending.length > 0) return pending.writeNext(ctx);
			if (done) return 'done';
			pump ??= new AsyncPump(parquetBatches(spec, ctx.batchRows, opened, part), READ_AHEAD);
			const batch = pump.poll();
			report(ctx);
			if (batch === undefined) {
				if (!pump.done) return 'blocked';
				done = true;
				report(ctx, true);
				return 'done';
			}
			pending.push(batch);
			return pending.length > 0 ? pending.writeNext(ctx) : 'more';
		},
		report() {
			return opened.report.report();
		},
		dispose() {
			pump?.stop();
			pending.clear();
		}
	};
}
