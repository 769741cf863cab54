// writeBatch / measureBatch: copy a whole batch that already exists (raw BatchView columns or
// an apache-arrow RecordBatch, e.g. from an Arrow IPC or Parquet source) into a frame.
//
// Thread: whichever thread produces the batch; plain writes, published later by the ring push
// (see layout.ts). The frame is written only once it is known to fit: never a partial frame.
// Allocates a few small arrays and typed-array views per call (not a kernel hot path; kernels
// write with FrameWriter instead).
import { Data, RecordBatch } from 'apache-arrow';
import type { BatchView, ColumnType } from '../contracts';
import { copyBits, countZeroBits } from './bits';
import {
	D_NULL_COUNT,
	D_OFFSETS_OFFSET,
	D_VALIDITY_BYTES,
	D_VALIDITY_OFFSET,
	D_VALUES_OFFSET,
	DIR_SLOTS,
	FRAME_ALIGN,
	FRAME_MAGIC,
	FRAME_VERSION,
	H_BYTE_LENGTH,
	H_COLUMNS,
	H_MAGIC,
	H_ROWS,
	H_VERSION,
	HEADER_SLOTS,
	MAX_FRAME_BYTES,
	planFrame
} from './layout';
import { checkFrameSchema, elementBytes, fromArrowType, type FrameSchema } from './types';

/** One source column in Arrow's own convention (see apache-arrow's get visitor). */
interface SourceColumn {
	type: ColumnType;
	/** Bit offset of row 0 in `validity` and, for bool, in `values`. */
	bitOffset: number;
	validity: Uint8Array | null;
	/** utf8: row r spans values[offsets[r] .. offsets[r + 1]] (offsets already start at row 0). */
	offsets: Int32Array | null;
	/** Fixed width: element 0 is row 0. bool: bit-packed from `bitOffset`. */
	values: ArrayBufferView;
	nulls: number;
	utf8Bytes: number;
}

type AnyBatch = BatchView | RecordBatch;

function sourceColumns(
	batch: AnyBatch,
	schema: FrameSchema
): { rows: number; cols: SourceColumn[] } {
	checkFrameSchema(schema);
	const isArrow = batch instanceof RecordBatch;
	const rows = isArrow ? batch.numRows : batch.length;
	const count = isArrow ? batch.numCols : batch.columns.length;
	if (count !== schema.types.length)
		throw new TypeError(`batch has ${count} columns but the schema has ${schema.types.length}`);
	const cols = schema.types.map((want, i): SourceColumn => {
		const name = `column ${i} '${schema.names[i]}'`;
		let col: Omit<SourceColumn, 'nulls' | 'utf8Bytes'> & { length: number };
		if (isArrow) {
			const data = batch.data.children[i] as Data;
			const got = fromArrowType(data.type);
			if (got !== want)
				throw new TypeError(`${name} is Arrow ${String(data.type)}, the schema says ${want}`);
			const bitmap = data.nullBitmap;
			col = {
				type: want,
				length: data.length,
				bitOffset: data.offset,
				validity: bitmap !== undefined && bitmap.length > 0 ? bitmap : null,
				offsets: want === 'utf8' ? (data.valueOffsets as Int32Array) : null,
				values: data.values as ArrayBufferView
			};
		} else {
			const view = batch.columns[i];
			if (view.type !== want)
				throw new TypeError(`${name} is ${view.type}, the schema says ${want}`);
			col = { ...view, bitOffset: 0 };
		}
		if (col.length !== rows)
			throw new TypeError(`${name} has ${col.length} rows, the batch ${rows}`);
		const nulls = col.validity === null ? 0 : countNulls(col.validity, col.bitOffset, rows);
		let utf8Bytes = 0;
		let valueBytes: number;
		if (want === 'utf8') {
			const offsets = col.offsets;
			if (offsets === null || offsets.length < rows + 1)
				throw new TypeError(`${name} needs ${rows + 1} offsets`);
			utf8Bytes = offsets[rows] - offsets[0];
			valueBytes = offsets[rows];
		} else {
			valueBytes = want === 'bool' ? (col.bitOffset + rows + 7) >>> 3 : rows * elementBytes(want);
		}
		if (col.values.byteLength < valueBytes || utf8Bytes < 0)
			throw new TypeError(`${name} has ${col.values.byteLength} value bytes, needs ${valueBytes}`);
		return { ...col, nulls, utf8Bytes };
	});
	return { rows, cols };
}

