// Recursive-descent parser for the expression language. Precedence, loosest first:
//   or ||  <  and &&  <  not (keyword, as in SQL)  <  == != < <= > >= in is  <  + -  <  * / %
//   <  unary - and !  <  literals, columns, calls, ( ).
// `not` binds looser than comparisons so `not amount > 100` means `not (amount > 100)`, as in SQL;
// `!` binds tightly, as in JavaScript, and so does `not` where only an operand can stand
// (`a == not b`). Binary operators are left-associative; comparisons don't
// chain (`a < b < c` is an error that says how to write it).

import type { BinaryOp, Expr } from './ast';
import { isError, nextToken, type Token } from './lexer';
import { exprMessages as msg } from './messages';
import type { ExprError } from './types';

/** Nesting deeper than this is refused so checking and evaluation never overflow the stack. */
export const MAX_DEPTH = 200;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class ParseFailure {
	constructor(readonly error: ExprError) {}
}

function describeToken(t: Token): string {
	if (t.kind === 'end') return 'the end';
	if (t.kind === 'string') return `the string ${t.text}`;
	return `'${t.text}'`;
}

class Parser {
	private readonly lookahead: Token[] = [];
	private readonly depths = new Map<Expr, number>();

	constructor(private readonly source: string) {}

	parse(): Expr {
		if (this.peek().kind === 'end') this.fail(msg.empty(), 0, this.source.length);
		const expr = this.parseOr();
		const t = this.peek();
		if (t.kind !== 'end') {
			const what = t.text === ')' ? 'the end (this ) has no matching ()' : 'an operator';
			this.fail(msg.expected(what, describeToken(t)), t.start, t.end);
		}
		return expr;
	}

	private fail(message: string, start: number, end: number): never {
		throw new ParseFailure({ message, start, end });
	}

	private peek(k = 0): Token {
		while (this.lookahead.length <= k) {
			const from = this.lookahead.length
				? this.lookahead[this.lookahead.length - 1].end
				: this.consumedEnd;
			const t = nextToken(this.source, from);
			if (isError(t)) this.fail(t.message, t.start, t.end);
			this.lookahead.push(t);
		}
		return this.lookahead[k];
	}

	private consumedEnd = 0;
	private nesting = 0;

	/** Counts open parentheses, calls and prefix operators, so `((((...` fails before the stack does. */
	private nest<T>(at: Token, parse: () => T): T {
		if (++this.nesting > MAX_DEPTH) this.fail(msg.tooDeep(MAX_DEPTH), at.start, at.end);
		const result = parse();
		this.nesting--;
		return result;
	}

	private take(): Token {
		const t = this.peek();
		this.lookahead.shift();
		this.consumedEnd = t.end;
		return t;
	}

	private isWord(t: Token, word: string): boolean {
		return t.kind === 'name' && (t.value as string).toLowerCase() === word;
	}

	private isOp(t: Token, op: string): boolean {
		return t.kind === 'op' && t.text === op;
	}

	private expectOp(op: string, what: string): Token {
		const t = this.peek();
		if (!this.isOp(t, op)) {
			if (t.kind === 'end') this.fail(msg.endsEarly(what), t.start, t.end);
			this.fail(msg.expected(what, describeToken(t)), t.start, t.end);
		}
		return this.take();
	}

	/** Records the node's nesting depth and refuses trees deeper than MAX_DEPTH. */
	private node<T extends Expr>(e: T, ...children: Expr[]): T {
		let depth = 1;
		for (const c of children) depth = Math.max(depth, (this.depths.get(c) ?? 1) + 1);
		if (depth > MAX_DEPTH) this.fail(msg.tooDeep(MAX_DEPTH), e.start, e.end);
		this.depths.set(e, depth);
		return e;
	}

	private binary(op: BinaryOp, left: Expr, right: Expr, opToken: Token): Expr {
		const e: Expr = {
			kind: 'binary',
			op,
			left,
			right,
			start: left.start,
			end: right.end,
			opStart: opToken.start,
			opEnd: opToken.end
		};
		return this.node(e, left, right);
	}

	private parseOr(): Expr {
		let left = this.parseAnd();
		for (let t = this.peek(); this.isWord(t, 'or') || this.isOp(t, '||'); t = this.peek()) {
			this.take();
			left = this.binary('or', left, this.parseAnd(), t);
		}
		return left;
	}

	private parseAnd(): Expr {
		let left = this.parseNot();
		for (let t = this.peek(); this.isWord(t, 'and') || this.isOp(t, '&&'); t = this.peek()) {
			this.take();
			left = this.binary('and', left, this.parseNot(), t);
		}
		return left;
	}

	private parseNot(): Expr {
		const t = this.peek();
		if (!this.isWord(t, 'not')) return this.parseComparison();
		this.take();
		const operand = this.nest(t, () => this.parseNot());
		return this.node(
			{ kind: 'unary', op: 'not', operand, start: t.start, end: operand.end },
			operand
		);
	}

	private isComparisonStart(t: Token): boolean {
		if (t.kind === 'op') return COMPARISONS.has(t.text);
		return (
			this.isWord(t, 'in') ||
			this.isWord(t, 'is') ||
			(this.isWord(t, 'not') && this.isWord(this.peek(1), 'in'))
		);
	}

