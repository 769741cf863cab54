// The text of one value, for every place that prints values: CSV export, the table view, the
// CLI's text tables, statistics, edge peeks, chart labels, casts to utf8 and concat(). One
// formatter, so a value reads the same everywhere and what is written reads back equal.
//
// Dates and timestamps: ISO 8601, proleptic Gregorian, UTC. Years 0000–9999 have four digits;
// others the expanded form with a sign and at least six digits (+012000-01-01, -000044-03-15),
// as JavaScript's toISOString writes them — but computed here from the day number (Howard
// Hinnant's civil_from_days), so every date32 (±5.8 million years) and every timestamp
// (int64 milliseconds, ±292 million years, exact from a bigint) has its text, where a Date
// stops at ±275 760 years. Timestamps: YYYY-MM-DDTHH:MM:SS.sssZ.
// 64-bit integers are printed from their bigint, digit for digit (18446744073709551615), never
// through a double. Floats are the shortest text that reads back to the same double (-0 as -0).
import type { ColumnType } from '../contracts';

export const MS_PER_DAY = 86_400_000;
const MS_PER_DAY_BIG = 86_400_000n;

/** [year, month 1..12, day 1..31] of a day number (days since 1970-01-01). */
export function civilFromDays(days: number): [number, number, number] {
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor(
		(doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
	);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad = (v: number, width: number): string => String(v).padStart(width, '0');

/** "2024", "0044", "+012000", "-000044". */
export function formatYear(year: number): string {
	if (year >= 0 && year <= 9999) return pad(year, 4);
	return (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
}

/** "YYYY-MM-DD" of a day number. */
export function formatDate(days: number): string {
	const [y, m, d] = civilFromDays(Math.floor(days));
	return `${formatYear(y)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** How much of a timestamp's time of day is written. */
export type TimePrecision = 'ms' | 'minutes';

/** "YYYY-MM-DDTHH:MM:SS.sssZ" of milliseconds since the epoch (a bigint is exact at any size). */
export function formatTimestamp(ms: number | bigint, precision: TimePrecision = 'ms'): string {
	let days: number;
	let rest: number;
	if (typeof ms === 'bigint') {
		let q = ms / MS_PER_DAY_BIG;
		if (ms % MS_PER_DAY_BIG < 0n) q -= 1n;
		days = Number(q);
		rest = Number(ms - q * MS_PER_DAY_BIG);
	} else {
		const whole = Math.floor(ms);
		days = Math.floor(whole / MS_PER_DAY);
		rest = whole - days * MS_PER_DAY;
	}
	const h = Math.floor(rest / 3_600_000);
	rest -= h * 3_600_000;
	const min = Math.floor(rest / 60_000);
	rest -= min * 60_000;
	const s = Math.floor(rest / 1000);
	const day = `${formatDate(days)}T${pad(h, 2)}:${pad(min, 2)}`;
	return precision === 'minutes' ? day : `${day}:${pad(s, 2)}.${pad(rest - s * 1000, 3)}Z`;
}

/** A value as stored (valueAt) or as a table cell: a number, bigint, boolean or string. */
export type PlainValue = number | bigint | boolean | string;

/**
 * The text of a non-null value of a `type` column: dates and timestamps in ISO form, 64-bit
 * integers exact, floats shortest round-trip (-0 kept), bools true/false, text as it is.
 */
export function valueText(type: ColumnType, value: PlainValue): string {
	switch (type) {
		case 'date32':
			return formatDate(Number(value));
		case 'timestamp':
			return typeof value === 'bigint' || typeof value === 'number'
				? formatTimestamp(value)
				: String(value);
		case 'float32':
		case 'float64':
			return Object.is(value, -0) ? '-0' : String(value);
		default:
			return String(value);
	}
}
