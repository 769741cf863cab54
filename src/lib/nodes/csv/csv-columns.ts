// One column of the batch being built: fields are parsed from their bytes straight into
// scratch typed arrays sized to batchRows and reused across batches; `takeBatch` copies the
// filled part into fresh typed arrays (the ColumnView handed out) and resets the scratch.
// Layout follows contracts.ts: validity bitmap LSB-first with 1 = valid (null when no nulls),
// bools bit-packed, utf8 as int32 offsets into UTF-8 bytes copied verbatim (never decoded),
// 64-bit values as little-endian int32 halves in `ints` (reinterpreted as BigInt64Array).

import type { ColumnType, ColumnValues, ColumnView } from '../../runtime/contracts';
import { compileDateFormat, parseWithFormat, type DateFormat } from '../formats/date-formats';
import { NullMatcher, trimEnd, trimStart } from './csv-infer';
import { FIELD_ESCAPED, FIELD_QUOTED } from './csv-scanner';
import {
	isNaNText,
	parseBoolBytes,
	parseDateBytes,
	parseFloatBytes,
	parseInt64Into,
	parseIntBytes,
	parseTimestampBytes,
	writeInt64
} from './csv-values';

const KIND_BOOL = 0;
const KIND_SMALL_INT = 1;
const KIND_INT64 = 2;
const KIND_UINT64 = 3;
const KIND_FLOAT = 4;
const KIND_DATE = 5;
const KIND_TIMESTAMP = 6;
const KIND_UTF8 = 7;

const SPACE = 32;

/** [kind, min, max] per type; min/max bound the small integer kinds. */
const KINDS: Record<ColumnType, [number, number, number]> = {
	bool: [KIND_BOOL, 0, 0],
	int8: [KIND_SMALL_INT, -128, 127],
	int16: [KIND_SMALL_INT, -32768, 32767],
	int32: [KIND_SMALL_INT, -2147483648, 2147483647],
	uint8: [KIND_SMALL_INT, 0, 255],
	uint16: [KIND_SMALL_INT, 0, 65535],
	uint32: [KIND_SMALL_INT, 0, 4294967295],
	int64: [KIND_INT64, 0, 0],
	uint64: [KIND_UINT64, 0, 0],
	float32: [KIND_FLOAT, 0, 0],
	float64: [KIND_FLOAT, 0, 0],
	date32: [KIND_DATE, 0, 0],
	timestamp: [KIND_TIMESTAMP, 0, 0],
	utf8: [KIND_UTF8, 0, 0]
};

const EMPTY_INTS = new Int32Array(0);
const EMPTY_FLOATS = new Float64Array(0);
const EMPTY_BYTES = new Uint8Array(0);

/** Fresh array of the column's type holding `ints[0..n)` / `floats[0..n)`. */
function numericValues(type: ColumnType, ints: Int32Array, floats: Float64Array, n: number) {
	switch (type) {
		case 'int8':
			return new Int8Array(ints.subarray(0, n));
		case 'int16':
			return new Int16Array(ints.subarray(0, n));
		case 'uint8':
			return new Uint8Array(ints.subarray(0, n));
		case 'uint16':
			return new Uint16Array(ints.subarray(0, n));
		case 'uint32':
			return new Uint32Array(ints.subarray(0, n));
		case 'int64':
		case 'timestamp':
			return new BigInt64Array(ints.slice(0, 2 * n).buffer);
		case 'uint64':
			return new BigUint64Array(ints.slice(0, 2 * n).buffer);
		case 'float32':
			return new Float32Array(floats.subarray(0, n));
		case 'float64':
			return floats.slice(0, n);
		default:
			return ints.slice(0, n); // int32, date32
	}
}

/** Copy of the first n bits, bits past n cleared (a skipped row may have left one set). */
function sliceBits(bits: Uint8Array, n: number): Uint8Array {
	const out = bits.slice(0, (n + 7) >> 3);
	if (n & 7) out[out.length - 1] &= (1 << (n & 7)) - 1;
	return out;
}

export class ColumnBuilder {
	nullCount = 0;
	private readonly kind: number;
	private readonly min: number;
	private readonly max: number;
	private readonly validity: Uint8Array;
	private readonly ints: Int32Array;
	private readonly floats: Float64Array;
	/** Bool values, bit-packed like validity. */
	private readonly bits: Uint8Array;
	private readonly offsets: Int32Array;
	private bytes: Uint8Array;
	private readonly format: DateFormat | null;

	constructor(
		readonly name: string,
		readonly type: ColumnType,
		capacity: number,
		private readonly nulls: NullMatcher,
		private readonly quote: number,
		/** The date pattern of a date32/timestamp column whose text is not ISO. */
		pattern: string | null = null
	) {
		[this.kind, this.min, this.max] = KINDS[type];
		this.format = pattern === null ? null : compileDateFormat(pattern);
		const kind = this.kind;
		const wide = kind === KIND_INT64 || kind === KIND_UINT64 || kind === KIND_TIMESTAMP;
		const usesInts = kind === KIND_SMALL_INT || kind === KIND_DATE || wide;
		this.validity = new Uint8Array((capacity + 7) >> 3);
		this.ints = usesInts ? new Int32Array(wide ? 2 * capacity : capacity) : EMPTY_INTS;
		this.floats = kind === KIND_FLOAT ? new Float64Array(capacity) : EMPTY_FLOATS;
		this.bits = kind === KIND_BOOL ? new Uint8Array((capacity + 7) >> 3) : EMPTY_BYTES;
		this.offsets = new Int32Array(kind === KIND_UTF8 ? capacity + 1 : 0);
		this.bytes = kind === KIND_UTF8 ? new Uint8Array(64 * 1024) : EMPTY_BYTES;
	}

