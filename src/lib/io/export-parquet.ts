// Parquet export, streamed: rows gathered into row groups of `rowGroupRows` (default 100,000);
// hyparquet-writer encodes each group into our ChunkWriter, whose flush after every group hands
// the group's bytes over, so only one row group is held at a time. The footer comes last.
//
// Types: int8/int16/uint8/uint16/uint32 are INT32 with their integer annotation, int32 INT32,
// int64 INT64, uint64 INT64 UINT_64, float32 FLOAT, float64 DOUBLE, bool BOOLEAN, utf8
// BYTE_ARRAY UTF8, date32 INT32 DATE, timestamp INT64 TIMESTAMP_MILLIS; every column optional.
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import type { ColumnType } from '../runtime/contracts';
import { valueAt } from '../runtime/batch/values';
import type { ExportInput } from './export-input';

export interface ParquetExportOptions {
	rowGroupRows?: number;
}

const ELEMENTS: Record<ColumnType, Omit<SchemaElement, 'name'>> = {
	int8: { type: 'INT32', converted_type: 'INT_8' },
	int16: { type: 'INT32', converted_type: 'INT_16' },
	int32: { type: 'INT32' },
	int64: { type: 'INT64' },
	uint8: { type: 'INT32', converted_type: 'UINT_8' },
	uint16: { type: 'INT32', converted_type: 'UINT_16' },
	uint32: { type: 'INT32', converted_type: 'UINT_32' },
	uint64: { type: 'INT64', converted_type: 'UINT_64' },
	float32: { type: 'FLOAT' },
	float64: { type: 'DOUBLE' },
	bool: { type: 'BOOLEAN' },
	utf8: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
	date32: { type: 'INT32', converted_type: 'DATE' },
	timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }
};

/** A ByteWriter that hands over what it holds at each flush (after every row group). */
class ChunkWriter extends ByteWriter {
	chunks: Uint8Array[] = [];

	flush(): void {
		if (this.index > 0) this.chunks.push(this.getBytes().slice());
		this.index = 0;
	}

	override finish(): void {
		this.flush();
	}
}

/** A value as hyparquet-writer takes it for a column of `type`. */
function cellOf(type: ColumnType, value: ReturnType<typeof valueAt>): unknown {
	if (value === null) return null;
	return type === 'bool' || value !== null ? value : null;
}

export async function* exportParquet(
	input: ExportInput,
	options: ParquetExportOptions = {}
): AsyncGenerator<Uint8Array> {
	const groupRows = options.rowGroupRows ?? 100_000;
	if (!(groupRows >= 1)) throw new RangeError('rowGroupRows must be at least 1');
	const { names, types } = input.schema;
	const schema: SchemaElement[] = [
		{ name: 'root', num_children: names.length },
		...names.map((name, i) => ({
			name,
			repetition_type: 'OPTIONAL' as const,
			...ELEMENTS[types[i]]
		}))
	];
	const out = new ChunkWriter();
	const writer = new ParquetWriter({ writer: out, schema });
	let columns: unknown[][] = names.map(() => []);
	const writeGroup = () => {
		if (columns[0].length === 0) return;
		writer.write({
			columnData: names.map((name, i) => ({ name, data: columns[i] as never })),
			rowGroupSize: columns[0].length
		});
		columns = names.map(() => []);
	};
	const drain = function* () {
		yield* out.chunks;
		out.chunks = [];
	};
	yield* drain();
	for await (const batch of input.batches) {
		for (let r = 0; r < batch.length; r++) {
			for (let c = 0; c < names.length; c++)
				columns[c].push(cellOf(types[c], valueAt(batch.columns[c], r)));
			if (columns[0].length >= groupRows) {
				writeGroup();
				yield* drain();
			}
		}
	}
	writeGroup();
	writer.finish();
	yield* drain();
}
