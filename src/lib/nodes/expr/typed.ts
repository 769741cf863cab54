// The checked, typed tree the checker hands to the compiler. Operands already have the types
// their operator needs: null literals carry the type of their context, dates compared with
// timestamps are wrapped in 'to_ts', date literals are numbers, concat arguments are text.

import type { ExprType } from './types';

/** 'error' marks a subtree that already produced a message, so no second message cascades. */
export type CheckedType = ExprType | 'error';

export type OpName =
	| 'neg'
	| 'add'
	| 'sub'
	| 'mul'
	| 'div'
	| 'mod'
	| 'eq'
	| 'ne'
	| 'lt'
	| 'le'
	| 'gt'
	| 'ge'
	| 'and'
	| 'or'
	| 'not'
	| 'isnull'
	| 'isnotnull'
	/** `x in (a, b, ...)`: true when any argument (each an `eq` test of x) is; n-ary, never nested */
	| 'in'
	/** date (days) -> timestamp (ms) */
	| 'to_ts'
	/** any value -> its text, for concat */
	| 'to_text'
	| 'if'
	| 'coalesce'
	| 'lower'
	| 'upper'
	| 'length'
	| 'contains'
	| 'starts_with'
	| 'ends_with'
	| 'concat'
	| 'substring'
	| 'trim'
	| 'abs'
	| 'round'
	| 'floor'
	| 'ceil'
	| 'sqrt'
	| 'log'
	| 'exp'
	| 'pow'
	| 'min'
	| 'max'
	| 'year'
	| 'month'
	| 'day'
	| 'hour';

export type ConstValue = number | boolean | string | null;

export type TNode =
	| { k: 'const'; type: CheckedType; value: ConstValue; big?: bigint }
	| { k: 'col'; type: CheckedType; index: number }
	| { k: 'op'; type: CheckedType; op: OpName; args: TNode[] };

export const ERROR_NODE: TNode = { k: 'const', type: 'error', value: null };

export function constant(type: CheckedType, value: ConstValue): TNode {
	return { k: 'const', type, value };
}

export function op(type: CheckedType, name: OpName, ...args: TNode[]): TNode {
	return { k: 'op', type, op: name, args };
}
