// Reading a batch frame (layout.ts) as raw typed-array views: zero copy, no parse beyond the
// directory. Every view shares the frame's (Shared)ArrayBuffer.
//
// Thread: a consumer that popped the frame's descriptor from a ring (the ring's Atomics.load
// of the tail is the acquire that makes the producer's plain writes visible). The frame is
// immutable from then on; readers never write it. Several consumers may read one frame at once.
//
// Validation: before handing out a view, readColumns checks the magic, version, column count,
// each type code against the schema, and each buffer: exact length for the row count, 8-byte
// aligned, after the directory, after the previous buffer (in order, no overlap), inside the
// frame; null counts against the validity bitmap; utf8 offsets (start at 0, never decrease, end
// at the values' length). So a corrupt header or directory throws a FrameError naming the column
// and what is wrong instead of giving a wrong answer. (Corrupt *data* bytes cannot be told from
// data: that is what the ring's integrity checksum is for.) The checks read each validity bitmap
// and utf8 offsets buffer once.
//
// Allocates the BatchView, its ColumnView objects and their typed-array views.
//
// Strings in browsers: Chromium's TextDecoder rejects views of a SharedArrayBuffer, so decode
// utf8 from these views with stringAt/valueAt (values.ts), which copy into a non-shared
// scratch first. readRecordBatch (record-batch.ts) defaults to utf8: 'auto', which gives Arrow
// a non-shared copy of the string bytes where the platform needs it, so
// `readRecordBatch(...).get(i)` and `vector.get(i)` work there; with utf8: 'shared' they throw
// on utf8 columns in Chromium.
import type { BatchView, ColumnView } from '../contracts';
import { countZeroBits, valuesView } from './bits';
import {
	D_NULL_COUNT,
	D_OFFSETS_BYTES,
	D_OFFSETS_OFFSET,
	D_TYPE,
	D_VALIDITY_BYTES,
	D_VALIDITY_OFFSET,
	D_VALUES_BYTES,
	D_VALUES_OFFSET,
	DIR_SLOTS,
	directoryEnd,
	FRAME_ALIGN,
	FRAME_MAGIC,
	FRAME_VERSION,
	H_BYTE_LENGTH,
	H_COLUMNS,
	H_MAGIC,
	H_ROWS,
	H_VERSION,
	HEADER_BYTES,
	HEADER_SLOTS
} from './layout';
import { fixedValueBytes, typeOfCode, type FrameSchema } from './types';

/** A frame that cannot be read: corrupt, truncated, or written for another schema. */
export class FrameError extends Error {
	override name = 'FrameError';
}

