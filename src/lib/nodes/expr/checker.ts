// Type-checks a syntax tree against the input fields and produces the typed tree (typed.ts).
// Collects every error it can find (one per problem, no cascades) with the position to underline.

import type { BinaryExpr, CallExpr, Expr, InExpr, LiteralExpr } from './ast';
import { parseDateLiteral, parseTimestampLiteral } from './dates';
import { FUNCTIONS, arityText, findFunction } from './functions';
import { describeOperand, exprMessages as msg } from './messages';
import { INT64_MAX } from './int64';
import { closestName } from './suggest';
import { KIND_TEXT, fits, isNumber, join, resultType } from './type-rules';
import { ERROR_NODE, constant, op, type CheckedType, type OpName, type TNode } from './typed';
import { exprTypeOf, isTemporal, type ExprError, type ExprFields, type ExprType } from './types';

interface Checked {
	node: TNode;
	type: CheckedType;
	ast: Expr;
}

const ARITHMETIC: Record<string, OpName> = {
	'+': 'add',
	'-': 'sub',
	'*': 'mul',
	'/': 'div',
	'%': 'mod'
};
const COMPARE: Record<string, OpName> = {
	'==': 'eq',
	'!=': 'ne',
	'<': 'lt',
	'<=': 'le',
	'>': 'gt',
	'>=': 'ge'
};
const FUNCTION_NAMES = FUNCTIONS.map((f) => f.name);

const isNullLiteral = (e: Expr) => e.kind === 'literal' && e.type === 'null';
const isStringLiteral = (c: Checked) => c.ast.kind === 'literal' && c.ast.type === 'string';
const literalText = (c: Checked) => (c.ast as LiteralExpr).value as string;
const isNumberText = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));

/** The node as a value of `type`: nulls take the type, dates widen to timestamps. */
/** One `to_ts` per date operand, so `d in (...)` compiles its operand once for every item. */
const asTimestamp = new WeakMap<TNode, TNode>();

function retype(c: Checked, type: ExprType): TNode {
	if (c.type === 'null') return constant(type, null);
	if (c.type === 'date' && type === 'timestamp') {
		let node = asTimestamp.get(c.node);
		if (!node) asTimestamp.set(c.node, (node = op('timestamp', 'to_ts', c.node)));
		return node;
	}
	return c.node;
}

export class Checker {
	readonly errors: ExprError[] = [];
	/** Referenced columns, each once, in order of first use. */
	readonly columns: string[] = [];

	constructor(
		private readonly source: string,
		private readonly fields: ExprFields
	) {}

	private fail(message: string, at: { start: number; end: number }, ast: Expr): Checked {
		this.errors.push({ message, start: at.start, end: at.end });
		return { node: ERROR_NODE, type: 'error', ast };
	}

	private what(c: Checked): string {
		return describeOperand(c.ast, this.source);
	}

	private ok(node: TNode, ast: Expr): Checked {
		return { node, type: node.type, ast };
	}

	check(e: Expr): Checked {
		switch (e.kind) {
			case 'literal':
				if (e.big !== undefined) {
					if (e.big > INT64_MAX) return this.fail(msg.intLiteralRange(String(e.big)), e, e);
					return this.ok({ k: 'const', type: 'int', value: e.value, big: e.big }, e);
				}
				return this.ok(constant(e.type, e.value), e);
			case 'column':
				return this.column(e.name, e);
			case 'unary':
				return this.unary(e.op, this.check(e.operand), e);
			case 'binary':
				return this.binary(e);
			case 'isNull': {
				const operand = this.check(e.operand);
				if (operand.type === 'error') return operand;
				return this.ok(op('bool', e.negated ? 'isnotnull' : 'isnull', operand.node), e);
			}
			case 'in':
				return this.inList(e);
			case 'call':
				return this.call(e);
		}
	}

	private column(name: string, e: Expr): Checked {
		const index = this.fields.names.indexOf(name);
		if (index < 0) {
			const names = this.fields.names;
			const sameLetters = names.find((n) => n.toLowerCase() === name.toLowerCase());
			return this.fail(msg.unknownColumn(name, sameLetters ?? closestName(name, names)), e, e);
		}
		if (!this.columns.includes(name)) this.columns.push(name);
		return this.ok({ k: 'col', type: exprTypeOf(this.fields.types[index]), index }, e);
	}

