// Byte-level CSV tokenizer: finds record and field boundaries in chunks of bytes and hands
// each complete record to a sink as (start, end, flags) triples into a byte buffer. It never
// builds strings and never rescans: a record cut by a chunk edge is moved to the front of a
// carry buffer together with the scan state (the state machine below), and the next chunk is
// appended behind it, so a 100 MB field costs one pass plus amortised doubling copies.
//
// Grammar (RFC 4180, lenient): records end at LF, CRLF or a lone CR; blank lines are skipped;
// a field starting with the quote character runs to the next quote not doubled; text after a
// closing quote is dropped and the field flagged FIELD_MALFORMED; a quote inside an unquoted
// field is an ordinary byte. A UTF-8 BOM at the very start is skipped.
//
// Line numbers are physical: every LF, CRLF or lone CR counts one, inside quotes too. When a
// decision needs the next byte (CR then LF? quote then quote?) and the chunk ends, the scan
// stops before that byte and resumes there once more bytes arrive.
//
// Broken records (what a user expects of a stray quote, rather than losing the rest of the
// file inside one "field"): a quoted field is unclosed when the input ends inside it, when it
// passes the record cap, or when it spans lines and its "closing" quote is followed by text
// (the usual sign that a later field's opening quote closed it). Its record is then reported
// broken — the fields before the quote are complete, the rest of that line is lost — and the
// scan resumes on the line after the one where the quote opened, so one stray quote costs one
// row. A record longer than `maxRecord` bytes (an endless line, /dev/zero) is reported broken
// at the byte offset where it passed the cap and the rest of its line is skipped without being
// kept, so memory stays bounded by the cap whatever the input.

export const FIELD_QUOTED = 1;
/** Quoted field containing doubled quotes; its bytes still hold both. */
export const FIELD_ESCAPED = 2;
/** Text followed the closing quote (and was dropped). */
export const FIELD_MALFORMED = 4;

/** A quoted field never closed properly; `at` is the line where its quote opened. */
export const BROKEN_UNCLOSED_QUOTE = 1;
/** The record passed the cap; `at` is the byte offset in the input where it did. */
export const BROKEN_TOO_LONG = 2;

export interface CsvRecordSink {
	/**
	 * One complete record: fields i < count are buf[starts[i], ends[i]) with flags[i] (arrays
	 * read from the scanner). `line` is where the record starts. Return false to stop scanning.
	 */
	record(buf: Uint8Array, count: number, line: number): boolean;
	/**
	 * A record that cannot be read whole (see the header): fields i < count are complete, as for
	 * `record`; the rest are lost. `reason` is a BROKEN_* code, `at` its line or byte offset.
	 * Return false to stop scanning.
	 */
	broken(buf: Uint8Array, count: number, line: number, reason: number, at: number): boolean;
}

