// Boolean operators, eight rows at a time on the bit-packed values and validity.
// Three-valued logic per bit: with T = valid & value and F = valid & ~value for each side,
//   a and b: true = Ta & Tb, known (valid) = true | Fa | Fb     (false and null = false)
//   a or b:  true = Ta | Tb, known (valid) = true | (Fa & Fb)   (true or null = true)
// `not` flips the values and keeps the validity (not null = null); `is null` reads validity
// only and is never null.

import { Node, type BoolNode, type Ctx } from './exec-base';
import { andValidity, bitmapBytes, u8, type BoolVec, type Vec } from './vectors';

export class Logic extends Node<BoolVec> {
	private readonly bits = u8();
	private readonly validOut = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly op: 'and' | 'or',
		readonly left: BoolNode,
		readonly right: BoolNode
	) {
		super('bool');
	}

	protected compute(ctx: Ctx): BoolVec {
		const a = this.left.run(ctx);
		const b = this.right.run(ctx);
		const bytes = bitmapBytes(ctx.n);
		const bits = this.bits.get(bytes);
		const [ab, bb, av, bv] = [a.bits, b.bits, a.valid, b.valid];
		const and = this.op === 'and';
		if (av === null && bv === null) {
			if (and) for (let j = 0; j < bytes; j++) bits[j] = ab[j] & bb[j];
			else for (let j = 0; j < bytes; j++) bits[j] = ab[j] | bb[j];
			this.vec.valid = null;
		} else {
			const valid = this.validOut.get(bytes);
			for (let j = 0; j < bytes; j++) {
				const ma = av === null ? 0xff : av[j];
				const mb = bv === null ? 0xff : bv[j];
				const ta = ma & ab[j];
				const tb = mb & bb[j];
				const fa = ma & ~ab[j];
				const fb = mb & ~bb[j];
				const t = and ? ta & tb : ta | tb;
				bits[j] = t;
				valid[j] = and ? t | fa | fb : t | (fa & fb);
			}
			this.vec.valid = valid;
		}
		this.vec.bits = bits;
		return this.vec;
	}
}

export class Not extends Node<BoolVec> {
	private readonly bits = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(readonly arg: BoolNode) {
		super('bool');
	}

	protected compute(ctx: Ctx): BoolVec {
		const a = this.arg.run(ctx);
		const bytes = bitmapBytes(ctx.n);
		const bits = this.bits.get(bytes);
		for (let j = 0; j < bytes; j++) bits[j] = ~a.bits[j];
		this.vec.bits = bits;
		this.vec.valid = a.valid;
		return this.vec;
	}
}

/** `x is null` / `x is not null` over any vector: reads only its validity. */
export class IsNull extends Node<BoolVec> {
	private readonly bits = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly arg: Node<Vec>,
		readonly negated: boolean
	) {
		super('bool');
	}

	protected compute(ctx: Ctx): BoolVec {
		const v = this.arg.run(ctx).valid;
		const bytes = bitmapBytes(ctx.n);
		const bits = this.bits.get(bytes);
		if (v === null) bits.fill(this.negated ? 0xff : 0);
		else if (this.negated) for (let j = 0; j < bytes; j++) bits[j] = v[j];
		else for (let j = 0; j < bytes; j++) bits[j] = ~v[j];
		this.vec.bits = bits;
		return this.vec;
	}
}

/** bool == bool and bool != bool. */
export class BoolCompare extends Node<BoolVec> {
	private readonly bits = u8();
	private readonly validOut = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly op: 'eq' | 'ne',
		readonly left: BoolNode,
		readonly right: BoolNode
	) {
		super('bool');
	}

	protected compute(ctx: Ctx): BoolVec {
		const a = this.left.run(ctx);
		const b = this.right.run(ctx);
		const bytes = bitmapBytes(ctx.n);
		const bits = this.bits.get(bytes);
		if (this.op === 'eq') for (let j = 0; j < bytes; j++) bits[j] = ~(a.bits[j] ^ b.bits[j]);
		else for (let j = 0; j < bytes; j++) bits[j] = a.bits[j] ^ b.bits[j];
		this.vec.bits = bits;
		this.vec.valid = andValidity(a.valid, b.valid, this.validOut, ctx.n);
		return this.vec;
	}
}
