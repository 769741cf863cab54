// Value parsers that read a field straight from its bytes [start, end): no strings, no
// allocation on the common path. Each returns NaN (or false) for text that is not its type, so
// callers test one number. Floats equal JavaScript's Number(text) for every text they accept:
// when the digits form an integer mantissa <= 2^53 (15 significant digits always do) and the
// power of ten is exact in a double, the value is built with one correctly rounded multiply or
// divide (Clinger's fast path); anything else falls back to Number() on an ASCII string. 64-bit integers are written as two little-endian int32 halves
// into an Int32Array that later backs a BigInt64Array/BigUint64Array, so no BigInt is made.

const ZERO = 48;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
/** 10^0 .. 10^22: every one is exact in a double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** ASCII/Latin-1 string of the bytes; error and fallback paths only. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
	let text = '';
	for (let i = start; i < end; i++) text += String.fromCharCode(buf[i]);
	return text;
}

/**
 * Decimal integer `[+-]digits` with at most 15 significant digits, as a number; NaN otherwise.
 * Callers range-check for their width.
 */
export function parseIntBytes(buf: Uint8Array, start: number, end: number): number {
	let i = start;
	let negative = false;
	if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) negative = buf[i++] === MINUS;
	if (i === end) return NaN;
	if (end - i <= 9) {
		// Nine digits stay below 2^31: int32 arithmetic.
		let small = 0;
		for (; i < end; i++) {
			const digit = buf[i] - ZERO;
			if (digit >>> 0 > 9) return NaN;
			small = (small * 10 + digit) | 0;
		}
		return negative ? -small : small;
	}
	while (i < end - 1 && buf[i] === ZERO) i++; // leading zeros are not significant
	if (end - i > 15) return NaN;
	let value = 0;
	for (; i < end; i++) {
		const digit = buf[i] - ZERO;
		if (digit >>> 0 > 9) return NaN;
		value = value * 10 + digit;
	}
	return negative ? -value : value;
}

/**
 * Decimal integer into out[index] (low half) and out[index + 1] (high half), two's complement.
 * Returns false, writing nothing, when the text is not an integer or overflows int64 (uint64
 * when `unsigned`).
 */
export function parseInt64Into(
	buf: Uint8Array,
	start: number,
	end: number,
	out: Int32Array,
	index: number,
	unsigned: boolean
): boolean {
	let i = start;
	let negative = false;
	if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) negative = buf[i++] === MINUS;
	if (i === end || (negative && unsigned)) return false;
	let lo = 0;
	let hi = 0;
	for (; i < end; i++) {
		const digit = buf[i] - ZERO;
		if (digit >>> 0 > 9) return false;
		// lo < 2^32 and hi < 2^32 keep every intermediate below 2^36: exact in a double.
		lo = lo * 10 + digit;
		const carry = Math.floor(lo / TWO_32);
		lo -= carry * TWO_32;
		hi = hi * 10 + carry;
		if (hi >= TWO_32) return false;
	}
	if (!unsigned) {
		const HALF = 2147483648;
		if (negative ? hi > HALF || (hi === HALF && lo > 0) : hi >= HALF) return false;
	}
	if (negative && (lo !== 0 || hi !== 0)) {
		// Two's complement of (hi, lo): invert both halves and add one with carry into hi.
		if (lo === 0) hi = TWO_32 - hi;
		else {
			lo = TWO_32 - lo;
			hi = TWO_32 - 1 - hi;
		}
	}
	out[index] = lo | 0;
	out[index + 1] = hi | 0;
	return true;
}

/** Writes an integral number (|v| < 2^63) as two int32 halves, like parseInt64Into. */
export function writeInt64(value: number, out: Int32Array, index: number): void {
	const hi = Math.floor(value / TWO_32);
	out[index] = (value - hi * TWO_32) | 0;
	out[index + 1] = hi | 0;
}

/** `NaN`, `Infinity`, `+Infinity`, `-Infinity` exactly as Number() spells them; else NaN. */
function parseSpecial(buf: Uint8Array, start: number, end: number): number {
	const text = end - start <= 9 ? latin1(buf, start, end) : '';
	if (text === 'NaN') return NaN;
	if (text === 'Infinity' || text === '+Infinity') return Infinity;
	if (text === '-Infinity') return -Infinity;
	return NaN;
}

