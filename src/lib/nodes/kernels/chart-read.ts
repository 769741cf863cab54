// Reading chart values from raw column views: numbers from every numeric, date and timestamp
// type (dates and timestamps as ms since the epoch, so both plot on one time axis), labels from
// any type. int64, uint64 and timestamp are read as JS numbers (exact up to 2^53).
import type { ColumnType, ColumnView } from '../../runtime/contracts';
import { isNullAt, valueAt } from '../../runtime/batch/values';
import { valueText } from '../../runtime/batch/value-text';

const DAY_MS = 86_400_000;

/** Whether a column of this type can be read as a number (ints, floats, dates, timestamps). */
export function isPlottable(type: ColumnType): boolean {
	return type !== 'utf8' && type !== 'bool';
}

/** Row r of a numeric, date32 or timestamp column as a number, or null. */
export function numberAt(col: ColumnView, row: number): number | null {
	if (isNullAt(col, row)) return null;
	const value = col.values[row];
	if (typeof value === 'bigint') return Number(value);
	return col.type === 'date32' ? value * DAY_MS : value;
}

/** Row r of any column as a category label, or null. */
export function labelAt(col: ColumnView, row: number): string | null {
	const value = valueAt(col, row);
	if (value === null) return null;
	return valueText(col.type, value);
}
