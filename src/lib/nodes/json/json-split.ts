// Streaming record splitter for JSON sources: bytes in, one JSON text per record out, never
// holding more than the record being read.
//
// The format is decided by the first byte that is not white space (after an optional UTF-8 BOM):
// - '{' : NDJSON, one object per line. Blank lines are skipped; a line ends at LF (a CR before
//   it is dropped). Each record carries its 1-based line number.
// - '[' : a JSON array of objects. The splitter finds element boundaries itself (depth of {} and
//   [] outside strings, strings with their escapes), so the array is never parsed whole; each
//   record carries its 0-based element index and the byte offset where it starts.
// Anything else is a JsonError. Each record's text is parsed by the caller (JSON.parse).
export class JsonError extends Error {}

export interface JsonText {
	text: string;
	/** NDJSON: line number (1-based); array: element index (0-based). */
	at: number;
	/** Byte offset of the record's first byte in the input. */
	offset: number;
}

export type JsonLayout = 'ndjson' | 'array';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (b: number) => b === SPACE || b === LF || b === CR || b === TAB;

/** A byte of the input for a message: "'x'" when printable ASCII, otherwise "byte 0x1b". */
function byteText(b: number): string {
	return b > 0x20 && b < 0x7f
		? `'${String.fromCharCode(b)}'`
		: `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/** Where a record is, in words: "line 12" or "element 3 (byte 1042)". */
export function describeAt(layout: JsonLayout, at: number, offset: number): string {
	return layout === 'ndjson' ? `line ${at}` : `element ${at} (byte ${offset})`;
}

export class JsonSplitter {
	layout: JsonLayout | null = null;
	private readonly decoder = new TextDecoder('utf-8');
	/** Bytes of the record being read (grown by doubling). */
	private carry = new Uint8Array(64 * 1024);
	private carried = 0;
	/** Input offset of carry[0]. */
	private carryOffset = 0;
	/** Bytes of input seen. */
	private seen = 0;
	private bomChecked = false;
	// NDJSON
	private line = 1;
	// array
	private arrayState: 'open' | 'before' | 'in' | 'after' | 'closed' = 'open';
	private depth = 0;
	private inString = false;
	private escaped = false;
	private element = 0;
	private out: JsonText[] = [];

	/** Bytes of input consumed so far. */
	get bytes(): number {
		return this.seen;
	}

	push(chunk: Uint8Array): JsonText[] {
		this.out = [];
		let start = 0;
		if (!this.bomChecked) {
			const head = this.peekStart(chunk);
			if (head === null) return this.out;
			start = head;
		}
		if (this.layout === null) {
			while (start < chunk.length && isSpace(chunk[start])) {
				if (chunk[start] === LF) this.line++;
				start++;
			}
			if (start >= chunk.length) {
				this.seen += chunk.length;
				return this.out;
			}
			const first = chunk[start];
			if (first === OPEN_BRACE) this.layout = 'ndjson';
			else if (first === OPEN_BRACKET) this.layout = 'array';
			else
				throw new JsonError(
					`is not JSON records: it should start with { (one object per line) or [ (an array of objects), found ${byteText(first)} at byte ${this.seen + start}`
				);
		}
		if (this.layout === 'ndjson') this.splitLines(chunk, start);
		else this.splitArray(chunk, start);
		this.seen += chunk.length;
		return this.out;
	}

	/** End of input: the last record, or a JsonError when the input ends inside one. */
	finish(): JsonText[] {
		this.out = [];
		if (this.layout === 'ndjson') {
			if (this.carried > 0) this.emitLine(this.carried);
		} else if (this.layout === 'array' && this.arrayState !== 'closed') {
			const where = this.arrayState === 'in' ? ` inside element ${this.element}` : '';
			throw new JsonError(`ends before its array is closed with ]${where} (byte ${this.seen})`);
		}
		return this.out;
	}

	/** Index of the first byte after a BOM, or null while the chunk is too short to tell. */
	private peekStart(chunk: Uint8Array): number | null {
		this.bomChecked = true;
		return chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
	}

	private keep(chunk: Uint8Array, from: number, to: number, offset: number): void {
		if (this.carried === 0) this.carryOffset = offset;
		const need = this.carried + (to - from);
		if (need > this.carry.length) {
			const grown = new Uint8Array(Math.max(need, this.carry.length * 2));
			grown.set(this.carry.subarray(0, this.carried));
			this.carry = grown;
		}
		this.carry.set(chunk.subarray(from, to), this.carried);
		this.carried = need;
	}

	private splitLines(chunk: Uint8Array, start: number): void {
		let from = start;
		for (;;) {
			const nl = chunk.indexOf(LF, from);
			if (nl < 0) {
				if (from < chunk.length) this.keep(chunk, from, chunk.length, this.seen + from);
				return;
			}
			this.keep(chunk, from, nl, this.seen + from);
			this.emitLine(this.carried);
			from = nl + 1;
		}
	}

	private emitLine(length: number): void {
		let end = length;
		if (end > 0 && this.carry[end - 1] === CR) end--;
		let blank = true;
		for (let i = 0; i < end && blank; i++) blank = isSpace(this.carry[i]);
		if (!blank)
			this.out.push({
				text: this.decoder.decode(this.carry.subarray(0, end)),
				at: this.line,
				offset: this.carryOffset
			});
		this.line++;
		this.carried = 0;
	}

	private splitArray(chunk: Uint8Array, start: number): void {
		let elementStart = -1;
		for (let i = start; i < chunk.length; i++) {
			const b = chunk[i];
			switch (this.arrayState) {
				case 'open':
					if (b === OPEN_BRACKET) this.arrayState = 'before';
					continue;
				case 'after':
				case 'before':
					if (isSpace(b)) continue;
					if (b === CLOSE_BRACKET && (this.arrayState === 'after' || this.element === 0)) {
						this.arrayState = 'closed';
						continue;
					}
					if (b === COMMA && this.arrayState === 'after') {
						this.arrayState = 'before';
						continue;
					}
					if (this.arrayState === 'after')
						throw new JsonError(
							`has ${byteText(b)} at byte ${this.seen + i} after element ${this.element - 1}, where , or ] should be`
						);
					this.arrayState = 'in';
					elementStart = i;
					this.depth = 0;
					this.inString = false;
					this.escaped = false;
					break;
				case 'closed':
					if (isSpace(b)) continue;
					throw new JsonError(`has data after the end of its array, at byte ${this.seen + i}`);
			}
			// Inside an element: find where it ends.
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (b === BACKSLASH) this.escaped = true;
				else if (b === QUOTE) this.inString = false;
				continue;
			}
			if (b === QUOTE) this.inString = true;
			else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
			else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
				if (this.depth === 0) {
					// A ] closing the array right after a scalar element: end the element here.
					this.endElement(chunk, elementStart < 0 ? start : elementStart, i);
					elementStart = -1;
					if (b === CLOSE_BRACKET) this.arrayState = 'closed';
					continue;
				}
				this.depth--;
				if (this.depth === 0) {
					this.endElement(chunk, elementStart < 0 ? start : elementStart, i + 1);
					elementStart = -1;
				}
			} else if (b === COMMA && this.depth === 0) {
				this.endElement(chunk, elementStart < 0 ? start : elementStart, i);
				elementStart = -1;
				this.arrayState = 'before';
			}
		}
		if (this.arrayState === 'in') {
			const from = elementStart < 0 ? start : elementStart;
			this.keep(chunk, from, chunk.length, this.seen + from);
		}
	}

	private endElement(chunk: Uint8Array, from: number, to: number): void {
		this.keep(chunk, from, to, this.seen + from);
		this.out.push({
			text: this.decoder.decode(this.carry.subarray(0, this.carried)),
			at: this.element++,
			offset: this.carryOffset
		});
		this.carried = 0;
		if (this.arrayState === 'in') this.arrayState = 'after';
	}
}
