// Calendar arithmetic on plain numbers (proleptic Gregorian, UTC), so date parts run in tight
// loops without Date objects. Algorithms from Howard Hinnant's "chrono-compatible low-level date
// algorithms". Dates are days since 1970-01-01; timestamps are milliseconds since the epoch.

export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** Days since the epoch of a civil date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const mp = (month + 9) % 12;
	const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** Writes year, month (1..12), day (1..31) or hour (0..23) of each day/ms value into `out`. */
export function datePart(
	part: 'year' | 'month' | 'day' | 'hour',
	values: Float64Array,
	isTimestamp: boolean,
	out: Float64Array,
	n: number
): void {
	if (part === 'hour') {
		for (let i = 0; i < n; i++) {
			const v = isTimestamp ? values[i] : 0;
			out[i] = Math.floor((v - Math.floor(v / MS_PER_DAY) * MS_PER_DAY) / MS_PER_HOUR);
		}
		return;
	}
	for (let i = 0; i < n; i++) {
		const days = isTimestamp ? Math.floor(values[i] / MS_PER_DAY) : values[i];
		if (!Number.isFinite(days)) {
			out[i] = 0;
			continue;
		}
		// Inlined civil() without the object, for the loop.
		const z = days + 719468;
		const era = Math.floor(z / 146097);
		const doe = z - era * 146097;
		const yoe = Math.floor(
			(doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
		);
		const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
		const mp = Math.floor((5 * doy + 2) / 153);
		const month = mp < 10 ? mp + 3 : mp - 9;
		if (part === 'month') out[i] = month;
		else if (part === 'day') out[i] = doy - Math.floor((153 * mp + 2) / 5) + 1;
		else out[i] = yoe + era * 400 + (month <= 2 ? 1 : 0);
	}
}

const DATE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
	/^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?Z?$/;

function validCivil(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) return false;
	const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
	return day <= next - daysFromCivil(year, month, 1);
}

/** Days since the epoch of "YYYY-MM-DD", or undefined when the text is not a real date. */
export function parseDateLiteral(text: string): number | undefined {
	const m = DATE.exec(text.trim());
	if (!m) return undefined;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	return validCivil(year, month, day) ? daysFromCivil(year, month, day) : undefined;
}

/** Milliseconds of "YYYY-MM-DD[(T| )HH:MM[:SS[.sss]]][Z]" read as UTC, or undefined. */
export function parseTimestampLiteral(text: string): number | undefined {
	const m = TIMESTAMP.exec(text.trim());
	if (!m) return undefined;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const [h, min, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
	const ms = Number((m[7] ?? '0').padEnd(3, '0'));
	if (!validCivil(year, month, day) || h > 23 || min > 59 || s > 59) return undefined;
	return daysFromCivil(year, month, day) * MS_PER_DAY + ((h * 60 + min) * 60 + s) * 1000 + ms;
}

// Dates and timestamps as text: the one formatter of every text output.
export { formatDate, formatTimestamp } from '../../runtime/batch/value-text';
