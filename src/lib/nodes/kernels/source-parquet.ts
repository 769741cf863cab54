// The kernel that reads a Parquet source into frames, one row group at a time: hyparquet reads
// the footer, then for each row group only the chosen columns' chunks (byte ranges of a local
// file or HTTP Range requests, parquet/parquet-buffer.ts), decodes them, and the values are
// coerced into batches of `batchRows` rows (formats/column-build.ts) that PendingBatches copies
// into pool blocks. At most READ_AHEAD batches wait decoded, plus the row group being read.
//
// The decoding runs on the worker's event loop (AsyncPump): produce() never blocks, answering
// 'blocked' while the next row group is on its way. Only instance 0 reads.
import { parquetMetadataAsync, parquetRead, type FileMetaData } from 'hyparquet';
import type { BatchView } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import type { Kernel, KernelSetup } from '../../runtime/scheduler/kernel';
import { BatchBuilder } from '../formats/column-build';
import { openRangeBuffer } from '../parquet/parquet-buffer';
import { PARQUET_PARSERS, parquetFrameSchema } from '../parquet/parquet-types';
import { frameLimit } from './source-csv';
import { PendingBatches } from './source-emit';
import { AsyncPump } from './source-async';
import { locateSource } from './source-locate';

const READ_AHEAD = 4;

export interface ParquetReadSpec {
	source: string;
	/** The output schema: the columns read, in this order. */
	schema: FrameSchema;
}

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
			throw new Error(
				`the columns of '${spec.source}' changed since its schema was read: the file has ` +
					`${file.names.join(', ')}; the pipeline expects ${spec.schema.names.join(', ')} (reload the source)`
			);
	}
}

async function* parquetBatches(
	spec: ParquetReadSpec,
	batchRows: number
): AsyncGenerator<BatchView> {
	const { source, schema } = spec;
	const buffer = await openRangeBuffer(locateSource(source));
	try {
		const metadata = await parquetMetadataAsync(buffer, { parsers: PARQUET_PARSERS });
		checkColumns(metadata, spec);
		let groupStart = 0;
		for (let g = 0; g < metadata.row_groups.length; g++) {
			const rows = Number(metadata.row_groups[g].num_rows);
			const pieces = new Map<string, { rowStart: number; data: Values }[]>(
				schema.names.map((n) => [n, []])
			);
			try {
				await parquetRead({
					file: buffer,
					metadata,
					columns: schema.names,
					rowStart: groupStart,
					rowEnd: groupStart + rows,
					parsers: PARQUET_PARSERS,
					onChunk: ({ columnName, columnData, rowStart }) =>
						pieces.get(columnName)?.push({ rowStart, data: columnData as Values })
				});
			} catch (error) {
				const why = error instanceof Error ? error.message : String(error);
				throw new Error(`'${source}' row group ${g}: ${why}`, { cause: error });
			}
			const columns = schema.names.map((n) => joined(pieces.get(n)!));
			pieces.clear();
			for (let at = 0; at < rows; at += batchRows) {
				const n = Math.min(batchRows, rows - at);
				const builder = new BatchBuilder(schema, n);
				builder.columns.forEach((column, c) => {
					const values = columns[c];
					for (let r = at; r < at + n; r++) {
						const refusal = column.push(values[r]);
						if (refusal !== null)
							throw new Error(
								`'${source}' row ${groupStart + r}, column '${schema.names[c]}': ${refusal}`
							);
					}
				});
				yield builder.take();
			}
			groupStart += rows;
		}
	} finally {
		buffer.close();
	}
}

export function parquetReadKernel(spec: ParquetReadSpec, setup: KernelSetup): Kernel {
	const pending = new PendingBatches(spec.schema, frameLimit(setup.budgetBytes), spec.source);
	let pump: AsyncPump<BatchView> | null = null;
	let done = setup.instance > 0;
	return {
		produce(ctx) {
			if (pending.length > 0) return pending.writeNext(ctx);
			if (done) return 'done';
			pump ??= new AsyncPump(parquetBatches(spec, ctx.batchRows), READ_AHEAD);
			const batch = pump.poll();
			if (batch === undefined) {
				if (!pump.done) return 'blocked';
				done = true;
				return 'done';
			}
			pending.push(batch);
			return pending.length > 0 ? pending.writeNext(ctx) : 'more';
		},
		dispose() {
			pump?.stop();
			pending.clear();
		}
	};
}
