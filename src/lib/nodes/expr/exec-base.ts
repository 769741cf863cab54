// Evaluation nodes: each one turns its children's whole-batch vectors into its own, with a
// loop per operator over typed arrays (never a walk of the tree per row). A node runs once per
// batch even when several parents share it (`x in (1, 2, 3)` reads x once): `run` remembers
// the epoch of the batch it last computed. Nodes keep their output buffers between batches.
// This file: the base class, the input-column readers and the constants.

import type { ColumnView } from '../../runtime/contracts';
import { exprMessages as msg } from './messages';
import type { ExprType } from './types';
import { SAFE, maxAbs, typeBound } from './int64';
import {
	bitmapBytes,
	f64,
	i32,
	i64,
	u8,
	type BoolVec,
	type NumVec,
	type StrVec,
	type Vec
} from './vectors';

export interface Ctx {
	/** Distinct for every evaluation (and every constant fold). */
	epoch: number;
	/** Rows in the batch. */
	n: number;
	columns: readonly ColumnView[];
}

let epochs = 0;
export const nextEpoch = (): number => ++epochs;

export abstract class Node<V extends Vec = Vec> {
	private epoch = -1;
	private last: V | undefined;

	constructor(readonly type: ExprType) {}

	run(ctx: Ctx): V {
		if (this.epoch !== ctx.epoch || this.last === undefined) {
			this.last = this.compute(ctx);
			this.epoch = ctx.epoch;
		}
		return this.last;
	}

	protected abstract compute(ctx: Ctx): V;
}

export type NumNode = Node<NumVec>;
export type BoolNode = Node<BoolVec>;
export type StrNode = Node<StrVec>;

const validityOf = (col: ColumnView): Uint8Array | null =>
	col.nullCount === 0 ? null : col.validity;

const TWO_POW_32 = 4294967296;

/** A numeric input column as float64 (ints, dates in days, timestamps in ms). */
export class ColumnNum extends Node<NumVec> {
	private readonly out = f64();
	private words: Int32Array | null = null;
	private wordsOf: ArrayBufferLike | null = null;
	private readonly vec: NumVec = { values: new Float64Array(0), valid: null };

	constructor(
		type: ExprType,
		readonly index: number
	) {
		super(type);
	}

	protected compute(ctx: Ctx): NumVec {
		const col = ctx.columns[this.index];
		const v = col.values;
		const n = ctx.n;
		this.vec.valid = validityOf(col);
		this.vec.exact = null;
		this.vec.bound = undefined;
		if (v instanceof Float64Array) {
			this.vec.values = v;
			return this.vec;
		}
		const out = this.out.get(n);
		if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
			// Read the 64-bit words as two int32 halves: no BigInt per row. Exact below 2^53.
			if (v.buffer !== this.wordsOf) {
				this.words = new Int32Array(v.buffer, 0, v.buffer.byteLength >>> 2);
				this.wordsOf = v.buffer;
			}
			const words = this.words!;
			const base = v.byteOffset >>> 2;
			if (v instanceof BigInt64Array) {
				for (let i = 0; i < n; i++) {
					out[i] = words[base + 2 * i + 1] * TWO_POW_32 + (words[base + 2 * i] >>> 0);
				}
			} else {
				for (let i = 0; i < n; i++) {
					out[i] = (words[base + 2 * i + 1] >>> 0) * TWO_POW_32 + (words[base + 2 * i] >>> 0);
				}
			}
			// Values of 2^53 or more are rounded above: operators read the column itself instead.
			// (A null row's junk counts too: it only costs a needless exact pass.)
			const m = maxAbs(out, n);
			if (m >= SAFE) this.vec.exact = n === v.length ? v : v.subarray(0, n);
			else this.vec.bound = m;
		} else {
			for (let i = 0; i < n; i++) out[i] = v[i];
			this.vec.bound = typeBound(v as ArrayLike<number>);
		}
		this.vec.values = out;
		return this.vec;
	}
}

export class ColumnBool extends Node<BoolVec> {
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(readonly index: number) {
		super('bool');
	}

	protected compute(ctx: Ctx): BoolVec {
		const col = ctx.columns[this.index];
		this.vec.bits = col.values as Uint8Array;
		this.vec.valid = validityOf(col);
		return this.vec;
	}
}

export class ColumnStr extends Node<StrVec> {
	private readonly vec: StrVec = {
		bytes: new Uint8Array(0),
		offsets: new Int32Array(1),
		valid: null
	};

