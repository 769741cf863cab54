// String tests on UTF-8 bytes, never decoding: comparisons (by code point), contains /
// starts_with / ends_with, and length in code points. A literal operand (`region == "EU"`,
// `contains(s, "x")`) arrives as bytes encoded once, when compiled.

import { Node, type Ctx, type StrNode } from './exec-base';
import type { CompareOp } from './exec-num';
import { compareBytes, countCodePoints, equalBytes, includesBytes } from './utf8';
import { andValidity, bitmapBytes, f64, packBits, u8, type BoolVec, type NumVec } from './vectors';

export type StrPredicateOp = 'contains' | 'starts_with' | 'ends_with';

function testCompare(op: CompareOp, c: number): boolean {
	switch (op) {
		case 'eq':
			return c === 0;
		case 'ne':
			return c !== 0;
		case 'lt':
			return c < 0;
		case 'le':
			return c <= 0;
		case 'gt':
			return c > 0;
		case 'ge':
			return c >= 0;
	}
}

/** String comparison by code point; the right side may be a literal's bytes. */
export class StrCompare extends Node<BoolVec> {
	private readonly flags = u8();
	private readonly bits = u8();
	private readonly validOut = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly op: CompareOp,
		readonly left: StrNode,
		readonly right: StrNode | Uint8Array
	) {
		super('bool');
	}

	protected compute(ctx: Ctx): BoolVec {
		const n = ctx.n;
		const t = this.flags.get(n);
		const a = this.left.run(ctx);
		const [ab, ao] = [a.bytes, a.offsets];
		const r = this.right instanceof Uint8Array ? null : this.right.run(ctx);
		const bb = r ? r.bytes : (this.right as Uint8Array);
		const bo = r ? r.offsets : null;
		const op = this.op;
		if (op === 'eq' || op === 'ne') {
			const want = op === 'eq' ? 1 : 0;
			for (let i = 0; i < n; i++) {
				const bs = bo ? bo[i] : 0;
				const be = bo ? bo[i + 1] : bb.length;
				t[i] = equalBytes(ab, ao[i], ao[i + 1], bb, bs, be) ? want : 1 - want;
			}
		} else {
			for (let i = 0; i < n; i++) {
				const c = bo
					? compareBytes(ab, ao[i], ao[i + 1], bb, bo[i], bo[i + 1])
					: compareBytes(ab, ao[i], ao[i + 1], bb, 0, bb.length);
				t[i] = testCompare(op, c) ? 1 : 0;
			}
		}
		const bits = this.bits.get(bitmapBytes(n));
		packBits(t, bits, n);
		this.vec.bits = bits;
		this.vec.valid = r ? andValidity(a.valid, r.valid, this.validOut, n) : a.valid;
		return this.vec;
	}
}

/** contains / starts_with / ends_with; the needle may be a literal's bytes. */
export class StrPredicate extends Node<BoolVec> {
	private readonly flags = u8();
	private readonly bits = u8();
	private readonly validOut = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly op: StrPredicateOp,
		readonly hay: StrNode,
		readonly needle: StrNode | Uint8Array
	) {
		super('bool');
	}

	protected compute(ctx: Ctx): BoolVec {
		const n = ctx.n;
		const t = this.flags.get(n);
		const h = this.hay.run(ctx);
		const r = this.needle instanceof Uint8Array ? null : this.needle.run(ctx);
		const nb = r ? r.bytes : (this.needle as Uint8Array);
		for (let i = 0; i < n; i++) {
			const hs = h.offsets[i];
			const he = h.offsets[i + 1];
			const ns = r ? r.offsets[i] : 0;
			const ne = r ? r.offsets[i + 1] : nb.length;
			const m = ne - ns;
			let hit: boolean;
			if (this.op === 'contains') hit = includesBytes(h.bytes, hs, he, nb, ns, ne);
			else if (m > he - hs) hit = false;
			else if (this.op === 'starts_with') hit = equalBytes(h.bytes, hs, hs + m, nb, ns, ne);
			else hit = equalBytes(h.bytes, he - m, he, nb, ns, ne);
			t[i] = hit ? 1 : 0;
		}
		const bits = this.bits.get(bitmapBytes(n));
		packBits(t, bits, n);
		this.vec.bits = bits;
		this.vec.valid = r ? andValidity(h.valid, r.valid, this.validOut, n) : h.valid;
		return this.vec;
	}
}

/** length(s): code points, counted on the bytes. */
export class StrLength extends Node<NumVec> {
	private readonly out = f64();
	private readonly vec: NumVec = { values: new Float64Array(0), valid: null };

	constructor(readonly arg: StrNode) {
		super('int');
	}

	protected compute(ctx: Ctx): NumVec {
		const s = this.arg.run(ctx);
		const o = this.out.get(ctx.n);
		for (let i = 0; i < ctx.n; i++) o[i] = countCodePoints(s.bytes, s.offsets[i], s.offsets[i + 1]);
		this.vec.values = o;
		this.vec.valid = s.valid;
		return this.vec;
	}
}
