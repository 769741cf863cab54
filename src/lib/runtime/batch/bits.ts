// Bit and view helpers shared by the frame writer and reader. Nothing here allocates except
// `valuesView` (one typed-array view per call) and the 256-byte table built at load.
import type { ColumnType, ColumnValues } from '../contracts';

/** Set bits of each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >>> 1];

/** Zero bits among the first `bits` bits of `bitmap` (bit i = byte i>>3, bit i&7): the nulls. */
export function countZeroBits(bitmap: Uint8Array, bits: number): number {
	const full = bits >>> 3;
	let ones = 0;
	for (let i = 0; i < full; i++) ones += POPCOUNT[bitmap[i]];
	const rest = bits & 7;
	if (rest !== 0) ones += POPCOUNT[bitmap[full] & ((1 << rest) - 1)];
	return bits - ones;
}

/** Whether bit `i` of an LSB-first bitmap is set. */
export function bitAt(bitmap: Uint8Array, i: number): boolean {
	return (bitmap[i >>> 3] & (1 << (i & 7))) !== 0;
}

/**
 * Copies `bits` bits starting at bit `srcBit` of `src` to `dst` starting at bit 0, writing
 * exactly ceil(bits / 8) bytes of `dst` (bits past `bits` in the last byte are zero).
 */
export function copyBits(src: Uint8Array, srcBit: number, dst: Uint8Array, bits: number): void {
	const bytes = (bits + 7) >>> 3;
	const shift = srcBit & 7;
	const first = srcBit >>> 3;
	if (shift === 0) {
		for (let i = 0; i < bytes; i++) dst[i] = src[first + i];
	} else {
		const last = (srcBit + bits - 1) >>> 3;
		for (let i = 0; i < bytes; i++) {
			const lo = src[first + i] >>> shift;
			const hi = first + i + 1 <= last ? (src[first + i + 1] << (8 - shift)) & 0xff : 0;
			dst[i] = lo | hi;
		}
	}
	const rest = bits & 7;
	if (rest !== 0) dst[bytes - 1] &= (1 << rest) - 1;
}

/** Whether `buffer` is a SharedArrayBuffer (false where the platform has none). */
export function isShared(buffer: ArrayBufferLike): boolean {
	return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
}

/** A values view of `type` over `length` elements at `byteOffset` (must be aligned for it). */
export function valuesView(
	type: ColumnType,
	buffer: ArrayBufferLike,
	byteOffset: number,
	length: number
): ColumnValues {
	switch (type) {
		case 'int8':
			return new Int8Array(buffer, byteOffset, length);
		case 'int16':
			return new Int16Array(buffer, byteOffset, length);
		case 'int32':
		case 'date32':
			return new Int32Array(buffer, byteOffset, length);
		case 'int64':
		case 'timestamp':
			return new BigInt64Array(buffer, byteOffset, length);
		case 'uint8':
		case 'bool':
		case 'utf8':
			return new Uint8Array(buffer, byteOffset, length);
		case 'uint16':
			return new Uint16Array(buffer, byteOffset, length);
		case 'uint32':
			return new Uint32Array(buffer, byteOffset, length);
		case 'uint64':
			return new BigUint64Array(buffer, byteOffset, length);
		case 'float32':
			return new Float32Array(buffer, byteOffset, length);
		case 'float64':
			return new Float64Array(buffer, byteOffset, length);
	}
}