	constructor(readonly index: number) {
		super('string');
	}

	protected compute(ctx: Ctx): StrVec {
		const col = ctx.columns[this.index];
		this.vec.bytes = col.values as Uint8Array;
		this.vec.offsets = col.offsets!;
		this.vec.valid = validityOf(col);
		return this.vec;
	}
}

/** All-null validity of n rows, refilled only when the view changes. */
class NullBits {
	private readonly scratch = u8();
	private last: Uint8Array | null = null;

	get(n: number): Uint8Array {
		const v = this.scratch.get(bitmapBytes(n));
		if (v !== this.last) v.fill(0);
		this.last = v;
		return v;
	}
}

/** A literal or folded value, repeated over the batch when an operator needs it as a vector. */
export class ConstNum extends Node<NumVec> {
	private readonly values = f64();
	private readonly exact = i64();
	private readonly nulls = new NullBits();
	private filled: Float64Array | null = null;
	private readonly vec: NumVec = { values: new Float64Array(0), valid: null, exact: null };

	constructor(
		type: ExprType,
		readonly value: number | null,
		/** An int of 2^53 or more, exactly; null otherwise. */
		readonly big: bigint | null = null
	) {
		super(type);
	}

	protected compute(ctx: Ctx): NumVec {
		const values = this.values.get(ctx.n);
		if (values !== this.filled) {
			values.fill(this.value ?? 0);
			if (this.big !== null) this.vec.exact = this.exact.get(ctx.n).fill(this.big);
		}
		this.filled = values;
		this.vec.values = values;
		this.vec.bound = this.big === null ? Math.abs(this.value ?? 0) : undefined;
		this.vec.valid = this.value === null ? this.nulls.get(ctx.n) : null;
		return this.vec;
	}
}

export class ConstBool extends Node<BoolVec> {
	private readonly bits = u8();
	private readonly nulls = new NullBits();
	private filled: Uint8Array | null = null;
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly value: boolean | null,
		type: ExprType = 'bool'
	) {
		super(type);
	}

	protected compute(ctx: Ctx): BoolVec {
		const bits = this.bits.get(bitmapBytes(ctx.n));
		if (bits !== this.filled) bits.fill(this.value ? 0xff : 0);
		this.filled = bits;
		this.vec.bits = bits;
		this.vec.valid = this.value === null ? this.nulls.get(ctx.n) : null;
		return this.vec;
	}
}

const encoder = new TextEncoder();

/** Most bytes a string vector can address (its offsets are int32). */
export const MAX_STRING_BYTES = 2 ** 31 - 1;

/** `unit` repeated `times` times into `out`: one copy of the unit, then doubling copies. */
function repeatInto(out: Uint8Array, unit: Uint8Array, times: number): void {
	const total = unit.length * times;
	if (total === 0) return;
	out.set(unit, 0);
	for (let done = unit.length; done < total; done *= 2) {
		out.copyWithin(done, 0, Math.min(done, total - done));
	}
}

export class ConstStr extends Node<StrVec> {
	/** The UTF-8 bytes, encoded once, for kernels that compare against a literal. */
	readonly utf8: Uint8Array;
	private readonly bytes = u8();
	private readonly offsets = i32();
	private readonly nulls = new NullBits();
	private filled: Int32Array | null = null;
	private readonly vec: StrVec = {
		bytes: new Uint8Array(0),
		offsets: new Int32Array(1),
		valid: null
	};

	constructor(readonly value: string | null) {
		super('string');
		this.utf8 = encoder.encode(value ?? '');
	}

	protected compute(ctx: Ctx): StrVec {
		const n = ctx.n;
		const len = this.utf8.length;
		// A string vector addresses its bytes with int32 offsets: refuse, never wrap.
		if (n * len > MAX_STRING_BYTES) throw new RangeError(msg.constantTooLarge(len, n));
		const offsets = this.offsets.get(n + 1);
		// Filled once per batch size, not per batch: a run of equal batches reuses these bytes.
		if (offsets !== this.filled) {
			const bytes = this.bytes.get(n * len);
			repeatInto(bytes, this.utf8, n);
			for (let i = 0; i <= n; i++) offsets[i] = i * len;
			this.vec.bytes = bytes;
		}
		this.filled = offsets;
		this.vec.offsets = offsets;
		this.vec.valid = this.value === null ? this.nulls.get(n) : null;
		return this.vec;
	}
}
