// Exact 64-bit integer arithmetic beside the float64 fast path. Ints are evaluated as doubles,
// which are exact below 2^53; a node whose batch holds a value of 2^53 or more in magnitude (an
// input above it, or a result that reached it) recomputes that batch's rows with BigInt and hands
// the exact values on (NumVec.exact). Any int result outside int64 is an IntOverflow, never a
// wrapped or rounded value. The check is one comparison per row on the float results; the BigInt
// path runs only for batches that need it.

import { getBit, type NumVec } from './vectors';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
/** Below this magnitude a double holds an integer exactly (and so does every sum of two). */
export const SAFE = 2 ** 53;

/** An int result outside int64, at `row` of the batch; CompiledExpr names the row's values. */
export class IntOverflow extends Error {
	constructor(
		message: string,
		readonly row: number
	) {
		super(message);
		this.name = 'IntOverflow';
	}
}

/** Whether any of the first n values is 2^53 or more in magnitude (NaN is not). */
export function anyWide(values: Float64Array, n: number): boolean {
	for (let i = 0; i < n; i++) {
		const x = values[i];
		if (x >= SAFE || x <= -SAFE) return true;
	}
	return false;
}

/** The largest |value| of the first n values. */
export function maxAbs(values: Float64Array, n: number): number {
	let m = 0;
	for (let i = 0; i < n; i++) {
		const x = values[i];
		const a = x < 0 ? -x : x;
		if (a > m) m = a;
	}
	return m;
}

/** The bound on |value| a vector carries; Infinity when unknown. */
export const boundOf = (v: NumVec | null, scalar: number): number =>
	v === null ? Math.abs(scalar) : (v.bound ?? Infinity);

/** Largest |value| an integer typed array can hold, for 8- to 32-bit columns. */
export function typeBound(values: ArrayLike<number>): number | undefined {
	if (values instanceof Int8Array) return 128;
	if (values instanceof Uint8Array) return 255;
	if (values instanceof Int16Array) return 32768;
	if (values instanceof Uint16Array) return 65535;
	if (values instanceof Int32Array) return 2 ** 31;
	if (values instanceof Uint32Array) return 2 ** 32;
	return undefined;
}

/** Row i of an int vector, exactly; 0 for a value that is not an integer (a null row's junk). */
export function exactAt(vec: NumVec, i: number): bigint {
	if (vec.exact) return BigInt(vec.exact[i]);
	const x = vec.values[i];
	return Number.isInteger(x) ? BigInt(x) : 0n;
}

export const isRowValid = (valid: Uint8Array | null, i: number): boolean =>
	valid === null || getBit(valid, i);

export const inInt64 = (x: bigint): boolean => x >= INT64_MIN && x <= INT64_MAX;