	private unary(opName: '-' | 'not', operand: Checked, e: Expr): Checked {
		if (operand.type === 'error') return operand;
		const want = opName === '-' ? 'number' : 'bool';
		if (!fits(want, operand.type)) {
			return this.fail(
				msg.operandType(opName, KIND_TEXT[want], this.what(operand), operand.type),
				operand.ast,
				e
			);
		}
		if (operand.type === 'null')
			return this.ok(constant(opName === '-' ? 'null' : 'bool', null), e);
		return this.ok(op(operand.type, opName === '-' ? 'neg' : 'not', operand.node), e);
	}

	private binary(e: BinaryExpr): Checked {
		const l = this.check(e.left);
		const r = this.check(e.right);
		if (e.op === 'and' || e.op === 'or') {
			for (const side of [l, r]) {
				if (side.type !== 'error' && !fits('bool', side.type)) {
					this.fail(msg.operandType(e.op, 'bools', this.what(side), side.type), side.ast, e);
					return { node: ERROR_NODE, type: 'error', ast: e };
				}
			}
			if (l.type === 'error' || r.type === 'error') return { ...l, type: 'error', ast: e };
			return this.ok(op('bool', e.op, retype(l, 'bool'), retype(r, 'bool')), e);
		}
		if (e.op in COMPARE) return this.compare(e.op, l, r, { start: e.opStart, end: e.opEnd }, e);
		return this.arithmetic(e, l, r);
	}

	private arithmetic(e: BinaryExpr, l: Checked, r: Checked): Checked {
		if (e.op === '+' && (l.type === 'string' || r.type === 'string')) {
			return this.fail(msg.stringPlus(), { start: e.opStart, end: e.opEnd }, e);
		}
		for (const side of [l, r]) {
			if (side.type !== 'error' && !fits('number', side.type)) {
				return this.fail(msg.operandType(e.op, 'numbers', this.what(side), side.type), side.ast, e);
			}
		}
		if (l.type === 'error' || r.type === 'error')
			return { node: ERROR_NODE, type: 'error', ast: e };
		if (l.type === 'null' && r.type === 'null') return this.ok(constant('null', null), e);
		const type = e.op === '/' || l.type === 'float' || r.type === 'float' ? 'float' : 'int';
		// Arithmetic with null is null whatever the other side holds.
		if (l.type === 'null' || r.type === 'null') return this.ok(constant(type, null), e);
		return this.ok(op(type, ARITHMETIC[e.op], l.node, r.node), e);
	}

	/** A string literal read as a date or timestamp, for comparing with one. */
	private temporalLiteral(c: Checked, want: ExprType): Checked {
		const text = literalText(c);
		const days = parseDateLiteral(text);
		if (want === 'date' && days !== undefined) return this.ok(constant('date', days), c.ast);
		const ms = parseTimestampLiteral(text);
		if (ms === undefined) return this.fail(msg.badDate(text, want), c.ast, c.ast);
		return this.ok(constant('timestamp', ms), c.ast);
	}

	private compare(
		symbol: string,
		left: Checked,
		right: Checked,
		at: { start: number; end: number },
		e: Expr
	): Checked {
		let [l, r] = [left, right];
		for (const side of [l, r]) {
			if (isNullLiteral(side.ast)) return this.fail(msg.compareNull(symbol), side.ast, e);
		}
		if (l.type !== 'error' && isTemporal(l.type as ExprType) && isStringLiteral(r)) {
			r = this.temporalLiteral(r, l.type as ExprType);
		} else if (r.type !== 'error' && isTemporal(r.type as ExprType) && isStringLiteral(l)) {
			l = this.temporalLiteral(l, r.type as ExprType);
		}
		if (l.type === 'error' || r.type === 'error')
			return { node: ERROR_NODE, type: 'error', ast: e };
		if (l.type === 'null' || r.type === 'null') return this.ok(constant('bool', null), e);
		const name = COMPARE[symbol];
		const shared = join(l.type, r.type);
		const same = l.type === r.type;
		if (shared && (same || shared === 'float' || shared === 'timestamp')) {
			if (shared === 'bool' && name !== 'eq' && name !== 'ne')
				return this.fail(msg.orderBools(symbol), at, e);
			return this.ok(op('bool', name, retype(l, shared), retype(r, shared)), e);
		}
		let message = msg.compareTypes(symbol, l.type, r.type);
		const quoted = isStringLiteral(l) ? l : isStringLiteral(r) ? r : undefined;
		const other = quoted === l ? r : l;
		if (quoted && isNumber(other.type) && isNumberText(literalText(quoted))) {
			message += msg.numberInQuotes(literalText(quoted));
		}
		return this.fail(message, at, e);
	}