/** True when the bytes spell NaN as Number() reads it (tells NaN the value from "not a float"). */
export function isNaNText(buf: Uint8Array, start: number, end: number): boolean {
	return end - start === 3 && buf[start] === 78 && buf[start + 1] === 97 && buf[start + 2] === 78;
}

/**
 * Decimal float `[+-](digits[.digits]|.digits)[(e|E)[+-]digits]`, or NaN/Infinity as Number()
 * spells them. Returns NaN for anything else (tell the two apart with isNaNText).
 */
export function parseFloatBytes(buf: Uint8Array, start: number, end: number): number {
	let i = start;
	let negative = false;
	if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) negative = buf[i++] === MINUS;
	// Digits before and after the point, accumulated into one integer mantissa. While the
	// mantissa stays <= 2^53 every step was exact (it only grows), so no digit counting is needed.
	let mantissa = 0;
	const intStart = i;
	for (; i < end; i++) {
		const digit = buf[i] - ZERO;
		if (digit >>> 0 > 9) break;
		mantissa = mantissa * 10 + digit;
	}
	let digits = i - intStart;
	let exponent = 0;
	if (i < end && buf[i] === DOT) {
		const fracStart = ++i;
		for (; i < end; i++) {
			const digit = buf[i] - ZERO;
			if (digit >>> 0 > 9) break;
			mantissa = mantissa * 10 + digit;
		}
		exponent = fracStart - i;
		digits += i - fracStart;
	}
	if (digits === 0) return parseSpecial(buf, start, end);
	if (i < end && (buf[i] | 32) === 101) {
		i++;
		let expNegative = false;
		if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) expNegative = buf[i++] === MINUS;
		if (i === end) return NaN;
		let written = 0;
		for (; i < end; i++) {
			const digit = buf[i] - ZERO;
			if (digit >>> 0 > 9) return NaN;
			if (written < 100000) written = written * 10 + digit; // beyond: the slow path decides
		}
		exponent += expNegative ? -written : written;
	}
	if (i !== end) return NaN;
	if (!(mantissa < TWO_53)) return Number(latin1(buf, start, end));
	let value: number;
	if (mantissa === 0) value = 0;
	else if (exponent === 0) value = mantissa;
	else if (exponent > 0 && exponent <= 22) value = mantissa * POW10[exponent];
	else if (exponent < 0 && exponent >= -22) value = mantissa / POW10[-exponent];
	else if (exponent > 22 && exponent <= 22 + 15 && mantissa * POW10[exponent - 22] < TWO_53) {
		// The mantissa absorbs the excess power exactly; one rounding remains.
		value = mantissa * POW10[exponent - 22] * POW10[22];
	} else return Number(latin1(buf, start, end));
	return negative ? -value : value;
}

/** `true`/`false` in any case → 1/0; else -1. */
export function parseBoolBytes(buf: Uint8Array, start: number, end: number): number {
	const length = end - start;
	if (length === 4) {
		const t = buf[start] | 32;
		const r = buf[start + 1] | 32;
		const u = buf[start + 2] | 32;
		const e = buf[start + 3] | 32;
		if (t === 116 && r === 114 && u === 117 && e === 101) return 1;
	} else if (length === 5) {
		const f = buf[start] | 32;
		const a = buf[start + 1] | 32;
		const l = buf[start + 2] | 32;
		const s = buf[start + 3] | 32;
		const e = buf[start + 4] | 32;
		if (f === 102 && a === 97 && l === 108 && s === 115 && e === 101) return 0;
	}
	return -1;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100);
	return era * 146097 + dayOfEra + dayOfYear - 719468;
}

function digitsAt(buf: Uint8Array, at: number, count: number): number {
	let value = 0;
	for (let i = at; i < at + count; i++) {
		const digit = buf[i] - ZERO;
		if (digit >>> 0 > 9) return -1;
		value = value * 10 + digit;
	}
	return value;
}

