// The column-at-a-time value forms the evaluator passes between operators, and the reusable
// scratch buffers they live in. Numbers of every kind (int, float, date days, timestamp ms) are
// Float64Array; bools are bit-packed like Arrow; strings are UTF-8 bytes plus Int32 offsets.
// Validity is an Arrow bitmap (LSB first, 1 = valid) or null when every row is valid.
// Ownership: a vector's buffers belong to the node that made it (or to the input batch); a
// consumer reads them and never writes them. Nodes reuse their buffers on the next batch.

export interface NumVec {
	values: Float64Array;
	valid: Uint8Array | null;
	/**
	 * Ints only: the exact 64-bit values, present when some value of the batch is 2^53 or more
	 * in magnitude (where `values` may be rounded). Absent or null: `values` are exact.
	 */
	exact?: BigInt64Array | BigUint64Array | null;
	/**
	 * Ints only: a bound on |value| over the batch, from the column type or the operands' bounds,
	 * so most batches skip the scan for values of 2^53 or more. Absent: unknown.
	 */
	bound?: number;
}

export interface BoolVec {
	bits: Uint8Array;
	valid: Uint8Array | null;
}

export interface StrVec {
	bytes: Uint8Array;
	/** n + 1 entries. */
	offsets: Int32Array;
	valid: Uint8Array | null;
}

export type Vec = NumVec | BoolVec | StrVec;

type Growable = Float64Array | Int32Array | Uint8Array | Uint32Array | BigInt64Array;

/**
 * A buffer that grows to the largest batch seen and hands out a view of exactly n elements.
 * The view is re-made only when n changes, so batches of one size allocate nothing.
 */
export class Scratch<T extends Growable> {
	private backing: T;
	private view: T;

	constructor(private readonly make: (length: number) => T) {
		this.backing = make(0);
		this.view = this.backing;
	}

	get(n: number): T {
		if (this.view.length === n) return this.view;
		if (this.backing.length < n) this.backing = this.make(Math.max(n, this.backing.length * 2));
		this.view = this.backing.subarray(0, n) as T;
		return this.view;
	}
}

export const f64 = () => new Scratch((n) => new Float64Array(n));
export const u8 = () => new Scratch((n) => new Uint8Array(n));
export const i32 = () => new Scratch((n) => new Int32Array(n));
export const i64 = () => new Scratch((n) => new BigInt64Array(n));

export const bitmapBytes = (n: number): number => (n + 7) >>> 3;

export function getBit(bitmap: Uint8Array, i: number): boolean {
	return ((bitmap[i >>> 3] >>> (i & 7)) & 1) === 1;
}

/** Packs one byte per row (0 or 1) into a bitmap. */
export function packBits(flags: Uint8Array, out: Uint8Array, n: number): void {
	const full = n >>> 3;
	let i = 0;
	for (let j = 0; j < full; j++, i += 8) {
		out[j] =
			flags[i] |
			(flags[i + 1] << 1) |
			(flags[i + 2] << 2) |
			(flags[i + 3] << 3) |
			(flags[i + 4] << 4) |
			(flags[i + 5] << 5) |
			(flags[i + 6] << 6) |
			(flags[i + 7] << 7);
	}
	if (i < n) {
		let last = 0;
		for (let k = 0; i < n; i++, k++) last |= flags[i] << k;
		out[full] = last;
	}
}

/** Rows valid in both: returns an input when the other has no nulls, else writes `out`. */
export function andValidity(
	a: Uint8Array | null,
	b: Uint8Array | null,
	out: Scratch<Uint8Array>,
	n: number
): Uint8Array | null {
	if (a === null) return b;
	if (b === null) return a;
	const bytes = bitmapBytes(n);
	const o = out.get(bytes);
	for (let j = 0; j < bytes; j++) o[j] = a[j] & b[j];
	return o;
}

/** Copies a validity bitmap (all-valid when null) so the caller may clear bits in it. */
export function ownValidity(
	valid: Uint8Array | null,
	out: Scratch<Uint8Array>,
	n: number
): Uint8Array {
	const bytes = bitmapBytes(n);
	const o = out.get(bytes);
	if (valid === null) o.fill(0xff);
	else for (let j = 0; j < bytes; j++) o[j] = valid[j];
	return o;
}

/** Number of null rows among the first n. */
export function countNulls(valid: Uint8Array | null, n: number): number {
	if (valid === null) return 0;
	let ones = 0;
	const full = n >>> 3;
	for (let j = 0; j < full; j++) {
		let b = valid[j];
		b = b - ((b >>> 1) & 0x55);
		b = (b & 0x33) + ((b >>> 2) & 0x33);
		ones += (b + (b >>> 4)) & 0x0f;
	}
	for (let i = full << 3; i < n; i++) ones += (valid[i >>> 3] >>> (i & 7)) & 1;
	return n - ones;
}
