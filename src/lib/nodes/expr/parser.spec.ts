import { describe, expect, it } from 'vitest';
import type { Expr } from './ast';
import { exprMessages as msg } from './messages';
import { MAX_DEPTH, parseExpression } from './parser';

/** The tree as fully parenthesised text, to make precedence visible. */
function show(e: Expr): string {
	switch (e.kind) {
		case 'literal':
			return e.type === 'string' ? JSON.stringify(e.value) : String(e.value);
		case 'column':
			return e.name;
		case 'unary':
			return `(${e.op} ${show(e.operand)})`;
		case 'binary':
			return `(${show(e.left)} ${e.op} ${show(e.right)})`;
		case 'in':
			return `(${show(e.value)} ${e.negated ? 'not in' : 'in'} [${e.items.map(show).join(', ')}])`;
		case 'isNull':
			return `(${show(e.operand)} is ${e.negated ? 'not ' : ''}null)`;
		case 'call':
			return `${e.name}(${e.args.map(show).join(', ')})`;
	}
}

function tree(source: string): string {
	const r = parseExpression(source);
	if ('error' in r) throw new Error(`${source}: ${r.error.message}`);
	return show(r.ast);
}

function error(source: string) {
	const r = parseExpression(source);
	if (!('error' in r)) throw new Error(`${source} parsed as ${show(r.ast)}`);
	return r.error;
}

describe('parseExpression: precedence and associativity', () => {
	it('binds * / % tighter than + -, and those tighter than comparisons', () => {
		expect(tree('a + b * c')).toBe('(a + (b * c))');
		expect(tree('a * b + c % d')).toBe('((a * b) + (c % d))');
		expect(tree('a + 1 > b - 2')).toBe('((a + 1) > (b - 2))');
	});
	it('makes binary operators left-associative', () => {
		expect(tree('a - b - c')).toBe('((a - b) - c)');
		expect(tree('a / b * c')).toBe('((a / b) * c)');
		expect(tree('a or b or c')).toBe('((a or b) or c)');
	});
	it('binds and tighter than or, whether spelled as words or symbols', () => {
		expect(tree('a or b and c')).toBe('(a or (b and c))');
		expect(tree('a || b && c')).toBe('(a or (b and c))');
		expect(tree('amount > 100 && region == "EU"')).toBe('((amount > 100) and (region == "EU"))');
	});
	it('lets parentheses override precedence', () => {
		expect(tree('(a + b) * c')).toBe('((a + b) * c)');
		expect(tree('(a or b) and c')).toBe('((a or b) and c)');
	});
	it('binds unary minus and ! tightest, and the keyword not below comparisons', () => {
		expect(tree('-a * b')).toBe('((- a) * b)');
		expect(tree('- -a')).toBe('(- (- a))');
		expect(tree('!a == b')).toBe('((not a) == b)');
		expect(tree('not a == b')).toBe('(not (a == b))');
		expect(tree('not a and b')).toBe('((not a) and b)');
		expect(tree('a == not b')).toBe('(a == (not b))');
		expect(tree('a == not(b) or c')).toBe('((a == (not b)) or c)');
	});
	it('parses in, not in, is null and is not null at comparison level', () => {
		expect(tree('x in (1, 2, "a")')).toBe('(x in [1, 2, "a"])');
		expect(tree('x + 1 not in (3)')).toBe('((x + 1) not in [3])');
		expect(tree('a + b is null or c is not null')).toBe('(((a + b) is null) or (c is not null))');
	});
	it('reads keywords and function names in any case, column names as written', () => {
		expect(tree('A AND NOT B Or Amount IS NULL')).toBe('((A and (not B)) or (Amount is null))');
		expect(tree('LOWER(Name)')).toBe('LOWER(Name)');
	});
	it('parses calls with zero, one and many arguments', () => {
		expect(tree('f()')).toBe('f()');
		expect(tree('if(qty is null, 0, qty * price)')).toBe('if((qty is null), 0, (qty * price))');
	});
});