function isLeap(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Bytes the last dateAt call read. */
let dateLength = 0;
const INT32_MAX = 2147483647;

/**
 * A date at buf[start..end): `YYYY-MM-DD`, or with an expanded year (a sign and 4 to 9 digits:
 * `+012000-01-01`, `-000044-03-15`, as value-text.ts writes years outside 0000-9999) → days
 * since the epoch, setting dateLength; NaN if it is not a real date.
 */
function dateAt(buf: Uint8Array, start: number, end: number): number {
	let i = start;
	const signed = i < end && (buf[i] === PLUS || buf[i] === MINUS);
	if (signed) i++;
	const yearStart = i;
	while (i < end && i - yearStart < 10 && (buf[i] - ZERO) >>> 0 <= 9) i++;
	const digits = i - yearStart;
	if (digits < 4 || digits > 9 || (digits > 4 && !signed)) return NaN;
	if (i + 6 > end || buf[i] !== MINUS || buf[i + 3] !== MINUS) return NaN;
	const magnitude = digitsAt(buf, yearStart, digits);
	const year = signed && buf[start] === MINUS ? -magnitude : magnitude;
	const month = digitsAt(buf, i + 1, 2);
	const day = digitsAt(buf, i + 4, 2);
	if (magnitude < 0 || month < 1 || month > 12 || day < 1) return NaN;
	const days = month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
	if (day > days) return NaN;
	dateLength = i + 6 - start;
	return daysFromCivil(year, month, day);
}

/** `YYYY-MM-DD` (or an expanded year) → days since 1970-01-01 (date32); NaN otherwise. */
export function parseDateBytes(buf: Uint8Array, start: number, end: number): number {
	const days = dateAt(buf, start, end);
	if (days !== days || dateLength !== end - start) return NaN;
	return days >= -INT32_MAX - 1 && days <= INT32_MAX ? days : NaN;
}

/**
 * `YYYY-MM-DD[T| ]HH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]` or a bare `YYYY-MM-DD` (years as in
 * parseDateBytes) → ms since the epoch (UTC when no offset is given; the fraction is truncated
 * to ms, which floors: it counts forward from a whole second); NaN otherwise, and NaN beyond
 * ±2^53 ms, where a double is no longer exact.
 */
export function parseTimestampBytes(buf: Uint8Array, start: number, end: number): number {
	const days = dateAt(buf, start, end);
	if (days !== days) return NaN;
	const at = start + dateLength;
	if (at === end) return exactMs(days * 86400000); // a bare date is midnight UTC
	if (end - at < 9) return NaN;
	const sep = buf[at];
	if (sep !== 84 && sep !== 32) return NaN;
	const hh = digitsAt(buf, at + 1, 2);
	const mm = digitsAt(buf, at + 4, 2);
	const ss = digitsAt(buf, at + 7, 2);
	if (buf[at + 3] !== 58 || buf[at + 6] !== 58) return NaN;
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return NaN;
	let i = at + 9;
	let ms = 0;
	if (i < end && buf[i] === DOT) {
		const first = ++i;
		for (; i < end; i++) {
			const digit = buf[i] - ZERO;
			if (digit >>> 0 > 9) break;
			if (i - first < 3) ms = ms * 10 + digit;
		}
		if (i === first || i - first > 9) return NaN;
		for (let k = i - first; k < 3; k++) ms *= 10;
	}
	let offsetMinutes = 0;
	if (i < end && buf[i] === 90) i++;
	else if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) {
		const oh = end - i === 6 && buf[i + 3] === 58 ? digitsAt(buf, i + 1, 2) : -1;
		const om = oh < 0 ? -1 : digitsAt(buf, i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
		offsetMinutes = (buf[i] === MINUS ? -1 : 1) * (oh * 60 + om);
		i = end;
	}
	if (i !== end) return NaN;
	return exactMs(days * 86400000 + ((hh * 60 + mm - offsetMinutes) * 60 + ss) * 1000 + ms);
}

function exactMs(ms: number): number {
	return Number.isSafeInteger(ms) ? ms : NaN;
}