function hex(n: number): string {
	return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** Raw column views of the frame at `byteOffset` (multiple of 8) of `buffer`, zero copy. */
export function readColumns(
	schema: FrameSchema,
	buffer: ArrayBufferLike,
	byteOffset: number,
	byteLength: number
): BatchView {
	if (byteOffset % FRAME_ALIGN !== 0 || byteOffset < 0)
		throw new FrameError(`frame byteOffset ${byteOffset} is not a non-negative multiple of 8`);
	if (byteOffset + byteLength > buffer.byteLength)
		throw new FrameError(
			`frame of ${byteLength} bytes at ${byteOffset} runs past its buffer's ${buffer.byteLength} bytes`
		);
	if (byteLength < HEADER_BYTES)
		throw new FrameError(
			`frame is ${byteLength} bytes, shorter than its ${HEADER_BYTES}-byte header`
		);
	const header = new Int32Array(buffer, byteOffset, HEADER_SLOTS);
	if (header[H_MAGIC] !== FRAME_MAGIC)
		throw new FrameError(
			`frame has bad magic ${hex(header[H_MAGIC])} (expected ${hex(FRAME_MAGIC)})`
		);
	if (header[H_VERSION] !== FRAME_VERSION)
		throw new FrameError(
			`frame has version ${header[H_VERSION]}, this reader reads ${FRAME_VERSION}`
		);
	const rows = header[H_ROWS];
	const columns = header[H_COLUMNS];
	const frameLength = header[H_BYTE_LENGTH];
	if (columns !== schema.types.length)
		throw new FrameError(`frame has ${columns} columns, the schema ${schema.types.length}`);
	if (rows < 0) throw new FrameError(`frame has a negative row count ${rows}`);
	if (frameLength > byteLength)
		throw new FrameError(
			`frame says it is ${frameLength} bytes but only ${byteLength} were given (truncated)`
		);
	const dirEnd = directoryEnd(columns);
	if (frameLength < dirEnd)
		throw new FrameError(
			`frame of ${frameLength} bytes cannot hold its ${columns}-column directory`
		);
	const dir = new Int32Array(buffer, byteOffset + HEADER_BYTES, columns * DIR_SLOTS);

	const out: ColumnView[] = [];
	/** End of the previous buffer: buffers must come in order (validity, offsets, values per column). */
	let cursor = dirEnd;
	for (let i = 0; i < columns; i++) {
		const e = i * DIR_SLOTS;
		const fail = (what: string): never => {
			throw new FrameError(`frame column ${i} '${schema.names[i]}': ${what}`);
		};
		/** Checks one buffer (exact length, aligned, in order, inside the frame); returns its absolute offset. */
		const place = (what: string, offset: number, bytes: number, need: number): number => {
			const verb = what === 'validity' ? 'runs' : 'run';
			if (bytes !== need) fail(`${what} has ${bytes} bytes, ${rows} rows need ${need}`);
			if (offset % FRAME_ALIGN !== 0) fail(`${what} at ${offset} is not 8-byte aligned`);
			if (offset < dirEnd) fail(`${what} at ${offset} overlaps the header or directory`);
			if (offset < cursor) fail(`${what} at ${offset} overlaps the buffer before it`);
			if (offset + bytes > frameLength)
				fail(`${what} ${verb} past the frame end (${offset} + ${bytes} > ${frameLength})`);
			cursor = offset + bytes;
			return byteOffset + offset;
		};
		const want = schema.types[i];
		const type = typeOfCode(dir[e + D_TYPE]);
		if (type !== want)
			fail(`type code ${dir[e + D_TYPE]} (${type ?? 'unknown'}) but the schema says ${want}`);
		const nullCount = dir[e + D_NULL_COUNT];
		const bitmapBytes = (rows + 7) >>> 3;
		let validity: Uint8Array | null = null;
		if (dir[e + D_VALIDITY_OFFSET] !== 0) {
			const at = place(
				'validity',
				dir[e + D_VALIDITY_OFFSET],
				dir[e + D_VALIDITY_BYTES],
				bitmapBytes
			);
			validity = new Uint8Array(buffer, at, bitmapBytes);
			const counted = countZeroBits(validity, rows);
			if (counted !== nullCount)
				fail(`null count ${nullCount} but the validity bitmap has ${counted}`);
		} else if (nullCount !== 0 || dir[e + D_VALIDITY_BYTES] !== 0) {
			fail(`null count ${nullCount} but no validity bitmap`);
		}
		let offsets: Int32Array | null = null;
		let values;
		if (want === 'utf8') {
			const at = place(
				'offsets',
				dir[e + D_OFFSETS_OFFSET],
				dir[e + D_OFFSETS_BYTES],
				(rows + 1) * 4
			);
			offsets = new Int32Array(buffer, at, rows + 1);
			const end = checkOffsets(offsets, fail);
			const valuesAt = place('values', dir[e + D_VALUES_OFFSET], dir[e + D_VALUES_BYTES], end);
			values = new Uint8Array(buffer, valuesAt, end);
		} else {
			if (dir[e + D_OFFSETS_OFFSET] !== 0 || dir[e + D_OFFSETS_BYTES] !== 0)
				fail(`has an offsets buffer but is ${want}`);
			const need = fixedValueBytes(want, rows);
			const at = place('values', dir[e + D_VALUES_OFFSET], dir[e + D_VALUES_BYTES], need);
			values = valuesView(want, buffer, at, want === 'bool' ? need : rows);
		}
		out.push({ type: want, length: rows, nullCount, validity, offsets, values });
	}
	return { length: rows, columns: out };
}

/** Checks that utf8 offsets start at 0 and never decrease; returns the last (the value bytes). */
function checkOffsets(offsets: Int32Array, fail: (what: string) => never): number {
	let prev = offsets[0];
	if (prev !== 0) fail(`offsets[0] is ${prev}, not 0`);
	for (let r = 1; r < offsets.length; r++) {
		const next = offsets[r];
		if (next < prev) fail(`offsets[${r}] = ${next} is below offsets[${r - 1}] = ${prev}`);
		prev = next;
	}
	return prev;
}
