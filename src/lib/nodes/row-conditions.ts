// Conditions every row a filter keeps satisfies, in a form a source can test against what it
// knows of a stretch of rows before reading it (a Parquet row group's min/max statistics):
// comparisons of one column with constants, and null tests. A filter names the ones its
// predicate implies (`rowConditions`); nodes that pass rows on with some columns unchanged
// (`carriesRows`) let them reach the source (compiler/conditions.ts). Skipping rows this way is
// an optimisation only: the filter still runs on every row that is read.

/** A constant as the expression compares it: numbers (ints as their nearest double), text, bools. */
export type ConditionValue = number | string | boolean;

interface OnColumn {
	column: string;
	/**
	 * The column's values times this are compared (a date column, in days, compared with a
	 * timestamp constant in ms has 86 400 000); absent: 1.
	 */
	scale?: number;
}

export type ColumnCondition =
	| (OnColumn & { op: '=' | '<' | '<=' | '>' | '>='; value: ConditionValue })
	| (OnColumn & { op: 'in'; values: ConditionValue[] })
	| (OnColumn & { op: 'null' })
	| (OnColumn & { op: 'not-null' });

/** "x > 5", "region in ('a', 'b')", "day is null": for the plan's explanation. */
export function conditionText(c: ColumnCondition): string {
	const show = (v: ConditionValue) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
	const column = c.scale ? `${c.column} × ${c.scale}` : c.column;
	switch (c.op) {
		case 'null':
			return `${column} is null`;
		case 'not-null':
			return `${column} is not null`;
		case 'in':
			return `${column} in (${c.values.map(show).join(', ')})`;
		default:
			return `${column} ${c.op === '=' ? '==' : c.op} ${show(c.value)}`;
	}
}

/** Every column carried as it is (a filter, a sort): `carriesRows` of a node that keeps columns. */
export function sameColumns(names: readonly string[], except?: string): Map<string, string> {
	return new Map(names.filter((n) => n !== except).map((n) => [n, n]));
}

/** The same condition on another column name (a column renamed on the way). */
export function renamed(c: ColumnCondition, column: string): ColumnCondition {
	return { ...c, column };
}
