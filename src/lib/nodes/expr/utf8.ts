// Byte-level helpers for UTF-8 strings: most string operators never decode. Comparing bytes
// orders strings by Unicode code point; substring search on bytes is exact because UTF-8 is
// self-synchronising. When a row must be decoded (case mapping, trimming non-ASCII space) the
// bytes are first copied out of a possibly shared buffer: Chromium's TextDecoder refuses views
// of a SharedArrayBuffer.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** <0, 0 or >0 as a[as..ae) sorts before, equal to or after b[bs..be). */
export function compareBytes(
	a: Uint8Array,
	as: number,
	ae: number,
	b: Uint8Array,
	bs: number,
	be: number
): number {
	const la = ae - as;
	const lb = be - bs;
	const m = la < lb ? la : lb;
	for (let k = 0; k < m; k++) {
		const d = a[as + k] - b[bs + k];
		if (d !== 0) return d;
	}
	return la - lb;
}

export function equalBytes(
	a: Uint8Array,
	as: number,
	ae: number,
	b: Uint8Array,
	bs: number,
	be: number
): boolean {
	if (ae - as !== be - bs) return false;
	for (let k = 0; k < ae - as; k++) if (a[as + k] !== b[bs + k]) return false;
	return true;
}

/** Whether needle[ns..ne) occurs in hay[hs..he). */
export function includesBytes(
	hay: Uint8Array,
	hs: number,
	he: number,
	needle: Uint8Array,
	ns: number,
	ne: number
): boolean {
	const m = ne - ns;
	if (m === 0) return true;
	const first = needle[ns];
	outer: for (let p = hs; p <= he - m; p++) {
		if (hay[p] !== first) continue;
		for (let k = 1; k < m; k++) if (hay[p + k] !== needle[ns + k]) continue outer;
		return true;
	}
	return false;
}

/** Code points in bytes[s..e): every byte that is not a continuation byte starts one. */
export function countCodePoints(bytes: Uint8Array, s: number, e: number): number {
	let count = 0;
	for (let p = s; p < e; p++) if ((bytes[p] & 0xc0) !== 0x80) count++;
	return count;
}

/** The byte just after `count` code points starting at p (or e). */
export function skipCodePoints(bytes: Uint8Array, p: number, e: number, count: number): number {
	for (let c = 0; c < count && p < e; c++) {
		p++;
		while (p < e && (bytes[p] & 0xc0) === 0x80) p++;
	}
	return p;
}

export function isAscii(bytes: Uint8Array, s: number, e: number): boolean {
	for (let p = s; p < e; p++) if (bytes[p] >= 0x80) return false;
	return true;
}

const isShared = (buffer: ArrayBufferLike): boolean =>
	typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;

/** Decodes rows of one batch, copying the bytes out of shared memory once, on first need. */
export class RowDecoder {
	private copy = new Uint8Array(0);
	private source: Uint8Array | null = null;
	private readable: Uint8Array = this.copy;

	/** Call at the start of each batch with the vector's bytes. */
	reset(): void {
		this.source = null;
	}

	decode(bytes: Uint8Array, s: number, e: number, used: number): string {
		if (this.source !== bytes) {
			this.source = bytes;
			if (isShared(bytes.buffer)) {
				if (this.copy.length < used)
					this.copy = new Uint8Array(Math.max(used, this.copy.length * 2));
				this.copy.set(bytes.subarray(0, used));
				this.readable = this.copy;
			} else {
				this.readable = bytes;
			}
		}
		return decoder.decode(this.readable.subarray(s, e));
	}
}

/** Encodes `text` at out.pos of a builder-like target; returns the bytes written. */
export function encodeInto(text: string, target: Uint8Array, at: number): number {
	return encoder.encodeInto(text, target.subarray(at)).written;
}

/** Writes an ASCII-only string (numbers, dates) byte by byte. */
export function writeAscii(text: string, target: Uint8Array, at: number): void {
	for (let k = 0; k < text.length; k++) target[at + k] = text.charCodeAt(k);
}
