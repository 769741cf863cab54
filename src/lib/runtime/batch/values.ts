// One value of a raw column view (readColumns, FrameWriter.column), for code that works row at
// a time: previews, tests, expression fallbacks. Kernels read the typed arrays directly.
//
// Strings in a SharedArrayBuffer: Chromium's TextDecoder.decode rejects views of shared memory
// ("The provided ArrayBufferView value must not be shared"). stringAt therefore copies a shared
// string's bytes into a module-level non-shared scratch buffer (grown to the longest string
// seen, never shrunk; one per thread, as module state is) and decodes the copy. Non-shared
// views are decoded in place. Allocates the returned string and two small views per call.
import type { ColumnView } from '../contracts';
import { bitAt, isShared } from './bits';

const decoder = new TextDecoder('utf-8');
let scratch = new Uint8Array(256);

/** Whether row `row` of `col` is null. */
export function isNullAt(col: ColumnView, row: number): boolean {
	return col.validity !== null && !bitAt(col.validity, row);
}

/** The string at `row` of a utf8 column, or null; works on SharedArrayBuffer views everywhere. */
export function stringAt(col: ColumnView, row: number): string | null {
	if (col.offsets === null) throw new TypeError(`stringAt needs a utf8 column, got ${col.type}`);
	if (isNullAt(col, row)) return null;
	const start = col.offsets[row];
	const length = col.offsets[row + 1] - start;
	if (length === 0) return '';
	const bytes = col.values as Uint8Array;
	if (!isShared(bytes.buffer)) return decoder.decode(bytes.subarray(start, start + length));
	if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
	scratch.set(bytes.subarray(start, start + length));
	return decoder.decode(scratch.subarray(0, length));
}

/**
 * The value at `row` of `col`, or null: a number for 8-32-bit ints, floats and date32 (days
 * since the epoch, as stored), a bigint for int64, uint64 and timestamp (ms since the epoch, as
 * stored), a boolean for bool, a string for utf8. (Arrow's `Vector.get` instead returns ms
 * numbers for date32 and timestamp.)
 */
export function valueAt(col: ColumnView, row: number): number | bigint | boolean | string | null {
	if (isNullAt(col, row)) return null;
	switch (col.type) {
		case 'bool':
			return bitAt(col.values as Uint8Array, row);
		case 'utf8':
			return stringAt(col, row);
		default:
			return col.values[row];
	}
}
