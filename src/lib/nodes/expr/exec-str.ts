// String operators that build new strings: lower/upper/trim map ASCII rows byte by byte and
// decode only rows that need it (after copying out of shared memory); substring and concat copy
// byte ranges; to_text formats values for concat.

import { formatDate, formatTimestamp } from './dates';
import { Node, type Ctx, type StrNode } from './exec-base';
import { StrBuilder } from './strbuild';
import { RowDecoder, encodeInto, isAscii, skipCodePoints, writeAscii } from './utf8';
import type { ExprType } from './types';
import {
	andValidity,
	bitmapBytes,
	getBit,
	u8,
	type NumVec,
	type StrVec,
	type Vec
} from './vectors';

const isSpace = (b: number): boolean => b === 32 || (b >= 9 && b <= 13);

/** lower / upper / trim, one row at a time into a builder; ASCII rows never decode. */
export class StrMap extends Node<StrVec> {
	private readonly out = new StrBuilder();
	private readonly decoder = new RowDecoder();
	private readonly vec: StrVec = {
		bytes: new Uint8Array(0),
		offsets: new Int32Array(1),
		valid: null
	};

	constructor(
		readonly op: 'lower' | 'upper' | 'trim',
		readonly arg: StrNode
	) {
		super('string');
	}

	private slow(text: string): void {
		const mapped =
			this.op === 'lower'
				? text.toLowerCase()
				: this.op === 'upper'
					? text.toUpperCase()
					: text.trim();
		this.out.reserve(mapped.length * 3);
		this.out.pos += encodeInto(mapped, this.out.bytes, this.out.pos);
	}

	protected compute(ctx: Ctx): StrVec {
		const n = ctx.n;
		const s = this.arg.run(ctx);
		const [bytes, offsets] = [s.bytes, s.offsets];
		const used = offsets[n];
		const out = this.out;
		out.begin(n);
		this.decoder.reset();
		for (let i = 0; i < n; i++) {
			let start = offsets[i];
			let end = offsets[i + 1];
			if (this.op === 'trim') {
				while (start < end && isSpace(bytes[start])) start++;
				while (end > start && isSpace(bytes[end - 1])) end--;
				if (start < end && (bytes[start] >= 0x80 || bytes[end - 1] >= 0x80)) {
					this.slow(this.decoder.decode(bytes, start, end, used));
				} else out.append(bytes, start, end);
			} else if (isAscii(bytes, start, end)) {
				out.reserve(end - start);
				const o = out.bytes;
				const lower = this.op === 'lower';
				const from = lower ? 65 : 97; // 'A' or 'a'
				const shift = lower ? 32 : -32;
				for (let p = start; p < end; p++) {
					const b = bytes[p];
					o[out.pos++] = b >= from && b < from + 26 ? b + shift : b;
				}
			} else {
				this.slow(this.decoder.decode(bytes, start, end, used));
			}
			out.endRow(i);
		}
		this.vec.bytes = out.bytes;
		this.vec.offsets = out.offsets;
		this.vec.valid = s.valid;
		return this.vec;
	}
}

/** substring(s, start, len): code points start .. start+len-1, counting from 1, clipped to s. */
export class Substring extends Node<StrVec> {
	private readonly out = new StrBuilder();
	private readonly validOut = u8();
	private readonly validOut2 = u8();
	private readonly vec: StrVec = {
		bytes: new Uint8Array(0),
		offsets: new Int32Array(1),
		valid: null
	};

	constructor(
		readonly arg: StrNode,
		readonly start: Node<NumVec>,
		readonly len: Node<NumVec>
	) {
		super('string');
	}

	protected compute(ctx: Ctx): StrVec {
		const n = ctx.n;
		const s = this.arg.run(ctx);
		const st = this.start.run(ctx);
		const ln = this.len.run(ctx);
		const out = this.out;
		out.begin(n);
		for (let i = 0; i < n; i++) {
			const p0 = s.offsets[i];
			const e = s.offsets[i + 1];
			const from = Math.max(st.values[i], 1);
			const to = st.values[i] + ln.values[i];
			if (to > from) {
				const begin = skipCodePoints(s.bytes, p0, e, from - 1);
				const end = skipCodePoints(s.bytes, begin, e, to - from);
				out.append(s.bytes, begin, end);
			}
			out.endRow(i);
		}
		const v = andValidity(s.valid, st.valid, this.validOut, n);
		this.vec.valid = andValidity(v, ln.valid, this.validOut2, n);
		this.vec.bytes = out.bytes;
		this.vec.offsets = out.offsets;
		return this.vec;
	}
}

/** concat(a, b, ...): null when any part is null. */
export class Concat extends Node<StrVec> {
	private readonly out = new StrBuilder();
	private readonly validOut = u8();
	private readonly vec: StrVec = {
		bytes: new Uint8Array(0),
		offsets: new Int32Array(1),
		valid: null
	};

	constructor(readonly parts: StrNode[]) {
		super('string');
	}

	protected compute(ctx: Ctx): StrVec {
		const n = ctx.n;
		const parts = this.parts.map((p) => p.run(ctx));
		const out = this.out;
		out.begin(n);
		let valid: Uint8Array | null = null;
		const bytes = bitmapBytes(n);
		for (const p of parts) {
			if (p.valid === null) continue;
			if (valid === null) {
				valid = this.validOut.get(bytes);
				for (let j = 0; j < bytes; j++) valid[j] = p.valid[j];
			} else for (let j = 0; j < bytes; j++) valid[j] &= p.valid[j];
		}
		for (let i = 0; i < n; i++) {
			if (valid === null || getBit(valid, i)) {
				for (const p of parts) out.append(p.bytes, p.offsets[i], p.offsets[i + 1]);
			}
			out.endRow(i);
		}
		this.vec.bytes = out.bytes;
		this.vec.offsets = out.offsets;
		this.vec.valid = valid;
		return this.vec;
	}
}

/** A value as text, for concat: numbers as JavaScript prints them, dates ISO 8601 (UTC). */
export class ToText extends Node<StrVec> {
	private readonly out = new StrBuilder();
	private readonly vec: StrVec = {
		bytes: new Uint8Array(0),
		offsets: new Int32Array(1),
		valid: null
	};

	constructor(readonly arg: Node<Vec>) {
		super('string');
	}

	protected compute(ctx: Ctx): StrVec {
		const n = ctx.n;
		const v = this.arg.run(ctx);
		const type: ExprType = this.arg.type;
		const out = this.out;
		out.begin(n);
		for (let i = 0; i < n; i++) {
			if (v.valid === null || getBit(v.valid, i)) {
				let text: string;
				if ('bits' in v) text = getBit(v.bits, i) ? 'true' : 'false';
				else {
					const x = (v as NumVec).values[i];
					text =
						type === 'date' ? formatDate(x) : type === 'timestamp' ? formatTimestamp(x) : String(x);
				}
				out.reserve(text.length);
				writeAscii(text, out.bytes, out.pos);
				out.pos += text.length;
			}
			out.endRow(i);
		}
		this.vec.bytes = out.bytes;
		this.vec.offsets = out.offsets;
		this.vec.valid = v.valid;
		return this.vec;
	}
}
