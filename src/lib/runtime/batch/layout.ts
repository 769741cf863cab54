// Byte layout of a batch frame: one record batch in a region of a (Shared)ArrayBuffer, in
// practice a pool block's payload `(buffer, byteOffset, capacity)`.
//
// Threads: one producer writes a frame (FrameWriter or writeBatch) with plain stores; it is
// published by the ring push that carries its block handle and byteLength (the ring's
// Atomics.store of its tail is the release; the consumer's Atomics.load of it is the acquire).
// After that the frame is immutable: consumers (one or several, sharing the block through its
// reference count) only read it, and nothing in a frame is read or written with Atomics.
//
// All numbers are int32 in the platform's byte order (little-endian on every engine we run
// on); every offset is a byte offset from the frame's start, and the frame's start is 8-byte
// aligned in its buffer, so every buffer is 8-byte aligned in the ArrayBuffer too (a
// BigInt64Array/Float64Array view needs that).
//
//   header, HEADER_BYTES = 32 (8 int32 slots)
//     H_MAGIC        FRAME_MAGIC, the bytes 'SLBF'
//     H_VERSION      FRAME_VERSION
//     H_ROWS         rows in the batch
//     H_COLUMNS      columns in the batch (must equal the reader's schema)
//     H_BYTE_LENGTH  bytes of the whole frame (header + directory + buffers + padding)
//     slots 5..7     reserved, written 0
//   directory, DIR_ENTRY_BYTES = 32 (8 int32 slots) per column, right after the header
//     D_TYPE               type code (types.ts: index in COLUMN_TYPES + 1)
//     D_NULL_COUNT         nulls among the rows; 0 when the column has no validity bitmap
//     D_VALIDITY_OFFSET    validity bitmap (LSB first, 1 = valid), or 0 when there is none
//     D_VALIDITY_BYTES     ceil(rows / 8), or 0
//     D_OFFSETS_OFFSET     utf8 only: rows + 1 Int32 offsets into the values (first 0); else 0
//     D_OFFSETS_BYTES      (rows + 1) * 4, or 0
//     D_VALUES_OFFSET      values: rows * width bytes, bool bit-packed, utf8 the UTF-8 bytes
//     D_VALUES_BYTES       bytes of values in use (utf8: offsets[rows])
//   buffers, column by column (validity, offsets, values), each starting 8-byte aligned.
//   The *_BYTES are exact for H_ROWS, utf8 offsets start at 0, and buffers come in that order
//   without overlap: the reader insists on all of it, so a corrupt directory is an error.
//
// A writer may reserve more than it uses (FrameWriter reserves rowCapacity rows and a utf8
// byte capacity, then finishes with fewer): H_BYTE_LENGTH covers the reservation, the
// directory's *_BYTES say what is in use. Nothing here allocates except planFrame's caller.
import type { ColumnType } from '../contracts';
import { fixedValueBytes, typeCode } from './types';
import type { FrameSchema } from './types';

/** 'SLBF' read as a little-endian int32. */
export const FRAME_MAGIC = 0x46424c53;
export const FRAME_VERSION = 1;
/** Alignment of the frame start and of every buffer in it. */
export const FRAME_ALIGN = 8;
/** Offsets and lengths are int32: no frame may reach 2 GiB. */
export const MAX_FRAME_BYTES = 0x7ffffff8;

export const HEADER_SLOTS = 8;
export const HEADER_BYTES = HEADER_SLOTS * 4;
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_ROWS = 2;
export const H_COLUMNS = 3;
export const H_BYTE_LENGTH = 4;

export const DIR_SLOTS = 8;
export const DIR_ENTRY_BYTES = DIR_SLOTS * 4;
export const D_TYPE = 0;
export const D_NULL_COUNT = 1;
export const D_VALIDITY_OFFSET = 2;
export const D_VALIDITY_BYTES = 3;
export const D_OFFSETS_OFFSET = 4;
export const D_OFFSETS_BYTES = 5;
export const D_VALUES_OFFSET = 6;
export const D_VALUES_BYTES = 7;

/** `n` rounded up to a multiple of FRAME_ALIGN. */
export function align8(n: number): number {
	return Math.ceil(n / FRAME_ALIGN) * FRAME_ALIGN;
}

/** Bytes of the header plus the directory of a frame with `columns` columns. */
export function directoryEnd(columns: number): number {
	return HEADER_BYTES + columns * DIR_ENTRY_BYTES;
}

/**
 * Places every buffer of a frame and returns the frame's total bytes (a multiple of 8).
 * `utf8Bytes[i]` is the value-byte capacity of column i when it is utf8 (missing: 0);
 * `withValidity` is one flag for all columns or one per column. When `dir` is given (at least
 * columns * DIR_SLOTS entries) the directory entries are written to it with D_NULL_COUNT 0 and
 * D_VALUES_BYTES set to the capacity; nothing else is written and nothing is allocated.
 */
export function planFrame(
	types: readonly ColumnType[],
	rows: number,
	utf8Bytes: ArrayLike<number | undefined> | undefined,
	withValidity: boolean | ArrayLike<boolean | undefined> | undefined,
	dir: Int32Array | null
): number {
	let at = directoryEnd(types.length);
	const validityBytes = (rows + 7) >>> 3;
	for (let i = 0; i < types.length; i++) {
		const type = types[i];
		const hasValidity =
			typeof withValidity === 'boolean' ? withValidity : withValidity?.[i] === true;
		const e = i * DIR_SLOTS;
		if (dir !== null) {
			dir[e + D_TYPE] = typeCode(type);
			dir[e + D_NULL_COUNT] = 0;
			dir[e + D_VALIDITY_OFFSET] = hasValidity ? at : 0;
			dir[e + D_VALIDITY_BYTES] = hasValidity ? validityBytes : 0;
		}
		if (hasValidity) at += align8(validityBytes);
		let valueBytes: number;
		if (type === 'utf8') {
			if (dir !== null) {
				dir[e + D_OFFSETS_OFFSET] = at;
				dir[e + D_OFFSETS_BYTES] = (rows + 1) * 4;
			}
			at += align8((rows + 1) * 4);
			valueBytes = utf8Bytes?.[i] ?? 0;
		} else {
			if (dir !== null) dir[e + D_OFFSETS_OFFSET] = dir[e + D_OFFSETS_BYTES] = 0;
			valueBytes = fixedValueBytes(type, rows);
		}
		if (dir !== null) {
			dir[e + D_VALUES_OFFSET] = at;
			dir[e + D_VALUES_BYTES] = valueBytes;
		}
		at += align8(valueBytes);
	}
	return at;
}

/**
 * Bytes a frame of `rows` rows needs: `utf8Bytes[i]` is the UTF-8 byte count of column i when
 * it is utf8 (indexed by column, entries of other columns ignored; missing means 0), and
 * `withValidity[i]` whether column i carries a validity bitmap (default: none do).
 */
export function frameBytes(
	schema: FrameSchema,
	rows: number,
	utf8Bytes?: number[],
	withValidity?: boolean[]
): number {
	if (!Number.isInteger(rows) || rows < 0)
		throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
	return planFrame(schema.types, rows, utf8Bytes, withValidity, null);
}
