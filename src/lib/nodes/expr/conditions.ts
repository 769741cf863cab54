// The column conditions a filter's predicate implies (nodes/row-conditions.ts): the terms of its
// top-level `and` that compare a column with a constant (`==`, `<`, `<=`, `>`, `>=`, `in (…)`)
// or test it for null. Constants are read as the checker reads them (checker.ts): a string
// compared with a date or timestamp column is a date or a timestamp, an int is its nearest
// double. Terms it cannot express (`or`, `!=`, `not`, functions, two columns) are left out:
// fewer conditions only means fewer row groups skipped.
import type { FrameSchema } from '../../runtime/batch/types';
import type { ColumnCondition, ConditionValue } from '../row-conditions';
import type { Expr } from './ast';
import { MS_PER_DAY, parseDateLiteral, parseTimestampLiteral } from './dates';
import { parseExpression } from './parser';

const FLIP = { '==': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
const SAME = { '==': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;
type Compare = keyof typeof SAME;

/** A constant read for a column of `type`, and the scale the column then needs; null if none. */
function constant(e: Expr, type: string): { value: ConditionValue; scale?: number } | null {
	let negate = false;
	if (e.kind === 'unary' && e.op === '-') {
		negate = true;
		e = e.operand;
	}
	if (e.kind !== 'literal') return null;
	const numeric = /^(u?int|float)/.test(type);
	if (numeric && (e.type === 'int' || e.type === 'float')) {
		const n = e.value as number;
		return { value: negate ? -n : n };
	}
	if (negate || e.type !== 'string') {
		return type === 'bool' && e.type === 'bool' && !negate ? { value: e.value as boolean } : null;
	}
	const text = e.value as string;
	if (type === 'utf8') return { value: text };
	if (type === 'date32') {
		const days = parseDateLiteral(text);
		if (days !== undefined) return { value: days };
		const ms = parseTimestampLiteral(text);
		return ms === undefined ? null : { value: ms, scale: MS_PER_DAY };
	}
	if (type === 'timestamp') {
		const ms = parseTimestampLiteral(text);
		return ms === undefined ? null : { value: ms };
	}
	return null;
}

function term(e: Expr, input: FrameSchema): ColumnCondition | null {
	const typeOf = (c: Expr) =>
		c.kind === 'column' && input.names.includes(c.name)
			? input.types[input.names.indexOf(c.name)]
			: null;
	if (e.kind === 'isNull') {
		if (e.operand.kind !== 'column' || typeOf(e.operand) === null) return null;
		return { column: e.operand.name, op: e.negated ? 'not-null' : 'null' };
	}
	if (e.kind === 'in') {
		const type = typeOf(e.value);
		if (e.negated || type === null || e.value.kind !== 'column') return null;
		const items = e.items.map((item) => constant(item, type));
		if (items.some((c) => c === null)) return null;
		const scale = items[0]?.scale;
		if (items.some((c) => c!.scale !== scale)) return null;
		const values = items.map((c) => c!.value);
		return { column: e.value.name, op: 'in', values, ...(scale ? { scale } : {}) };
	}
	if (e.kind !== 'binary' || !(e.op in SAME)) return null;
	const op = e.op as Compare;
	for (const [col, lit, symbol] of [
		[e.left, e.right, SAME[op]],
		[e.right, e.left, FLIP[op]]
	] as const) {
		const type = typeOf(col);
		if (type === null || col.kind !== 'column') continue;
		if (type === 'bool' && symbol !== '=') return null;
		const c = constant(lit, type);
		if (c === null) return null;
		return { column: col.name, op: symbol, value: c.value, ...(c.scale ? { scale: c.scale } : {}) };
	}
	return null;
}

/** The conditions `source` (a predicate that type-checks against `input`) implies. */
export function columnConditions(source: string, input: FrameSchema): ColumnCondition[] {
	const parsed = parseExpression(source);
	if ('error' in parsed) return [];
	const out: ColumnCondition[] = [];
	const walk = (e: Expr) => {
		if (e.kind === 'binary' && e.op === 'and') {
			walk(e.left);
			walk(e.right);
			return;
		}
		const c = term(e, input);
		if (c) out.push(c);
	};
	walk(parsed.ast);
	return out;
}