	private inList(e: InExpr): Checked {
		const value = this.check(e.value);
		const tests: TNode[] = [];
		let failed = value.type === 'error';
		for (const item of e.items) {
			if (isNullLiteral(item)) {
				this.fail(msg.nullInList(), item, item);
				failed = true;
				continue;
			}
			const test = this.compare('==', value, this.check(item), item, item);
			if (test.type === 'error') failed = true;
			else tests.push(test.node);
		}
		if (failed || tests.length === 0) return { node: ERROR_NODE, type: 'error', ast: e };
		// One n-ary node, not a chain of `or`s: a list of 3,000 items nests no deeper than one.
		const result = tests.length === 1 ? tests[0] : op('bool', 'in', ...tests);
		return this.ok(e.negated ? op('bool', 'not', result) : result, e);
	}

	/** The one type a function's values share (if, coalesce, min, max), with operands retyped. */
	private unify(
		fn: string,
		list: Checked[],
		e: Expr
	): { type: ExprType; nodes: TNode[] } | undefined {
		const temporal = list.find((c) => isTemporal(c.type as ExprType));
		if (temporal) {
			list = list.map((c) =>
				isStringLiteral(c) ? this.temporalLiteral(c, temporal.type as ExprType) : c
			);
		}
		if (list.some((c) => c.type === 'error')) return undefined;
		let type: ExprType = 'null';
		for (const c of list) {
			const next = join(type, c.type as ExprType);
			if (!next) {
				this.fail(msg.mixedTypes(`${fn}()`, type, c.type), c.ast, e);
				return undefined;
			}
			type = next;
		}
		return { type, nodes: list.map((c) => retype(c, type)) };
	}

	private call(e: CallExpr): Checked {
		const f = findFunction(e.name);
		const nameAt = { start: e.start, end: e.nameEnd };
		if (!f)
			return this.fail(msg.unknownFunction(e.name, closestName(e.name, FUNCTION_NAMES)), nameAt, e);
		const args = e.args.map((a) => this.check(a));
		const min = f.params.length - f.optional;
		const max = f.variadic ? Infinity : f.params.length;
		if (args.length < min || args.length > max) {
			return this.fail(msg.arity(f.name, arityText(f), args.length), e, e);
		}
		let failed = false;
		args.forEach((a, i) => {
			const kind = f.params[Math.min(i, f.params.length - 1)];
			if (a.type === 'error') failed = true;
			else if (!fits(kind, a.type)) {
				this.fail(msg.argumentType(f.name, i + 1, KIND_TEXT[kind], this.what(a), a.type), a.ast, e);
				failed = true;
			}
		});
		if (failed) return { node: ERROR_NODE, type: 'error', ast: e };
		return this.typeCall(f.name as OpName, args, e);
	}

	private typeCall(name: OpName, args: Checked[], e: CallExpr): Checked {
		const nodes = args.map((a) => a.node);
		const anyNull = args.some((a) => a.type === 'null');
		const x = args[0];
		switch (name) {
			case 'if':
			case 'coalesce':
			case 'min':
			case 'max': {
				const branches = name === 'if' ? args.slice(1) : args;
				const shared = this.unify(name, branches, e);
				if (!shared) return { node: ERROR_NODE, type: 'error', ast: e };
				if (
					(name === 'min' || name === 'max') &&
					!isNumber(shared.type) &&
					!isTemporal(shared.type)
				) {
					if (shared.type !== 'null') {
						const text = msg.argumentType(name, 1, 'a number or date', this.what(x), shared.type);
						return this.fail(text, x.ast, e);
					}
				}
				if (shared.type === 'null') return this.ok(constant('null', null), e);
				const operands = name === 'if' ? [retype(x, 'bool'), ...shared.nodes] : shared.nodes;
				return this.ok(op(shared.type, name, ...operands), e);
			}
			case 'concat': {
				const texts = args.map((a) =>
					a.type === 'string'
						? a.node
						: a.type === 'null'
							? constant('string', null)
							: op('string', 'to_text', a.node)
				);
				return this.ok(op('string', 'concat', ...texts), e);
			}
			default:
				break;
		}
		const type = resultType(name, x.type as ExprType);
		// Every other function is null when any argument is.
		if (anyNull) return this.ok(constant(type, null), e);
		return this.ok(op(type, name, ...nodes), e);
	}
}
