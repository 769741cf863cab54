// Growable UTF-8 output for string operators: offsets plus a byte buffer that doubles when full
// and is kept for the next batch. Outputs expose the whole byte buffer; offsets say what is used.

import { i32 } from './vectors';

export class StrBuilder {
	bytes = new Uint8Array(64);
	offsets = new Int32Array(1);
	/** Bytes written so far in this batch. */
	pos = 0;
	private readonly offsetScratch = i32();

	/** Starts a batch of n rows. */
	begin(n: number): void {
		this.offsets = this.offsetScratch.get(n + 1);
		this.offsets[0] = 0;
		this.pos = 0;
	}

	/** Makes room for `extra` more bytes. */
	reserve(extra: number): void {
		const need = this.pos + extra;
		if (need <= this.bytes.length) return;
		const next = new Uint8Array(Math.max(need, this.bytes.length * 2));
		next.set(this.bytes.subarray(0, this.pos));
		this.bytes = next;
	}

	append(src: Uint8Array, start: number, end: number): void {
		const len = end - start;
		this.reserve(len);
		const out = this.bytes;
		let p = this.pos;
		if (len > 32) out.set(src.subarray(start, end), p);
		else for (let k = start; k < end; k++) out[p++] = src[k];
		this.pos += len;
	}

	/** Ends row i (its bytes are everything appended since the previous row ended). */
	endRow(i: number): void {
		this.offsets[i + 1] = this.pos;
	}
}
