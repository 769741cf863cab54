// `x in (a, b, ...)` against a list of constants: one lookup per row in a set built once at
// compile time, instead of one comparison node per item (a list of 3,000 numbers is one node
// and one pass). Same answers as the `or` of `x == item`: null when x is null, NaN in no set
// (NaN equals nothing), 0 and -0 equal. Strings are matched on their UTF-8 bytes through a
// hash of the bytes, never decoded. Lists with an item that is not a constant compile to a
// balanced `or` of comparisons instead (compile.ts).

import { Node, type Ctx, type NumNode, type StrNode } from './exec-base';
import { equalBytes } from './utf8';
import { bitmapBytes, packBits, u8, type BoolVec } from './vectors';

export class NumInSet extends Node<BoolVec> {
	private readonly set: Set<number>;
	private readonly flags = u8();
	private readonly bits = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly value: NumNode,
		items: readonly number[]
	) {
		super('bool');
		this.set = new Set(items.filter((x) => x === x));
	}

	protected compute(ctx: Ctx): BoolVec {
		const n = ctx.n;
		const x = this.value.run(ctx);
		const a = x.values;
		const t = this.flags.get(n);
		const set = this.set;
		for (let i = 0; i < n; i++) t[i] = +set.has(a[i]);
		const bits = this.bits.get(bitmapBytes(n));
		packBits(t, bits, n);
		this.vec.bits = bits;
		this.vec.valid = x.valid;
		return this.vec;
	}
}

/** FNV-1a over bytes [s, e). */
function hashBytes(bytes: Uint8Array, s: number, e: number): number {
	let h = 0x811c9dc5;
	for (let i = s; i < e; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
	return h >>> 0;
}

export class StrInSet extends Node<BoolVec> {
	/** Items by the hash of their bytes (collisions share a bucket). */
	private readonly buckets = new Map<number, Uint8Array[]>();
	private readonly flags = u8();
	private readonly bits = u8();
	private readonly vec: BoolVec = { bits: new Uint8Array(0), valid: null };

	constructor(
		readonly value: StrNode,
		items: readonly Uint8Array[]
	) {
		super('bool');
		for (const item of items) {
			const h = hashBytes(item, 0, item.length);
			const bucket = this.buckets.get(h);
			if (bucket) bucket.push(item);
			else this.buckets.set(h, [item]);
		}
	}

	protected compute(ctx: Ctx): BoolVec {
		const n = ctx.n;
		const x = this.value.run(ctx);
		const { bytes, offsets } = x;
		const t = this.flags.get(n);
		for (let i = 0; i < n; i++) {
			const s = offsets[i];
			const e = offsets[i + 1];
			const bucket = this.buckets.get(hashBytes(bytes, s, e));
			let hit = 0;
			if (bucket !== undefined) {
				for (const item of bucket) {
					if (equalBytes(bytes, s, e, item, 0, item.length)) {
						hit = 1;
						break;
					}
				}
			}
			t[i] = hit;
		}
		const bits = this.bits.get(bitmapBytes(n));
		packBits(t, bits, n);
		this.vec.bits = bits;
		this.vec.valid = x.valid;
		return this.vec;
	}
}
