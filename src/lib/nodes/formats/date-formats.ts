// Dates and timestamps in the text forms people write, for the CSV and JSON sources: inference
// recognises them, and a `types` override can name one ("timestamp:%Y/%m/%d %H:%M").
//
// A format is a strftime-like pattern: %Y year (4 digits, or a sign and 4-9), %m month and %d
// day (1 or 2 digits), %b or %B a month name in English (Jun or June, any case), %H hour
// (0-23), %M minute, %S second, %f a fraction of a second (1-9 digits, floored to the ms),
// %z a zone (Z, +HH, +HH:MM or +HHMM), %% a percent sign; a space matches one or more spaces,
// anything else itself. Times are UTC unless %z gives a zone. A date-only pattern read into a
// timestamp column also takes an optional time after it: `[ T]HH:MM[:SS[.fff]][zone]`.
//
// Inference tries ISO first (csv-values.ts), then DATE_PATTERNS in order; a column takes the
// first pattern that every non-empty sampled value of it parses with, and becomes a timestamp
// if any of those values has a time, else a date. The ambiguous `12/06/1998` is read month
// first (December 6, the US form `%m/%d/%Y`) unless a value in the column proves it day first
// (`25/06/1998` fails %m/%d/%Y, so only `%d/%m/%Y` is left: the column reads June 12). A later value that
// does not parse with the column's pattern is a bad value, under the source's bad-rows rule.
import { daysFromCivil } from '../expr/dates';

/** The patterns inference tries after ISO, in order (month first before day first). */
export const DATE_PATTERNS: readonly string[] = [
	'%Y-%m-%d',
	'%Y/%m/%d',
	'%m/%d/%Y',
	'%d/%m/%Y',
	'%d.%m.%Y',
	'%b %d %Y',
	'%b %d, %Y',
	'%d %b %Y',
	'%d-%b-%Y'
];

const MONTHS = [
	'january',
	'february',
	'march',
	'april',
	'may',
	'june',
	'july',
	'august',
	'september',
	'october',
	'november',
	'december'
];

type Token =
	{ kind: 'field'; field: string } | { kind: 'literal'; byte: number } | { kind: 'space' };

export interface DateFormat {
	readonly pattern: string;
	readonly tokens: readonly Token[];
	/** The pattern has no time field (%H): a timestamp column allows a time after it. */
	readonly dateOnly: boolean;
}

const FIELDS = new Set(['Y', 'm', 'd', 'b', 'B', 'H', 'M', 'S', 'f', 'z']);

/** The format of `pattern`; a RangeError naming what is wrong. */
export function compileDateFormat(pattern: string): DateFormat {
	const tokens: Token[] = [];
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '%') {
			const f = pattern[++i];
			if (f === '%') tokens.push({ kind: 'literal', byte: 37 });
			else if (f !== undefined && FIELDS.has(f)) tokens.push({ kind: 'field', field: f });
			else
				throw new RangeError(
					`date format '${pattern}': %${f ?? ''} is not a field (use %Y %m %d %b %H %M %S %f %z)`
				);
		} else if (c === ' ') tokens.push({ kind: 'space' });
		else if (c.charCodeAt(0) < 128) tokens.push({ kind: 'literal', byte: c.charCodeAt(0) });
		else throw new RangeError(`date format '${pattern}': '${c}' is not ASCII`);
	}
	const has = (f: string) => tokens.some((t) => t.kind === 'field' && t.field === f);
	if (!has('Y') || !has('d') || !(has('m') || has('b') || has('B')))
		throw new RangeError(
			`date format '${pattern}' needs a year (%Y), a month (%m or %b) and a day (%d)`
		);
	return { pattern, tokens, dateOnly: !has('H') };
}

const digit = (b: number) => (b - 48) >>> 0 <= 9;

/** Parse state, reused (one thread reads at a time). */
const at = { i: 0 };

function number(buf: Uint8Array, end: number, min: number, max: number): number {
	let i = at.i;
	let value = 0;
	while (i < end && i - at.i < max && digit(buf[i])) value = value * 10 + buf[i++] - 48;
	if (i - at.i < min) return -1;
	at.i = i;
	return value;
}

/** Month names as lowercase bytes. */
const MONTH_BYTES = MONTHS.map((m) => Array.from(m, (c) => c.charCodeAt(0)));

/** A month name at `at.i` (its first 3 letters, 'sept', or all of it, any case): 1-12, or -1. */
function monthName(buf: Uint8Array, end: number): number {
	let n = 0;
	while (at.i + n < end && n < 10 && ((buf[at.i + n] | 32) - 97) >>> 0 < 26) n++;
	if (n < 3 || n > 9) return -1;
	for (let m = 0; m < 12; m++) {
		const name = MONTH_BYTES[m];
		if (n !== 3 && n !== name.length && !(m === 8 && n === 4)) continue;
		let k = 0;
		while (k < n && k < name.length && (buf[at.i + k] | 32) === name[k]) k++;
		if (k === n) {
			at.i += n;
			return m + 1;
		}
	}
	return -1;
}

/** A zone at `at.i`: minutes east of UTC, or NaN. */
function zone(buf: Uint8Array, end: number): number {
	if (buf[at.i] === 90) {
		at.i++;
		return 0;
	}
	const sign = buf[at.i] === 43 ? 1 : buf[at.i] === 45 ? -1 : 0;
	if (sign === 0) return NaN;
	at.i++;
	const h = number(buf, end, 2, 2);
	if (buf[at.i] === 58) at.i++;
	const m = at.i < end ? number(buf, end, 2, 2) : 0;
	if (h < 0 || h > 23 || m < 0 || m > 59) return NaN;
	return sign * (h * 60 + m);
}

