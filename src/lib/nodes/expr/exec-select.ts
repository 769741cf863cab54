// if(c, a, b) and coalesce(a, b): both evaluate their branches over the whole batch, then pick
// per row with a bit mask: if takes `a` where c is true (a null condition takes `b`); coalesce
// takes `a` where a is valid. coalesce(a, b, c) is coalesce(coalesce(a, b), c).

import { Node, type BoolNode, type Ctx } from './exec-base';
import { StrBuilder } from './strbuild';
import type { ExprType } from './types';
import { IntOverflow, exactAt, inInt64, isRowValid } from './int64';
import { exprMessages as msg } from './messages';
import {
	bitmapBytes,
	f64,
	i64,
	u8,
	type BoolVec,
	type NumVec,
	type StrVec,
	type Vec
} from './vectors';

/** Which rows take the first branch, or null for "all of them". */
function takeFirst(
	cond: BoolVec | null,
	first: Vec,
	bytes: number,
	out: Uint8Array
): Uint8Array | null {
	if (cond === null) return first.valid;
	if (cond.valid === null) return cond.bits;
	for (let j = 0; j < bytes; j++) out[j] = cond.bits[j] & cond.valid[j];
	return out;
}

/** Validity of the picked rows: (mask & va) | (~mask & vb). */
function pickValidity(
	mask: Uint8Array,
	va: Uint8Array | null,
	vb: Uint8Array | null,
	bytes: number,
	out: Uint8Array
): Uint8Array | null {
	if (va === null && vb === null) return null;
	for (let j = 0; j < bytes; j++) {
		const m = mask[j];
		out[j] = (m & (va === null ? 0xff : va[j])) | (~m & (vb === null ? 0xff : vb[j]));
	}
	return out;
}

abstract class Select<V extends Vec> extends Node<V> {
	protected readonly maskOut = u8();
	protected readonly validOut = u8();

	/** `cond` null makes this a coalesce. */
	constructor(
		type: ExprType,
		readonly cond: BoolNode | null,
		readonly first: Node<V>,
		readonly second: Node<V>
	) {
		super(type);
	}

	protected compute(ctx: Ctx): V {
		const bytes = bitmapBytes(ctx.n);
		const c = this.cond ? this.cond.run(ctx) : null;
		const a = this.first.run(ctx);
		const b = this.second.run(ctx);
		const mask = takeFirst(c, a, bytes, this.maskOut.get(bytes));
		if (mask === null) return a;
		const valid = pickValidity(mask, a.valid, b.valid, bytes, this.validOut.get(bytes));
		return this.pick(mask, a, b, valid, ctx.n);
	}

	protected abstract pick(mask: Uint8Array, a: V, b: V, valid: Uint8Array | null, n: number): V;
}

export class SelectNum extends Select<NumVec> {
	private readonly out = f64();
	private readonly exact = i64();
	private readonly vec: NumVec = { values: new Float64Array(0), valid: null, exact: null };

	protected pick(mask: Uint8Array, a: NumVec, b: NumVec, valid: Uint8Array | null, n: number) {
		const o = this.out.get(n);
		const [av, bv] = [a.values, b.values];
		for (let i = 0; i < n; i++) o[i] = (mask[i >>> 3] >>> (i & 7)) & 1 ? av[i] : bv[i];
		this.vec.values = o;
		this.vec.valid = valid;
		this.vec.exact = null;
		this.vec.bound = Math.max(a.bound ?? Infinity, b.bound ?? Infinity);
		if (a.exact || b.exact) {
			// Ints of 2^53 or more stay exact through if and coalesce.
			const ex = this.exact.get(n);
			for (let i = 0; i < n; i++) {
				const v = exactAt((mask[i >>> 3] >>> (i & 7)) & 1 ? a : b, i);
				// A uint64 above int64's range cannot be an int result.
				if (!inInt64(v) && isRowValid(valid, i)) throw new IntOverflow(msg.intOverflow(`${v}`), i);
				ex[i] = inInt64(v) ? v : 0n;
			}
			this.vec.exact = ex;
		}
		return this.vec;
	}
}

export class SelectBool extends Select<BoolVec> {
	private readonly out = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	protected pick(mask: Uint8Array, a: BoolVec, b: BoolVec, valid: Uint8Array | null, n: number) {
		const bytes = bitmapBytes(n);
		const o = this.out.get(bytes);
		for (let j = 0; j < bytes; j++) o[j] = (mask[j] & a.bits[j]) | (~mask[j] & b.bits[j]);
		this.vec.bits = o;
		this.vec.valid = valid;
		return this.vec;
	}
}

export class SelectStr extends Select<StrVec> {
	private readonly out = new StrBuilder();
	private readonly vec: StrVec = {
		bytes: new Uint8Array(0),
		offsets: new Int32Array(1),
		valid: null
	};

	protected pick(mask: Uint8Array, a: StrVec, b: StrVec, valid: Uint8Array | null, n: number) {
		const out = this.out;
		out.begin(n);
		for (let i = 0; i < n; i++) {
			const src = (mask[i >>> 3] >>> (i & 7)) & 1 ? a : b;
			out.append(src.bytes, src.offsets[i], src.offsets[i + 1]);
			out.endRow(i);
		}
		this.vec.bytes = out.bytes;
		this.vec.offsets = out.offsets;
		this.vec.valid = valid;
		return this.vec;
	}
}