	/**
	 * Parses field bytes [start, end) into `row`; a null token stores null. Returns false, and
	 * counts nothing, when the text is not of the column's type.
	 */
	append(buf: Uint8Array, start: number, end: number, flags: number, row: number): boolean {
		const kind = this.kind;
		if (kind === KIND_UTF8) {
			// A quoted field is always text: "NA" in quotes is the two letters, not null.
			if ((flags & FIELD_QUOTED) === 0 && this.nulls.matches(buf, start, end)) {
				this.appendNull(row);
			} else this.appendText(buf, start, end, flags, row);
			return true;
		}
		if (start < end && (buf[start] === SPACE || buf[end - 1] === SPACE)) {
			start = trimStart(buf, start, end);
			end = trimEnd(buf, start, end);
		}
		if (this.nulls.lookLikeValues && this.nulls.matches(buf, start, end)) {
			this.appendNull(row);
			return true;
		}
		switch (kind) {
			case KIND_SMALL_INT: {
				const value = parseIntBytes(buf, start, end);
				if (!(value >= this.min && value <= this.max)) return this.nullOrBad(buf, start, end, row);
				this.ints[row] = value;
				break;
			}
			case KIND_FLOAT: {
				const value = parseFloatBytes(buf, start, end);
				if (value !== value && !isNaNText(buf, start, end)) {
					return this.nullOrBad(buf, start, end, row);
				}
				this.floats[row] = value;
				break;
			}
			case KIND_BOOL: {
				const value = parseBoolBytes(buf, start, end);
				if (value < 0) return this.nullOrBad(buf, start, end, row);
				if (value) this.bits[row >> 3] |= 1 << (row & 7);
				else this.bits[row >> 3] &= ~(1 << (row & 7));
				break;
			}
			case KIND_DATE: {
				const days = this.format
					? Math.floor(parseWithFormat(this.format, buf, start, end, false) / 86_400_000)
					: parseDateBytes(buf, start, end);
				if (days !== days) return this.nullOrBad(buf, start, end, row);
				this.ints[row] = days;
				break;
			}
			case KIND_TIMESTAMP: {
				const ms = this.format
					? parseWithFormat(this.format, buf, start, end, true)
					: parseTimestampBytes(buf, start, end);
				if (ms !== ms) return this.nullOrBad(buf, start, end, row);
				writeInt64(ms, this.ints, 2 * row);
				break;
			}
			default:
				if (!parseInt64Into(buf, start, end, this.ints, 2 * row, kind === KIND_UINT64)) {
					return this.nullOrBad(buf, start, end, row);
				}
		}
		this.validity[row >> 3] |= 1 << (row & 7);
		return true;
	}

	/** A typed value failed to parse: a null token stores null (true), anything else is bad. */
	private nullOrBad(buf: Uint8Array, start: number, end: number, row: number): boolean {
		if (!this.nulls.matches(buf, start, end)) return false;
		this.appendNull(row);
		return true;
	}

	appendNull(row: number): void {
		this.validity[row >> 3] &= ~(1 << (row & 7));
		this.nullCount++;
		if (this.kind === KIND_UTF8) this.offsets[row + 1] = this.offsets[row];
	}

	/** Undoes this row's append (the row was skipped after this column was written). */
	rollback(row: number): void {
		if ((this.validity[row >> 3] & (1 << (row & 7))) === 0) this.nullCount--;
	}

	/** The first n rows as a fresh ColumnView; the scratch starts over for the next batch. */
	takeBatch(n: number): ColumnView {
		const nulls = this.nullCount;
		let values: ColumnValues;
		let offsets: Int32Array | null = null;
		if (this.kind === KIND_UTF8) {
			offsets = this.offsets.slice(0, n + 1);
			values = this.bytes.slice(0, this.offsets[n]);
		} else if (this.kind === KIND_BOOL) values = sliceBits(this.bits, n);
		else values = numericValues(this.type, this.ints, this.floats, n);
		const validity = nulls > 0 ? sliceBits(this.validity, n) : null;
		this.validity.fill(0);
		this.nullCount = 0;
		return { type: this.type, length: n, nullCount: nulls, validity, offsets, values };
	}

	/** Copies the text, turning each doubled quote of an escaped field into one. */
	private appendText(buf: Uint8Array, start: number, end: number, flags: number, row: number) {
		let at = this.offsets[row];
		if (at + end - start > this.bytes.length) this.growBytes(at + end - start);
		const bytes = this.bytes;
		if (flags & FIELD_ESCAPED) {
			const quote = this.quote;
			for (let i = start; i < end; i++) {
				const b = buf[i];
				bytes[at++] = b;
				if (b === quote) i++;
			}
		} else if (end - start < 16) {
			for (let i = start; i < end; i++) bytes[at++] = buf[i];
		} else {
			bytes.set(buf.subarray(start, end), at);
			at += end - start;
		}
		if (at > 0x7fffffff) throw new RangeError('a batch holds more than 2 GiB of text');
		this.offsets[row + 1] = at;
		this.validity[row >> 3] |= 1 << (row & 7);
	}

	private growBytes(needed: number): void {
		const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
		grown.set(this.bytes);
		this.bytes = grown;
	}
}
