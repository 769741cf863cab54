// Null tokens and type inference over field bytes. Inference keeps, per column, a bit mask of
// the types every non-null sample value parses as, then picks the narrowest survivor:
// bool < int32 < int64 < float64, date32 < timestamp, else utf8. Integers that overflow int32
// but fit int64 make the column int64 (exact, BigInt64Array); integers beyond int64 make it
// float64. A column with no non-null sample value is utf8.

import type { ColumnType } from '../../runtime/contracts';
import {
	isNaNText,
	parseBoolBytes,
	parseDateBytes,
	parseFloatBytes,
	parseInt64Into,
	parseIntBytes,
	parseTimestampBytes
} from './csv-values';

const SPACE = 32;

export const TYPE_BOOL = 1;
export const TYPE_INT32 = 2;
export const TYPE_INT64 = 4;
export const TYPE_FLOAT64 = 8;
export const TYPE_DATE32 = 16;
export const TYPE_TIMESTAMP = 32;
/** Mask of a column before any value voted. */
export const TYPE_ANY = 63;

const PICK_ORDER: readonly [number, ColumnType][] = [
	[TYPE_BOOL, 'bool'],
	[TYPE_INT32, 'int32'],
	[TYPE_INT64, 'int64'],
	[TYPE_FLOAT64, 'float64'],
	[TYPE_DATE32, 'date32'],
	[TYPE_TIMESTAMP, 'timestamp']
];

/** Recognises null tokens by bytes: a length test and a first-byte table reject most fields. */
export class NullMatcher {
	readonly matchesEmpty: boolean;
	/** Longest token in bytes; longer fields are never null. */
	readonly maxLength: number;
	/**
	 * Some token also parses as a number, bool or date ('0', 'NaN'): typed columns must then test
	 * for null before parsing. Otherwise they parse first and test only the texts that fail.
	 */
	readonly lookLikeValues: boolean;
	private readonly firstBytes = new Uint8Array(256);
	private readonly tokens: Uint8Array[];

	constructor(values: readonly string[]) {
		const encoder = new TextEncoder();
		this.tokens = values.filter((v) => v !== '').map((v) => encoder.encode(v));
		this.matchesEmpty = values.includes('');
		this.maxLength = Math.max(0, ...this.tokens.map((t) => t.length));
		for (const token of this.tokens) this.firstBytes[token[0]] = 1;
		this.lookLikeValues = this.tokens.some((t) => valueTypes(t, 0, t.length) !== 0);
	}

	matches(buf: Uint8Array, start: number, end: number): boolean {
		const length = end - start;
		if (length === 0) return this.matchesEmpty;
		if (length > this.maxLength || this.firstBytes[buf[start]] === 0) return false;
		for (const token of this.tokens) {
			if (token.length !== length) continue;
			let i = 0;
			while (i < length && token[i] === buf[start + i]) i++;
			if (i === length) return true;
		}
		return false;
	}
}

/** First byte of [start, end) that is not a space (numbers, dates and bools allow padding). */
export function trimStart(buf: Uint8Array, start: number, end: number): number {
	while (start < end && buf[start] === SPACE) start++;
	return start;
}

/** End of [start, end) without trailing spaces. */
export function trimEnd(buf: Uint8Array, start: number, end: number): number {
	while (end > start && buf[end - 1] === SPACE) end--;
	return end;
}

const int64Scratch = new Int32Array(2);

/** The types a trimmed, non-null value parses as (0 = only utf8). */
export function valueTypes(buf: Uint8Array, start: number, end: number): number {
	if (parseBoolBytes(buf, start, end) >= 0) return TYPE_BOOL;
	const small = parseIntBytes(buf, start, end);
	if (small === small) {
		const fits32 = small >= -2147483648 && small <= 2147483647;
		return (fits32 ? TYPE_INT32 : 0) | TYPE_INT64 | TYPE_FLOAT64;
	}
	if (parseInt64Into(buf, start, end, int64Scratch, 0, false)) return TYPE_INT64 | TYPE_FLOAT64;
	const float = parseFloatBytes(buf, start, end);
	if (float === float || isNaNText(buf, start, end)) return TYPE_FLOAT64;
	const days = parseDateBytes(buf, start, end);
	if (days === days) return TYPE_DATE32 | TYPE_TIMESTAMP;
	const ms = parseTimestampBytes(buf, start, end);
	return ms === ms ? TYPE_TIMESTAMP : 0;
}

/** Column type for a mask; `voted` false (only nulls seen) gives utf8. */
export function pickType(mask: number, voted: boolean): ColumnType {
	if (!voted) return 'utf8';
	for (const [bit, type] of PICK_ORDER) if (mask & bit) return type;
	return 'utf8';
}