/** Default cap on one record's bytes (CsvOptions.maxRecordBytes). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

const LF = 10;
const CR = 13;

const STATE_RECORD = 0; // between records
const STATE_FIELD = 1; // at the start of a field
const STATE_UNQUOTED = 2; // inside an unquoted field that began at fieldStart
const STATE_QUOTED = 3; // inside a quoted field whose content began at fieldStart
const STATE_AFTER_QUOTE = 4; // after a closing quote
const STATE_DISCARD = 5; // skipping the rest of a record that passed the cap

const MIN_CARRY = 64 * 1024;
const SLICE = 64 * 1024;

export class CsvScanner {
	starts: Int32Array = new Int32Array(64);
	ends: Int32Array = new Int32Array(64);
	flags: Uint8Array = new Uint8Array(64);
	/**
	 * Line breaks met inside quoted fields so far (a CRLF counts one). Zero means every line
	 * break seen ended a record or a blank line, which is what lets a file be split by bytes.
	 */
	quotedLineBreaks = 0;
	private carry = new Uint8Array(MIN_CARRY);
	private carryLength = 0;
	private bomPending: boolean;
	private stopped = false;
	// Scan state; positions are offsets into the buffer being scanned (the carry between calls).
	private pos = 0;
	private recordStart = 0;
	private state = STATE_RECORD;
	private fieldStart = 0;
	private fieldFlags = 0;
	private count = 0;
	private line = 1;
	private recordLine = 1;
	// The quoted field in progress: where its quote opened, its index, quotedLineBreaks then.
	private quoteLine = 1;
	private quoteStart = 0;
	private quoteField = 0;
	private quoteBreaks = 0;
	/** Set by scan(): the quoted field that just closed was unclosed after all (see header). */
	private unclosed = false;
	/** Input offset of byte 0 of the buffer being scanned, and bytes pushed so far. */
	private base: number;
	private total: number;

	/**
	 * `skipBom`: false for input that starts mid-file, where EF BB BF is data. `maxRecord`: cap
	 * on one record's bytes. `startOffset`: where in the file the input starts (for offsets).
	 */
	constructor(
		private readonly delimiter: number,
		private readonly quote: number,
		private readonly sink: CsvRecordSink,
		skipBom = true,
		private readonly maxRecord = MAX_RECORD_BYTES,
		startOffset = 0
	) {
		this.bomPending = skipBom;
		this.base = this.total = startOffset;
	}

	push(chunk: Uint8Array): void {
		if (this.stopped || chunk.length === 0) return;
		if (this.carryLength === 0 && !this.bomPending) {
			// Nothing pending (state is STATE_RECORD or STATE_DISCARD): scan the bytes in place.
			this.pos = this.recordStart = 0;
			this.base = this.total;
			this.total += chunk.length;
			this.scanAll(chunk, chunk.length, false);
			this.keepTail(chunk, chunk.length);
			return;
		}
		this.total += chunk.length;
		this.appendToCarry(chunk);
		if (this.bomPending && !this.skipBom(false)) return;
		this.scanAll(this.carry, this.carryLength, false);
		this.keepTail(this.carry, this.carryLength);
	}

	/** End of input: the record in progress (if any) is completed or reported unterminated. */
	/** True while the bytes pushed so far end inside a quoted field. */
	get inQuotedField(): boolean {
		return this.state === STATE_QUOTED;
	}

	finish(): void {
		if (this.stopped) return;
		if (this.bomPending) this.skipBom(true);
		this.scanAll(this.carry, this.carryLength, true);
		// Input ended inside a quoted field: its record is broken; read on from the next line.
		while (!this.stopped && this.state === STATE_QUOTED) {
			this.unclosedQuote(this.carry, this.carryLength, true);
			if (!this.stopped) this.scanAll(this.carry, this.carryLength, true);
		}
		if (!this.stopped) this.endOfInput();
		this.carryLength = 0;
		this.stopped = true;
	}

	/** Completes a record that has no terminator. */
	private endOfInput(): void {
		const state = this.state;
		if (state === STATE_RECORD || state === STATE_DISCARD) return;
		let n = this.count;
		if (state !== STATE_AFTER_QUOTE) {
			// The last field ends at the end of input (empty after a trailing delimiter).
			if (n === this.starts.length) this.growFields();
			this.starts[n] = state === STATE_UNQUOTED ? this.fieldStart : this.pos;
			this.ends[n] = this.pos;
			this.flags[n++] = 0;
		}
		this.sink.record(this.carry, n, this.recordLine);
	}

	/**
	 * Scans in slices of SLICE bytes. A slice edge is just another place where the scan may
	 * stop and resume; short calls let V8 optimise `scan` as a whole function instead of
	 * on-stack-replacing one long loop whose exit code never had type feedback (which deopted
	 * on every chunk).
	 */
	private scanAll(buf: Uint8Array, end: number, final: boolean): void {
		for (;;) {
			const limit = Math.min(end, this.pos + SLICE);
			this.scan(buf, limit, final && limit === end);
			if (this.stopped) return;
			if (this.unclosed) {
				this.unclosed = false;
				this.unclosedQuote(buf, end, final);
				continue;
			}
			const state = this.state;
			if (state !== STATE_RECORD && state !== STATE_DISCARD) {
				if (this.pos - this.recordStart > this.maxRecord) {
					if (state === STATE_QUOTED) this.unclosedQuote(buf, end, final);
					else this.tooLong(buf, this.count);
					continue;
				}
			}
			if (limit === end) return;
		}
	}

	/**
	 * The quoted field opened at quoteStart is unclosed (see the header): reports its record
	 * broken and resumes on the line after the quote's. With no line break after the quote in
	 * the buffer (one line longer than the cap), the record is too long instead.
	 */
	private unclosedQuote(buf: Uint8Array, end: number, final: boolean): void {
		let q = this.quoteStart;
		while (q < end && buf[q] !== LF && buf[q] !== CR) q++;
		if (q >= end && !final) {
			this.tooLong(buf, this.quoteField);
			return;
		}
		if (
			!this.sink.broken(
				buf,
				this.quoteField,
				this.recordLine,
				BROKEN_UNCLOSED_QUOTE,
				this.quoteLine
			)
		) {
			this.stopped = true;
			return;
		}
		if (q < end) q += buf[q] === CR && q + 1 < end && buf[q + 1] === LF ? 2 : 1;
		this.pos = this.recordStart = q;
		this.line = this.quoteLine + 1;
		this.quotedLineBreaks = this.quoteBreaks;
		this.state = STATE_RECORD;
	}

	/** The record passed the cap: reports it broken and skips the rest of its line. */
	private tooLong(buf: Uint8Array, complete: number): void {
		const at = this.base + this.recordStart + this.maxRecord;
		if (!this.sink.broken(buf, complete, this.recordLine, BROKEN_TOO_LONG, at)) {
			this.stopped = true;
			return;
		}
		this.state = STATE_DISCARD;
		this.recordStart = this.pos;
	}

	private scan(buf: Uint8Array, end: number, final: boolean): void {
		const delimiter = this.delimiter;
		const quote = this.quote;
		const maxStop = Math.max(delimiter, CR);
		let { starts, ends, flags } = this;
		let p = this.pos;
		let state = this.state;
		let fieldStart = this.fieldStart;
		let fieldFlags = this.fieldFlags;
		let n = this.count;
		let line = this.line;
		let recordLine = this.recordLine;
		let recordStart = this.recordStart;
		let c = 0;
		outer: for (;;) {
			switch (state) {
				case STATE_RECORD: {
					if (p >= end) break outer;
					c = buf[p];
					if (c === LF || c === CR) {
						// A blank line: skip it.
						if (c === CR && p + 1 >= end && !final) break outer; // is an LF next?
						p++;
						if (c === CR && p < end && buf[p] === LF) p++;
						line++;
						recordStart = p;
						continue;
					}
					recordLine = line;
					n = 0;
					state = STATE_FIELD;
				}
				// falls through
				case STATE_FIELD: {
					if (p >= end) break outer;
					if (buf[p] === quote) {
						this.quoteStart = p;
						this.quoteField = n;
						this.quoteBreaks = this.quotedLineBreaks;
						fieldStart = ++p;
						fieldFlags = FIELD_QUOTED;
						this.quoteLine = line;
						state = STATE_QUOTED;
						continue;
					}
					fieldStart = p;
					fieldFlags = 0;
					state = STATE_UNQUOTED;
				}
				// falls through
				case STATE_UNQUOTED: {
					while (p < end) {
						// One compare for the common byte: with ',' or '\t' as delimiter, digits and
						// letters all lie above every stop byte.
						if ((c = buf[p]) > maxStop) p++;
						else if (c === delimiter || c === LF || c === CR) break;
						else p++;
					}
					if (p >= end || (c === CR && p + 1 >= end && !final)) break outer;
					if (n === starts.length) ({ starts, ends, flags } = this.growFields());
					starts[n] = fieldStart;
					ends[n] = p;
					flags[n++] = fieldFlags;
					p++;
					if (c === delimiter) {
						state = STATE_FIELD;
						continue;
					}
					break; // end of record
				}
				case STATE_QUOTED: {
					while (p < end) {
						c = buf[p];
						if (c === quote || c === CR) break;
						if (c === LF) {
							line++;
							this.quotedLineBreaks++;
						}
						p++;
					}
					if (p >= end) break outer;
					if (c === CR) {
						if (p + 1 >= end && !final) break outer; // CRLF counts once: wait for the next byte
						if (p + 1 >= end || buf[p + 1] !== LF) {
							line++;
							this.quotedLineBreaks++;
						}
						p++;
						continue;
					}
					if (p + 1 < end && buf[p + 1] === quote) {
						fieldFlags |= FIELD_ESCAPED;
						p += 2;
						continue;
					}
					if (p + 1 >= end && !final) break outer; // closing, or the first of a pair?
					if (n === starts.length) ({ starts, ends, flags } = this.growFields());
					starts[n] = fieldStart;
					ends[n] = p;
					flags[n++] = fieldFlags;
					p++;
					state = STATE_AFTER_QUOTE;
					continue;
				}
				case STATE_DISCARD: {
					while (p < end && (c = buf[p]) !== LF && c !== CR) p++;
					if (p >= end || (c === CR && p + 1 >= end && !final)) {
						recordStart = p; // nothing of a skipped record is kept
						break outer;
					}
					p++;
					if (c === CR && p < end && buf[p] === LF) p++;
					line++;
					state = STATE_RECORD;
					recordStart = p;
					continue;
				}
				case STATE_AFTER_QUOTE: {
					if (p >= end) break outer;
					c = buf[p];
					if (c === delimiter) {
						p++;
						state = STATE_FIELD;
						continue;
					}
					if (c !== LF && c !== CR) {
						if (line > this.quoteLine) {
							// A multi-line field followed by text: its quote was never closed.
							this.unclosed = true;
							break outer;
						}
						flags[n - 1] |= FIELD_MALFORMED;
						p++;
						continue;
					}
					if (c === CR && p + 1 >= end && !final) break outer;
					p++;
					break; // end of record
				}
			}
			// End of record: the terminator c (CR or LF) was consumed; swallow the LF of a CRLF.
			if (c === CR && p < end && buf[p] === LF) p++;
			line++;
			state = STATE_RECORD;
			recordStart = p;
			if (!this.sink.record(buf, n, recordLine)) {
				this.stopped = true;
				break;
			}
		}
		this.pos = p;
		this.state = state;
		this.fieldStart = fieldStart;
		this.fieldFlags = fieldFlags;
		this.count = n;
		this.line = line;
		this.recordLine = recordLine;
		this.recordStart = recordStart;
	}

	/** Moves the unfinished record [recordStart, end) to the front of the carry buffer. */
	private keepTail(buf: Uint8Array, end: number): void {
		const shift = this.recordStart;
		const length = end - shift;
		if (buf !== this.carry) {
			this.ensureCarry(length);
			this.carry.set(buf.subarray(shift, end));
		} else if (shift > 0 && length > 0) this.carry.copyWithin(0, shift, end);
		this.carryLength = length;
		this.base += shift;
		if (this.state === STATE_RECORD || this.state === STATE_DISCARD) {
			this.pos = this.pos - shift;
			this.recordStart = 0;
			return;
		}
		this.pos -= shift;
		this.fieldStart -= shift;
		this.quoteStart -= shift;
		this.recordStart = 0;
		for (let i = 0; i < this.count; i++) {
			this.starts[i] -= shift;
			this.ends[i] -= shift;
		}
	}

	private appendToCarry(chunk: Uint8Array): void {
		this.ensureCarry(this.carryLength + chunk.length);
		this.carry.set(chunk, this.carryLength);
		this.carryLength += chunk.length;
	}

	private ensureCarry(length: number): void {
		if (length <= this.carry.length) return;
		const grown = new Uint8Array(Math.max(length, this.carry.length * 2));
		grown.set(this.carry.subarray(0, this.carryLength));
		this.carry = grown;
	}

	/** Skips a leading EF BB BF; false while fewer than 3 bytes could still be a BOM. */
	private skipBom(final: boolean): boolean {
		const c = this.carry;
		const length = this.carryLength;
		const prefix = Math.min(length, 3);
		const bom = [0xef, 0xbb, 0xbf];
		let matching = 0;
		while (matching < prefix && c[matching] === bom[matching]) matching++;
		if (matching === prefix && length < 3 && !final) return false;
		this.bomPending = false;
		this.pos = this.recordStart = matching === 3 ? 3 : 0;
		return true;
	}

	private growFields(): { starts: Int32Array; ends: Int32Array; flags: Uint8Array } {
		const size = this.starts.length * 2;
		const starts = new Int32Array(size);
		const ends = new Int32Array(size);
		const flags = new Uint8Array(size);
		starts.set(this.starts);
		ends.set(this.ends);
		flags.set(this.flags);
		this.starts = starts;
		this.ends = ends;
		this.flags = flags;
		return { starts, ends, flags };
	}
}