function countNulls(validity: Uint8Array, bitOffset: number, rows: number): number {
	if ((bitOffset & 7) === 0) return countZeroBits(validity.subarray(bitOffset >>> 3), rows);
	let nulls = 0;
	for (let r = 0; r < rows; r++) {
		const bit = bitOffset + r;
		if ((validity[bit >>> 3] & (1 << (bit & 7))) === 0) nulls++;
	}
	return nulls;
}

function plan(cols: SourceColumn[], rows: number, dir: Int32Array | null): number {
	return planFrame(
		cols.map((c) => c.type),
		rows,
		cols.map((c) => c.utf8Bytes),
		cols.map((c) => c.nulls > 0),
		dir
	);
}

/** Bytes `writeBatch` needs for `batch` (columns without nulls get no validity bitmap). */
export function measureBatch(batch: AnyBatch, schema: FrameSchema): number {
	const { rows, cols } = sourceColumns(batch, schema);
	return plan(cols, rows, null);
}

function bytesOf(view: ArrayBufferView, first: number, count: number): Uint8Array {
	return new Uint8Array(view.buffer, view.byteOffset + first, count);
}

/**
 * Copies `batch` into a frame at `byteOffset` (a multiple of 8) of `buffer`. Returns the
 * frame's byteLength, or -1, writing nothing, when it needs more than `capacity` bytes.
 * TypeError when the batch does not match `schema`.
 */
export function writeBatch(
	batch: AnyBatch,
	schema: FrameSchema,
	buffer: ArrayBufferLike,
	byteOffset: number,
	capacity: number
): number {
	if (byteOffset % FRAME_ALIGN !== 0 || byteOffset < 0)
		throw new RangeError(`byteOffset must be a non-negative multiple of 8, got ${byteOffset}`);
	if (capacity < 0 || byteOffset + capacity > buffer.byteLength)
		throw new RangeError(
			`capacity ${capacity} at byteOffset ${byteOffset} runs past the buffer's ${buffer.byteLength} bytes`
		);
	const { rows, cols } = sourceColumns(batch, schema);
	const total = plan(cols, rows, null);
	if (total > Math.min(capacity, MAX_FRAME_BYTES)) return -1;
	const dir = new Int32Array(cols.length * DIR_SLOTS);
	plan(cols, rows, dir);
	const out = new Uint8Array(buffer, byteOffset, total);
	for (let i = 0; i < cols.length; i++) {
		const col = cols[i];
		const e = i * DIR_SLOTS;
		dir[e + D_NULL_COUNT] = col.nulls;
		if (col.nulls > 0) {
			const at = dir[e + D_VALIDITY_OFFSET];
			copyBits(
				col.validity as Uint8Array,
				col.bitOffset,
				out.subarray(at, at + dir[e + D_VALIDITY_BYTES]),
				rows
			);
		}
		const valuesAt = dir[e + D_VALUES_OFFSET];
		if (col.type === 'utf8') {
			const src = col.offsets as Int32Array;
			const first = src[0];
			const offsets = new Int32Array(buffer, byteOffset + dir[e + D_OFFSETS_OFFSET], rows + 1);
			for (let r = 0; r <= rows; r++) offsets[r] = src[r] - first;
			out.set(bytesOf(col.values, first, col.utf8Bytes), valuesAt);
		} else if (col.type === 'bool') {
			copyBits(
				col.values as Uint8Array,
				col.bitOffset,
				out.subarray(valuesAt, valuesAt + ((rows + 7) >>> 3)),
				rows
			);
		} else {
			const width = (col.values as Uint8Array).BYTES_PER_ELEMENT;
			out.set(bytesOf(col.values, 0, rows * width), valuesAt);
		}
	}
	const header = new Int32Array(buffer, byteOffset, HEADER_SLOTS);
	header.fill(0);
	header[H_MAGIC] = FRAME_MAGIC;
	header[H_VERSION] = FRAME_VERSION;
	header[H_ROWS] = rows;
	header[H_COLUMNS] = cols.length;
	header[H_BYTE_LENGTH] = total;
	new Int32Array(buffer, byteOffset + header.byteLength, dir.length).set(dir);
	return total;
}