describe('parseExpression: literals and names', () => {
	it('distinguishes int from float literals', () => {
		expect(parseExpression('12')).toMatchObject({
			ast: { kind: 'literal', type: 'int', value: 12 }
		});
		for (const text of ['1.5', '1e3', '.5', '2E-2']) {
			const f = parseExpression(text);
			expect('ast' in f && f.ast.kind === 'literal' && f.ast.type).toBe('float');
		}
		expect(tree('1e3')).toBe('1000');
	});
	it('decodes escapes in double- and single-quoted strings', () => {
		const r = parseExpression(String.raw`'it\'s' == "a\"b\\c\n\u00e9"`);
		expect('ast' in r && r.ast.kind === 'binary').toBe(true);
		if ('ast' in r && r.ast.kind === 'binary') {
			expect(r.ast.left).toMatchObject({ kind: 'literal', value: "it's" });
			expect(r.ast.right).toMatchObject({ kind: 'literal', value: 'a"b\\c\né' });
		}
	});
	it('reads backquoted names with spaces and symbols as columns', () => {
		expect(parseExpression('`unit price` * 2')).toMatchObject({
			ast: { kind: 'binary', left: { kind: 'column', name: 'unit price', start: 0, end: 12 } }
		});
		expect(tree('`and` + `if`')).toBe('(and + if)');
	});
	it('records source positions of nodes and operators', () => {
		const r = parseExpression('a  >=  (b)');
		expect(r).toMatchObject({ ast: { start: 0, end: 10, opStart: 3, opEnd: 5 } });
		expect(r).toMatchObject({ ast: { right: { start: 7, end: 10 } } });
	});
});

describe('parseExpression: errors carry a message and a position', () => {
	it('reports an unterminated string from its opening quote to the end', () => {
		expect(error('name == "abc')).toEqual({
			message: msg.unterminatedString('"'),
			start: 8,
			end: 12
		});
		expect(error("'x")).toMatchObject({ start: 0, end: 2 });
		expect(error('`unit price')).toEqual({ message: msg.unterminatedName(), start: 0, end: 11 });
	});
	it('suggests == for a single =, at the = sign', () => {
		expect(error('amount = 5')).toEqual({ message: msg.singleEquals(), start: 7, end: 8 });
		expect(error('a <> b')).toMatchObject({ message: msg.notEqualsSql(), start: 2, end: 4 });
		expect(error('a & b')).toMatchObject({ message: msg.singleAmpersand(), start: 2 });
	});
	it('names the unexpected token and where it is', () => {
		expect(error('amount 100')).toEqual({
			message: msg.expected('an operator', "'100'"),
			start: 7,
			end: 10
		});
		expect(error('a + * b')).toMatchObject({ start: 4, end: 5 });
		expect(error('a + ')).toMatchObject({ start: 4, end: 4 });
		expect(error('f(a, b')).toMatchObject({ start: 6, end: 6 });
		expect(error('(a + b')).toMatchObject({ start: 6, end: 6 });
		expect(error('a + b)').message).toContain('no matching (');
		expect(error('a # b')).toEqual({ message: msg.unexpectedChar('#'), start: 2, end: 3 });
	});
	it('refuses chained comparisons with advice', () => {
		expect(error('a < b < c')).toEqual({ message: msg.chainedComparison(), start: 6, end: 7 });
	});
	it('refuses a keyword used as a value and says to backquote it', () => {
		expect(error('in + 1')).toEqual({ message: msg.keywordAsValue('in'), start: 0, end: 2 });
	});
	it('refuses an empty expression and a bad escape', () => {
		expect(error('   ').message).toBe(msg.empty());
		expect(error('"a\\qb"')).toMatchObject({ start: 2, end: 4 });
	});
	it('refuses `is` without null', () => {
		expect(error('a is 3')).toMatchObject({ start: 5, end: 6 });
	});
	it('refuses absurdly deep nesting instead of overflowing the stack', () => {
		expect(error('('.repeat(5000) + 'a' + ')'.repeat(5000)).message).toBe(msg.tooDeep(MAX_DEPTH));
		expect(error('-'.repeat(5000) + 'a').message).toBe(msg.tooDeep(MAX_DEPTH));
		expect(error(Array(5000).fill('a').join(' + ')).message).toBe(msg.tooDeep(MAX_DEPTH));
	});
	it('never throws, whatever the input', () => {
		const samples = [
			'',
			'"',
			'`',
			'\\',
			'(',
			')',
			',',
			'a b c',
			'1..2',
			'""""',
			'f(,)',
			'x in ()',
			'not'
		];
		for (const s of samples) expect(() => parseExpression(s)).not.toThrow();
	});
});