	private parseComparison(): Expr {
		const left = this.parseAdditive();
		const t = this.peek();
		if (!this.isComparisonStart(t)) return left;
		let result: Expr;
		if (t.kind === 'op') {
			this.take();
			result = this.binary(t.text as BinaryOp, left, this.parseAdditive(), t);
		} else if (this.isWord(t, 'is')) {
			this.take();
			const negated = this.isWord(this.peek(), 'not');
			if (negated) this.take();
			const n = this.peek();
			if (!this.isWord(n, 'null')) {
				const what = negated ? "'null' after 'is not'" : "'null' or 'not null' after 'is'";
				if (n.kind === 'end') this.fail(msg.endsEarly(what), n.start, n.end);
				this.fail(msg.expected(what, describeToken(n)), n.start, n.end);
			}
			this.take();
			result = this.node(
				{ kind: 'isNull', operand: left, negated, start: left.start, end: n.end },
				left
			);
		} else {
			const negated = this.isWord(t, 'not');
			if (negated) this.take();
			this.take(); // 'in'
			result = this.parseInList(left, negated);
		}
		const next = this.peek();
		if (this.isComparisonStart(next)) this.fail(msg.chainedComparison(), next.start, next.end);
		return result;
	}

	private parseInList(value: Expr, negated: boolean): Expr {
		this.expectOp('(', "'(' to start the list after 'in'");
		const items: Expr[] = [this.nest(this.peek(), () => this.parseOr())];
		while (this.isOp(this.peek(), ',')) {
			this.take();
			items.push(this.parseOr());
		}
		const close = this.expectOp(')', "',' or ')' in the 'in' list");
		const e: Expr = { kind: 'in', value, items, negated, start: value.start, end: close.end };
		return this.node(e, value, ...items);
	}

	private parseAdditive(): Expr {
		let left = this.parseMultiplicative();
		for (let t = this.peek(); this.isOp(t, '+') || this.isOp(t, '-'); t = this.peek()) {
			this.take();
			left = this.binary(t.text as BinaryOp, left, this.parseMultiplicative(), t);
		}
		return left;
	}

	private parseMultiplicative(): Expr {
		let left = this.parseUnary();
		for (let t = this.peek(); t.kind === 'op' && '*/%'.includes(t.text); t = this.peek()) {
			this.take();
			left = this.binary(t.text as BinaryOp, left, this.parseUnary(), t);
		}
		return left;
	}

	private parseUnary(): Expr {
		const t = this.peek();
		if (!this.isOp(t, '-') && !this.isOp(t, '!')) return this.parsePrimary();
		this.take();
		const operand = this.nest(t, () => this.parseUnary());
		const op = t.text === '-' ? '-' : 'not';
		return this.node({ kind: 'unary', op, operand, start: t.start, end: operand.end }, operand);
	}

	private parsePrimary(): Expr {
		const t = this.peek();
		const what = 'a value (a column, number, string, function call or "(")';
		if (t.kind === 'end') this.fail(msg.endsEarly(what), t.start, t.end);
		if (t.kind === 'number') {
			this.take();
			const type = t.isFloat ? 'float' : 'int';
			const e: Expr = { kind: 'literal', type, value: t.value, start: t.start, end: t.end };
			if (!t.isFloat && !Number.isSafeInteger(t.value)) e.big = BigInt(t.text);
			return this.node(e);
		}
		if (t.kind === 'string') {
			this.take();
			return this.node({
				kind: 'literal',
				type: 'string',
				value: t.value,
				start: t.start,
				end: t.end
			});
		}
		if (t.kind === 'quotedName') {
			this.take();
			return this.node({ kind: 'column', name: t.value as string, start: t.start, end: t.end });
		}
		if (t.kind === 'name') return this.parseName(t);
		if (this.isOp(t, '(')) {
			this.take();
			const inner = this.nest(t, () => this.parseOr());
			const close = this.expectOp(')', "')'");
			// The parentheses belong to the span, so messages underline what the user grouped.
			return this.node({ ...inner, start: t.start, end: close.end }, inner);
		}
		return this.fail(msg.expected(what, describeToken(t)), t.start, t.end);
	}

	private parseName(t: Token): Expr {
		this.take();
		const word = (t.value as string).toLowerCase();
		const { start, end } = t;
		if (word === 'true' || word === 'false') {
			return this.node({ kind: 'literal', type: 'bool', value: word === 'true', start, end });
		}
		if (word === 'null')
			return this.node({ kind: 'literal', type: 'null', value: null, start, end });
		if (word === 'not') {
			// In operand position (`x == not y`) `not` acts like `!`.
			const operand = this.nest(t, () => this.parseUnary());
			return this.node({ kind: 'unary', op: 'not', operand, start, end: operand.end }, operand);
		}
		if (this.isOp(this.peek(), '(')) return this.nest(t, () => this.parseCall(t));
		if (KEYWORDS.has(word)) this.fail(msg.keywordAsValue(t.text), start, end);
		return this.node({ kind: 'column', name: t.value as string, start, end });
	}

	private parseCall(name: Token): Expr {
		this.take(); // '('
		const args: Expr[] = [];
		if (!this.isOp(this.peek(), ')')) {
			args.push(this.parseOr());
			while (this.isOp(this.peek(), ',')) {
				this.take();
				args.push(this.parseOr());
			}
		}
		const close = this.expectOp(')', `',' or ')' in the call to ${name.text}()`);
		const e: Expr = {
			kind: 'call',
			name: name.value as string,
			nameEnd: name.end,
			args,
			start: name.start,
			end: close.end
		};
		return this.node(e, ...args);
	}
}

/** Parses expression text into a syntax tree, or the first error with its position. */
export function parseExpression(source: string): { ast: Expr } | { error: ExprError } {
	try {
		return { ast: new Parser(source).parse() };
	} catch (e) {
		if (e instanceof ParseFailure) return { error: e.error };
		throw e;
	}
}
