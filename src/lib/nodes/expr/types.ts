import type { ColumnType } from '../../runtime/contracts';

/** A column the expression may reference, in the order the batch carries them. */
export interface ExprField {
	name: string;
	type: ColumnType;
}

/**
 * The input columns as two parallel lists (a FrameSchema is one): what an expression is
 * checked against without building a field object per column, so a node downstream of
 * thousands of columns costs nothing per column it does not read.
 */
export interface ExprFields {
	readonly names: readonly string[];
	readonly types: readonly ColumnType[];
}

/** `fields` as parallel lists (copies a field list; returns a schema as it is). */
export function exprFields(fields: readonly ExprField[] | ExprFields): ExprFields {
	if (!Array.isArray(fields)) return fields as ExprFields;
	const list = fields as readonly ExprField[];
	return { names: list.map((f) => f.name), types: list.map((f) => f.type) };
}

/** The type of an expression's value. 'null' is the type of an expression that is always null. */
export type ExprType = 'int' | 'float' | 'bool' | 'string' | 'date' | 'timestamp' | 'null';

/** A problem in the source text: [start, end) are character offsets, for underlining. */
export interface ExprError {
	message: string;
	start: number;
	end: number;
}

/** How a column type looks to expressions. */
export function exprTypeOf(type: ColumnType): ExprType {
	switch (type) {
		case 'float32':
		case 'float64':
			return 'float';
		case 'bool':
			return 'bool';
		case 'utf8':
			return 'string';
		case 'date32':
			return 'date';
		case 'timestamp':
			return 'timestamp';
		default:
			return 'int';
	}
}

/**
 * The column type a derived value is written as. Integers are int64 because arithmetic on
 * int32 columns can leave the int32 range; an always-null expression becomes an all-null bool
 * column (the narrowest layout).
 */
export function outputColumnTypeOf(type: ExprType): ColumnType {
	switch (type) {
		case 'int':
			return 'int64';
		case 'float':
			return 'float64';
		case 'string':
			return 'utf8';
		case 'date':
			return 'date32';
		case 'timestamp':
			return 'timestamp';
		default:
			return 'bool';
	}
}

/** Types carried as a Float64Array of numbers while evaluating (dates as days, timestamps as ms). */
export function isNumeric(type: ExprType): boolean {
	return type === 'int' || type === 'float' || type === 'date' || type === 'timestamp';
}

export function isTemporal(type: ExprType): boolean {
	return type === 'date' || type === 'timestamp';
}
