// Whether a row group's footer statistics prove that no row of it can pass a filter's
// conditions (nodes/row-conditions.ts), so the source need not read it. Only ever an
// optimisation: when in doubt, the group is read (the filter then drops its rows itself).
//
// What is trusted: `min_value` / `max_value` (the fields whose order the format defines: signed
// or unsigned by the column's annotation, strings by unsigned bytes — the expression's
// code-point order) and `null_count`. The deprecated `min` / `max`, written by old writers in
// signed byte order whatever the type, are never read. hyparquet converts the values with the
// parsers the source reads rows with (PARQUET_PARSERS), so timestamps of any unit are floored
// to milliseconds and dates are day numbers, exactly as the rows are: a bound stays a bound.
// Left alone (never skip on them): decimals and float16 (converted by other arithmetic than the
// rows'), INT96, UUID and anything not a number, bigint, bool or valid text; NaN bounds; text
// bounds holding U+FFFD (a writer may truncate a bound inside a character).
import type { FileMetaData, SchemaElement } from 'hyparquet';
import type { ColumnCondition, ConditionValue } from '../row-conditions';

type RowGroup = FileMetaData['row_groups'][number];

/** -1, 0, 1 by Unicode code point (the expression's order for text). */
function compareText(a: string, b: string): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		const x = a.codePointAt(i)!;
		const y = b.codePointAt(i)!;
		if (x !== y) return x < y ? -1 : 1;
		if (x > 0xffff) i++;
	}
	return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compare(a: number | string, b: number | string): number {
	if (typeof a === 'string') return compareText(a, b as string);
	return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
}

/** Whether min/max of a column with this schema element can be trusted. */
function boundsUsable(element: SchemaElement): boolean {
	const logical = element.logical_type?.type;
	if (element.converted_type === 'DECIMAL' || logical === 'DECIMAL') return false;
	if (logical === 'FLOAT16' || logical === 'UUID' || element.type === 'INT96') return false;
	return element.type !== 'FIXED_LEN_BYTE_ARRAY';
}

/** A statistic as a comparable value of the condition's kind, or null when unusable. */
function bound(v: unknown, like: ConditionValue, scale: number): number | string | null {
	if (typeof like === 'string') return typeof v === 'string' && !v.includes('\uFFFD') ? v : null;
	if (typeof like === 'boolean') return typeof v === 'boolean' ? Number(v) : null;
	const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
	return Number.isNaN(n) ? null : n * scale;
}

const comparable = (v: ConditionValue): number | string => (typeof v === 'boolean' ? Number(v) : v);

/** Whether the statistics prove no row of `rows` satisfies `c`. */
function excludes(
	c: ColumnCondition,
	stats: NonNullable<NonNullable<RowGroup['columns'][number]['meta_data']>['statistics']>,
	rows: number,
	element: SchemaElement
): boolean {
	const nulls = stats.null_count === undefined ? undefined : Number(stats.null_count);
	if (c.op === 'null') return nulls === 0;
	// Every row null: no comparison holds, and `is not null` neither.
	if (nulls !== undefined && nulls >= rows) return true;
	if (c.op === 'not-null') return false;
	if (!boundsUsable(element)) return false;
	const values = c.op === 'in' ? c.values : [c.value];
	if (values.length === 0) return true;
	const scale = c.scale ?? 1;
	const min = bound(stats.min_value, values[0], scale);
	const max = bound(stats.max_value, values[0], scale);
	if (min === null || max === null) return false;
	const v = comparable(values[0]);
	switch (c.op) {
		case '<':
			return compare(min, v) >= 0;
		case '<=':
			return compare(min, v) > 0;
		case '>':
			return compare(max, v) <= 0;
		case '>=':
			return compare(max, v) < 0;
		default:
			return values.every((x) => {
				const w = comparable(x);
				return compare(w, min) < 0 || compare(w, max) > 0;
			});
	}
}

/**
 * The first condition the group's statistics prove no row satisfies, or null when any row
 * might (or the statistics are missing): the group can be skipped only in the first case.
 */
export function ruledOutBy(
	group: RowGroup,
	conditions: readonly ColumnCondition[],
	elements: ReadonlyMap<string, SchemaElement>
): ColumnCondition | null {
	const rows = Number(group.num_rows);
	if (rows === 0) return null;
	for (const c of conditions) {
		const element = elements.get(c.column);
		const chunk = group.columns.find(
			(k) => k.meta_data?.path_in_schema.length === 1 && k.meta_data.path_in_schema[0] === c.column
		);
		const stats = chunk?.meta_data?.statistics;
		if (!element || !stats) continue;
		if (excludes(c, stats, rows, element)) return c;
	}
	return null;
}