/** Fraction digits at `at.i` as ms (floored). */
function fraction(buf: Uint8Array, end: number): number {
	const first = at.i;
	let ms = 0;
	while (at.i < end && digit(buf[at.i])) {
		if (at.i - first < 3) ms = ms * 10 + buf[at.i] - 48;
		at.i++;
	}
	const n = at.i - first;
	if (n === 0 || n > 9) return -1;
	for (let k = n; k < 3; k++) ms *= 10;
	return ms;
}

/**
 * Milliseconds since the epoch of the text in buf[start, end) read with `format`, and
 * `hasTime` set when it held a time; NaN when it does not parse (or is not a real date).
 * `allowTime`: a date-only format also takes an optional time after the date.
 */
export function parseWithFormat(
	format: DateFormat,
	buf: Uint8Array,
	start: number,
	end: number,
	allowTime: boolean
): number {
	at.i = start;
	let year = NaN;
	let month = -1;
	let day = -1;
	let h = 0;
	let min = 0;
	let s = 0;
	let ms = 0;
	let offset = 0;
	parsed.hasTime = false;
	for (const t of format.tokens) {
		if (t.kind === 'space') {
			if (buf[at.i] !== 32) return NaN;
			while (at.i < end && buf[at.i] === 32) at.i++;
			continue;
		}
		if (t.kind === 'literal') {
			if (buf[at.i] !== t.byte) return NaN;
			at.i++;
			continue;
		}
		switch (t.field) {
			case 'Y': {
				const sign = buf[at.i] === 45 ? -1 : buf[at.i] === 43 ? 1 : 0;
				if (sign !== 0) at.i++;
				const first = at.i;
				const v = number(buf, end, 4, sign !== 0 ? 9 : 4);
				if (v < 0 || (sign === 0 && at.i - first !== 4)) return NaN;
				year = sign < 0 ? -v : v;
				break;
			}
			case 'm':
				month = number(buf, end, 1, 2);
				break;
			case 'd':
				day = number(buf, end, 1, 2);
				break;
			case 'b':
			case 'B':
				month = monthName(buf, end);
				break;
			case 'H':
				h = number(buf, end, 1, 2);
				parsed.hasTime = true;
				break;
			case 'M':
				min = number(buf, end, 2, 2);
				break;
			case 'S':
				s = number(buf, end, 2, 2);
				break;
			case 'f':
				ms = fraction(buf, end);
				break;
			case 'z':
				offset = zone(buf, end);
				break;
		}
	}
	if (allowTime && format.dateOnly && at.i < end && (buf[at.i] === 32 || buf[at.i] === 84)) {
		at.i++;
		h = number(buf, end, 1, 2);
		if (buf[at.i++] !== 58) return NaN;
		min = number(buf, end, 2, 2);
		if (at.i < end && buf[at.i] === 58) {
			at.i++;
			s = number(buf, end, 2, 2);
			if (at.i < end && buf[at.i] === 46) {
				at.i++;
				ms = fraction(buf, end);
			}
		}
		if (at.i < end) offset = zone(buf, end);
		parsed.hasTime = true;
	}
	if (at.i !== end || offset !== offset) return NaN;
	if (month < 1 || month > 12 || day < 1 || day > 31 || h < 0 || h > 23) return NaN;
	if (min < 0 || min > 59 || s < 0 || s > 59 || ms < 0) return NaN;
	const days = daysFromCivil(year, month, day);
	// A day past the month's end (31 June) would roll over: refuse it.
	if (daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) <= days)
		return NaN;
	const total = days * 86_400_000 + ((h * 60 + min - offset) * 60 + s) * 1000 + ms;
	return Number.isSafeInteger(total) ? total : NaN;
}

/** What the last parseWithFormat call saw besides its value. */
export const parsed = { hasTime: false };

/** The compiled DATE_PATTERNS (inference tries them in this order). */
export const INFERRED_FORMATS: readonly DateFormat[] = DATE_PATTERNS.map(compileDateFormat);

/**
 * Bit i set when the value parses with INFERRED_FORMATS[i] (a date-time allowed after it);
 * `parsed.hasTime` is then whether any matching reading had a time.
 */
export function matchingFormats(buf: Uint8Array, start: number, end: number, mask: number): number {
	let out = 0;
	let time = false;
	for (let i = 0; i < INFERRED_FORMATS.length; i++) {
		if ((mask & (1 << i)) === 0) continue;
		const ms = parseWithFormat(INFERRED_FORMATS[i], buf, start, end, true);
		if (ms === ms) {
			out |= 1 << i;
			time ||= parsed.hasTime;
		}
	}
	parsed.hasTime = time;
	return out;
}

const encoder = new TextEncoder();

/** A string read with `format` (JSON values): ms (timestamp) or days (date32); NaN if not. */
export function parseTextWithFormat(format: DateFormat, text: string, timestamp: boolean): number {
	const bytes = encoder.encode(text.trim());
	const ms = parseWithFormat(format, bytes, 0, bytes.length, timestamp);
	return timestamp ? ms : Math.floor(ms / 86_400_000);
}

/** matchingFormats over a string. */
export function matchingTextFormats(text: string, mask: number): number {
	const bytes = encoder.encode(text.trim());
	return matchingFormats(bytes, 0, bytes.length, mask);
}

/** A `types` override: "date32", "timestamp:%Y/%m/%d %H:%M", … → its type and pattern. */
export function splitTypeFormat(text: string): { type: string; format: string | null } {
	const colon = text.indexOf(':');
	if (colon < 0) return { type: text, format: null };
	return { type: text.slice(0, colon), format: text.slice(colon + 1) };
}
