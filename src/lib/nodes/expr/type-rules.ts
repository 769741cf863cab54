// Typing rules shared by the checker: which argument kinds accept which types, the common type
// of two branches, and what each function returns.

import type { ParamKind } from './functions';
import type { CheckedType, OpName } from './typed';
import { isTemporal, type ExprType } from './types';

export const KIND_TEXT: Record<ParamKind, string> = {
	number: 'a number',
	int: 'an int',
	string: 'a string',
	temporal: 'a date or timestamp',
	bool: 'a bool',
	any: 'a value'
};

export const isNumber = (t: CheckedType) => t === 'int' || t === 'float';

/** Whether a value of type t may be passed where `kind` is expected (null always may). */
export function fits(kind: ParamKind, t: CheckedType): boolean {
	if (t === 'null' || kind === 'any') return true;
	if (kind === 'number') return isNumber(t);
	if (kind === 'temporal') return isTemporal(t as ExprType);
	return kind === (t === 'int' ? 'int' : t);
}

/** The type two values of a conditional or min/max share, or undefined when there is none. */
export function join(a: ExprType, b: ExprType): ExprType | undefined {
	if (a === 'null' || a === b) return b;
	if (b === 'null') return a;
	if (isNumber(a) && isNumber(b)) return 'float';
	if (isTemporal(a) && isTemporal(b)) return 'timestamp';
	return undefined;
}

/** What a function returns (other than if, coalesce, min, max, concat), given its first argument. */
export function resultType(name: OpName, first: ExprType): ExprType {
	switch (name) {
		case 'lower':
		case 'upper':
		case 'trim':
		case 'substring':
			return 'string';
		case 'contains':
		case 'starts_with':
		case 'ends_with':
			return 'bool';
		case 'abs':
		case 'round':
		case 'floor':
		case 'ceil':
			return first === 'null' ? 'int' : first;
		case 'sqrt':
		case 'log':
		case 'exp':
		case 'pow':
			return 'float';
		default:
			return 'int';
	}
}
