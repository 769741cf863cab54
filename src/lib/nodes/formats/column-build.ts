// Plain JS values (from JSON records or a Parquet reader) turned into a BatchView in ordinary
// (non-shared) memory, ready for writeBatch to copy into a pool block.
//
// One `ColumnBuilder` per output column collects values row by row; `build()` returns the column
// as Arrow-layout typed arrays. Values are coerced to the column's type with fixed rules (see
// `coerce`); a value that does not fit returns a message instead of being stored, so the caller
// can name the line or row and the column.
import type { BatchView, ColumnType, ColumnView } from '../../runtime/contracts';
import { valuesView } from '../../runtime/batch/bits';
import { fixedValueBytes, NUMBER_INT_RANGES, type FrameSchema } from '../../runtime/batch/types';
import { jsonText } from './json-text';
import { msFloor } from './time-units';
import { untrusted } from './untrusted-text';

const DAY_MS = 86_400_000;
const encoder = new TextEncoder();

/** What was wrong with a value, in words ("the value "abc" is not a number"). */
export type Refusal = string;

function show(value: unknown): string {
	return typeof value === 'string' ? `"${untrusted(value)}"` : untrusted(String(value));
}

/** Milliseconds since the epoch of an ISO date or date-time text, else NaN. */
export function parseIsoMs(text: string): number {
	if (
		!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(
			text
		)
	)
		return NaN;
	// A date-time without a zone is read as UTC, like a date alone.
	const zoned = text.length > 10 && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(text);
	return Date.parse(zoned ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
}

/** Milliseconds since the epoch of a Date or an ISO date or date-time text, else NaN. */
function dateMs(value: unknown): number {
	if (value instanceof Date) return value.getTime();
	return typeof value === 'string' ? parseIsoMs(value) : NaN;
}

/**
 * `value` as the column type stores it: a number (8–32-bit ints, floats, date32 days), a bigint
 * (int64, uint64, timestamp ms), a boolean, a string, or null; a Refusal when it does not fit.
 * Rules: null/undefined are null; numbers fit integer columns only when whole and in range;
 * bigint fits any numeric column it is in range of; Date and ISO text fit date32/timestamp;
 * anything fits utf8 (objects and arrays as JSON text).
 */
export function coerce(
	type: ColumnType,
	value: unknown
): number | bigint | boolean | string | null | { refused: Refusal } {
	if (value === null || value === undefined) return null;
	switch (type) {
		case 'utf8':
			if (typeof value === 'string') return value;
			if (value instanceof Date) return value.toISOString();
			if (typeof value === 'object') return jsonText(value);
			return String(value);
		case 'bool':
			if (typeof value === 'boolean') return value;
			return { refused: `the value ${show(value)} is not true or false` };
		case 'float32':
		case 'float64':
			if (typeof value === 'number') return value;
			if (typeof value === 'bigint') return Number(value);
			return { refused: `the value ${show(value)} is not a number` };
		case 'int64':
		case 'uint64': {
			let big: bigint;
			if (typeof value === 'bigint') big = value;
			else if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
			else return { refused: `the value ${show(value)} is not a whole number` };
			if (type === 'uint64' ? big < 0n || big >= 1n << 64n : big < -(1n << 63n) || big >= 1n << 63n)
				return { refused: `the value ${show(value)} is out of range for ${type}` };
			return big;
		}
		case 'timestamp': {
			if (typeof value === 'bigint') return value;
			// A fractional millisecond (a reader's division) falls in the millisecond it is part of.
			if (typeof value === 'number' && Number.isFinite(value)) return msFloor(value);
			const ms = dateMs(value);
			if (Number.isNaN(ms)) return { refused: `the value ${show(value)} is not an ISO date-time` };
			return BigInt(ms);
		}
		case 'date32': {
			if (typeof value === 'number' && Number.isInteger(value)) return value;
			const ms = dateMs(value);
			if (Number.isNaN(ms)) return { refused: `the value ${show(value)} is not an ISO date` };
			return Math.floor(ms / DAY_MS);
		}
		default: {
			const n = typeof value === 'bigint' ? Number(value) : value;
			const [lo, hi] = NUMBER_INT_RANGES[type]!;
			if (typeof n !== 'number' || !Number.isInteger(n))
				return { refused: `the value ${show(value)} is not a whole number` };
			if (n < lo || n > hi)
				return { refused: `the value ${show(value)} is out of range for ${type}` };
			return n;
		}
	}
}

/** Zeroed values for `length` rows of `type` (bit-packed for bool; none yet for utf8). */
function typedArray(type: ColumnType, length: number): ColumnView['values'] {
	if (type === 'utf8') return new Uint8Array(0);
	const bytes = fixedValueBytes(type, length);
	return valuesView(type, new ArrayBuffer(bytes), 0, type === 'bool' ? bytes : length);
}

/** Collects one column's values for a batch of at most `capacity` rows. */
export class ColumnBuilder {
	private values: ColumnView['values'];
	private readonly validity: Uint8Array;
	private readonly strings: (string | null)[] = [];
	private nulls = 0;
	length = 0;

	constructor(
		readonly type: ColumnType,
		private readonly capacity: number
	) {
		this.values = typedArray(type, capacity);
		this.validity = new Uint8Array((capacity + 7) >>> 3).fill(0xff);
	}

	/** Appends `value`; a Refusal (nothing appended) when it does not fit the type. */
	push(value: unknown): Refusal | null {
		const v = coerce(this.type, value);
		if (v !== null && typeof v === 'object') return v.refused;
		this.append(v);
		return null;
	}

	/** Appends a value already coerced to this column's type (see `coerce`). */
	append(v: number | bigint | boolean | string | null): void {
		const row = this.length;
		if (row >= this.capacity) throw new RangeError(`column is full at ${this.capacity} rows`);
		this.length++;
		if (v === null) {
			this.validity[row >>> 3] &= ~(1 << (row & 7));
			this.nulls++;
			if (this.type === 'utf8') this.strings.push(null);
			return;
		}
		if (this.type === 'utf8') this.strings.push(v as string);
		else if (this.type === 'bool') {
			if (v) this.values[row >>> 3] = (this.values[row >>> 3] as number) | (1 << (row & 7));
		} else (this.values as unknown as (number | bigint)[])[row] = v as number | bigint;
	}

	build(): ColumnView {
		const length = this.length;
		const validity = this.nulls > 0 ? this.validity.subarray(0, (length + 7) >>> 3) : null;
		if (this.type !== 'utf8') {
			const values =
				this.type === 'bool'
					? this.values.subarray(0, (length + 7) >>> 3)
					: this.values.subarray(0, length);
			return { type: this.type, length, nullCount: this.nulls, validity, offsets: null, values };
		}
		const encoded = this.strings.map((s) => (s === null ? null : encoder.encode(s)));
		const offsets = new Int32Array(length + 1);
		let bytes = 0;
		encoded.forEach((b, i) => (offsets[i + 1] = bytes += b?.length ?? 0));
		const values = new Uint8Array(bytes);
		encoded.forEach((b, i) => b && values.set(b, offsets[i]));
		return { type: 'utf8', length, nullCount: this.nulls, validity, offsets, values };
	}
}

/** Builders for every column of `schema`, and a way to turn them into a batch. */
export class BatchBuilder {
	columns: ColumnBuilder[];

	constructor(
		readonly schema: FrameSchema,
		readonly capacity: number
	) {
		this.columns = schema.types.map((t) => new ColumnBuilder(t, capacity));
	}

	get length(): number {
		return this.columns[0]?.length ?? 0;
	}

	/** The rows so far as a batch; the builder starts over empty. */
	take(): BatchView {
		const view = { length: this.length, columns: this.columns.map((c) => c.build()) };
		this.columns = this.schema.types.map((t) => new ColumnBuilder(t, this.capacity));
		return view;
	}
}
