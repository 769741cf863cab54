import { describe, expect, it } from 'vitest';
import { checkExpression, evaluate } from './evaluate';
import {
	batchOf,
	columnCells,
	evaluateCells as run,
	fieldsOf,
	makeBatch,
	makeColumn,
	type TableSpec
} from './testing';

const N = null;
const T: TableSpec = {
	a: ['int32', [7, -7, 0, N, 3]],
	b: ['int32', [2, 2, 0, 5, N]],
	x: ['float64', [1.5, -2.5, 0, N, 0.5]],
	p: ['bool', [true, false, N, true, false]],
	q: ['bool', [N, N, N, false, true]],
	s: ['utf8', ['Apple', 'banana', '', N, 'Éclair Ünï']],
	d: ['date32', ['2024-01-31', '2024-02-29', '1969-12-31', N, '2000-03-01']],
	t: [
		'timestamp',
		[
			'2024-01-31T10:30:00Z',
			'1970-01-01T00:00:00Z',
			'1969-12-31T23:59:59.999Z',
			N,
			'2000-02-29T23:00:00Z'
		]
	]
};

describe('evaluate: arithmetic', () => {
	it('computes + - * % on ints and / as float, with null in, null out', () => {
		expect(run('a + b', T)).toEqual([9, -5, 0, N, N]);
		expect(run('a - b', T)).toEqual([5, -9, 0, N, N]);
		expect(run('a * b', T)).toEqual([14, -14, 0, N, N]);
		expect(run('a % b', T)).toEqual([1, -1, N, N, N]);
		expect(run('a / b', T)).toEqual([3.5, -3.5, N, N, N]);
		expect(run('-a', T)).toEqual([-7, 7, 0, N, -3]);
	});
	it('gives null for division and modulo by zero, literal or not', () => {
		expect(run('a / 0', T)).toEqual([N, N, N, N, N]);
		expect(run('x % 0', T)).toEqual([N, N, N, N, N]);
		expect(run('1 / a', T)).toEqual([1 / 7, -1 / 7, N, N, 1 / 3]);
	});
	it('mixes literals on either side of non-commutative operators', () => {
		expect(run('10 - a', T)).toEqual([3, 17, 10, N, 7]);
		expect(run('a - 10', T)).toEqual([-3, -17, -10, N, -7]);
		expect(run('x * 2 + a', T)).toEqual([10, -12, 0, N, 4]);
	});
	it('writes int results as int64 and reads int64 and uint64 inputs exactly below 2^53', () => {
		const big = 2 ** 40 + 3;
		const table: TableSpec = {
			i: ['int64', [big, -big, 0, N]],
			u: ['uint64', [2 ** 52 + 1, 1, 0, N]]
		};
		const r = checkExpression('i * 2 + u', fieldsOf(table));
		if (!r.ok) throw new Error('check failed');
		const col = evaluate(r.program, batchOf(table));
		expect(col.type).toBe('int64');
		expect(col.values).toBeInstanceOf(BigInt64Array);
		expect(Array.from(col.values as BigInt64Array).slice(0, 3)).toEqual([
			BigInt(2 * big + 2 ** 52 + 1),
			BigInt(-2 * big + 1),
			0n
		]);
		expect(col.nullCount).toBe(1);
	});
});

describe('evaluate: comparisons', () => {
	it('compares numbers with numbers and with literals on either side', () => {
		expect(run('a > b', T)).toEqual([true, false, false, N, N]);
		expect(run('a <= 0', T)).toEqual([false, true, true, N, false]);
		expect(run('0 < a', T)).toEqual([true, false, false, N, true]);
		expect(run('a == x * 0 + 0', T)).toEqual([false, false, true, N, false]);
		expect(run('a != 0', T)).toEqual([true, true, false, N, true]);
		expect(run('x >= -2.5', T)).toEqual([true, true, true, N, true]);
	});
	it('compares strings by bytes, with literals and with other strings', () => {
		expect(run('s == "Apple"', T)).toEqual([true, false, false, N, false]);
		expect(run('"banana" == s', T)).toEqual([false, true, false, N, false]);
		expect(run('s != ""', T)).toEqual([true, true, false, N, true]);
		expect(run('s < "b"', T)).toEqual([true, false, true, N, false]);
		expect(run('s >= lower(s)', T)).toEqual([false, true, true, N, false]);
	});
	it('compares dates with date and timestamp literals and with timestamps', () => {
		expect(run('d >= "2024-01-31"', T)).toEqual([true, true, false, N, false]);
		expect(run('d < "2000-03-01T00:00:01"', T)).toEqual([false, false, true, N, true]);
		expect(run('t > "2024-01-31"', T)).toEqual([true, false, false, N, false]);
		expect(run('d <= t', T)).toEqual([true, false, true, N, false]);
	});
	it('compares bools with == and !=', () => {
		expect(run('p == q', T)).toEqual([N, N, N, false, false]);
		expect(run('p != true', T)).toEqual([false, true, N, false, true]);
	});
	it('tests membership with in and not in, null when the value is null', () => {
		expect(run('a in (0, 3, 7)', T)).toEqual([true, false, true, N, true]);
		expect(run('a not in (0, 3, 7)', T)).toEqual([false, true, false, N, false]);
		expect(run('s in ("Apple", "")', T)).toEqual([true, false, true, N, false]);
		expect(run('a in (b, 3)', T)).toEqual([false, false, true, N, true]);
		expect(run('a in (b)', T)).toEqual([false, false, true, N, N]);
	});
});

describe('evaluate: logic and nulls', () => {
	it('uses three-valued logic for and/or and keeps null through not', () => {
		const table: TableSpec = {
			l: ['bool', [true, true, true, false, false, false, N, N, N]],
			r: ['bool', [true, false, N, true, false, N, true, false, N]]
		};
		expect(run('l and r', table)).toEqual([true, false, N, false, false, false, N, false, N]);
		expect(run('l && r', table)).toEqual(run('l and r', table));
		expect(run('l or r', table)).toEqual([true, true, true, true, false, N, true, N, N]);
		expect(run('not l', table)).toEqual([false, false, false, true, true, true, N, N, N]);
		expect(run('!r', table)).toEqual([false, true, N, false, true, N, false, true, N]);
	});
	it('makes is null and is not null never null, for every type', () => {
		expect(run('a is null', T)).toEqual([false, false, false, true, false]);
		expect(run('b is not null', T)).toEqual([true, true, true, true, false]);
		expect(run('s is null or p is null', T)).toEqual([false, false, true, true, false]);
		expect(run('(a / b) is null', T)).toEqual([false, false, true, true, true]);
	});
	it('takes the else branch of if when the condition is null or false', () => {
		expect(run('if(p, a, b)', T)).toEqual([7, 2, 0, N, N]);
		expect(run('if(q, "y", "n")', T)).toEqual(['n', 'n', 'n', 'n', 'y']);
		expect(run('if(p, q, not q)', T)).toEqual([N, N, N, false, false]);
		expect(run('if(a > 0, x, null)', T)).toEqual([1.5, N, N, N, 0.5]);
	});
	it('returns the first non-null argument from coalesce', () => {
		expect(run('coalesce(b, a, -1)', T)).toEqual([2, 2, 0, 5, 3]);
		expect(run('coalesce(q, p)', T)).toEqual([true, false, N, false, true]);
		expect(run('coalesce(s, "none")', T)).toEqual(['Apple', 'banana', '', 'none', 'Éclair Ünï']);
		expect(run('coalesce(null, a)', T)).toEqual([7, -7, 0, N, 3]);
	});
	it('gives null for arithmetic with a null literal', () => {
		expect(run('a + null', T)).toEqual([N, N, N, N, N]);
	});
});

describe('evaluate: string functions', () => {
	it('maps case for ASCII and non-ASCII rows', () => {
		expect(run('lower(s)', T)).toEqual(['apple', 'banana', '', N, 'éclair ünï']);
		expect(run('upper(s)', T)).toEqual(['APPLE', 'BANANA', '', N, 'ÉCLAIR ÜNÏ']);
		expect(run('upper("straße")', T)).toEqual(Array(5).fill('STRASSE'));
	});
	it('counts length in characters, not bytes', () => {
		expect(run('length(s)', T)).toEqual([5, 6, 0, N, 10]);
		expect(run('length("😀é")', T)[0]).toBe(2);
	});
	it('tests contains, starts_with and ends_with on bytes, with literal or column needles', () => {
		expect(run('contains(s, "an")', T)).toEqual([false, true, false, N, false]);
		expect(run('contains(s, "")', T)).toEqual([true, true, true, N, true]);
		expect(run('starts_with(s, "Ap")', T)).toEqual([true, false, false, N, false]);
		expect(run('ends_with(s, "Ünï")', T)).toEqual([false, false, false, N, true]);
		expect(run('contains(upper(s), upper(substring(s, 2, 2)))', T)).toEqual([
			true,
			true,
			true,
			N,
			true
		]);
	});
	it('joins values of any type as text with concat, null when a part is null', () => {
		expect(run('concat(s, "-", a, "/", x, "/", p)', T)).toEqual([
			'Apple-7/1.5/true',
			'banana--7/-2.5/false',
			N,
			N,
			'Éclair Ünï-3/0.5/false'
		]);
		expect(run('concat(d, " ", t)', T)[0]).toBe('2024-01-31 2024-01-31T10:30:00.000Z');
	});
	it('takes substrings by character position from 1, clipped to the string', () => {
		expect(run('substring(s, 2, 3)', T)).toEqual(['ppl', 'ana', '', N, 'cla']);
		expect(run('substring(s, 0, 3)', T)).toEqual(['Ap', 'ba', '', N, 'Éc']);
		expect(run('substring(s, 8, 5)', T)).toEqual(['', '', '', N, 'Ünï']);
		expect(run('substring(s, 2, -1)', T)).toEqual(['', '', '', N, '']);
		expect(run('substring(s, a, b)', T)).toEqual(['', '', '', N, N]);
		expect(run('substring(s, b, a)', T)).toEqual(['pple', '', '', N, N]);
	});
	it('trims ASCII and Unicode whitespace', () => {
		const table: TableSpec = { w: ['utf8', ['  a b \t', '\u00a0é\u3000', '', '\n', 'x']] };
		expect(run('trim(w)', table)).toEqual(['a b', 'é', '', '', 'x']);
	});
	it('decodes strings held in a SharedArrayBuffer', () => {
		expect(run('lower(s)', T, true)).toEqual(['apple', 'banana', '', N, 'éclair ünï']);
		expect(run('s == "Apple"', T, true)).toEqual([true, false, false, N, false]);
	});
});

describe('evaluate: math and date functions', () => {
	it('computes abs, floor, ceil and round (halves away from zero)', () => {
		expect(run('abs(a)', T)).toEqual([7, 7, 0, N, 3]);
		expect(run('floor(x)', T)).toEqual([1, -3, 0, N, 0]);
		expect(run('ceil(x)', T)).toEqual([2, -2, 0, N, 1]);
		expect(run('round(x)', T)).toEqual([2, -3, 0, N, 1]);
		expect(run('round(1234.5678, 2)', T)[0]).toBe(1234.57);
		expect(run('round(1250, -2)', T)[0]).toBe(1300);
	});
	it('gives null outside the domain of sqrt, log and pow', () => {
		expect(run('sqrt(a)', T)).toEqual([Math.sqrt(7), N, 0, N, Math.sqrt(3)]);
		expect(run('log(a)', T)).toEqual([Math.log(7), N, N, N, Math.log(3)]);
		expect(run('exp(b)', T)).toEqual([Math.exp(2), Math.exp(2), 1, Math.exp(5), N]);
		expect(run('pow(x, 0.5)', T)).toEqual([Math.sqrt(1.5), N, 0, N, Math.sqrt(0.5)]);
	});
	it('takes min and max of numbers and of dates', () => {
		expect(run('min(a, b)', T)).toEqual([2, -7, 0, N, N]);
		expect(run('max(a, x)', T)).toEqual([7, -2.5, 0, N, 3]);
		expect(run('max(d, "2024-02-01") == "2024-02-01"', T)).toEqual([true, false, true, N, true]);
	});
	it('extracts year, month, day and hour in UTC, before and after 1970', () => {
		expect(run('year(d)', T)).toEqual([2024, 2024, 1969, N, 2000]);
		expect(run('month(d)', T)).toEqual([1, 2, 12, N, 3]);
		expect(run('day(d)', T)).toEqual([31, 29, 31, N, 1]);
		expect(run('hour(t)', T)).toEqual([10, 0, 23, N, 23]);
		expect(run('day(t)', T)).toEqual([31, 1, 31, N, 29]);
		expect(run('hour(d)', T)).toEqual([0, 0, 0, N, 0]);
	});
	it('writes date results as date32 and timestamp results as int64 ms', () => {
		const r = checkExpression('coalesce(t, d)', fieldsOf(T));
		if (!r.ok) throw new Error('check failed');
		const col = evaluate(r.program, batchOf(T));
		expect(col.type).toBe('timestamp');
		expect(columnCells(col)).toEqual([
			Date.UTC(2024, 0, 31, 10, 30),
			0,
			-1,
			N,
			Date.UTC(2000, 1, 29, 23)
		]);
		expect(run('if(p, d, "1999-01-01")', T)).toEqual([19753, 10592, 10592, N, 10592]);
	});
});

describe('evaluate: programs and batches', () => {
	it('folds constant subtrees once, at compile time', () => {
		expect(run('1 + 2 * 3', T)).toEqual(Array(5).fill(7));
		expect(run('lower("AB") == "ab" and a > 0', T)).toEqual([true, false, false, N, true]);
	});
	it('returns the input column itself for a bare column reference', () => {
		const batch = batchOf(T);
		const r = checkExpression('s', fieldsOf(T));
		expect(r.ok && evaluate(r.program, batch)).toBe(batch.columns[5]);
	});
	it('reuses a program across batches of different sizes, including empty ones', () => {
		const fields = [
			{ name: 'v', type: 'float64' as const },
			{ name: 'w', type: 'utf8' as const }
		];
		const r = checkExpression('if(v > 1, upper(w), concat(w, "!"))', fields);
		if (!r.ok) throw new Error('check failed');
		const sizes = [3, 20, 0, 7, 20, 1];
		for (const n of sizes) {
			const v = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i));
			const w = Array.from({ length: n }, (_, i) => (i % 4 === 1 ? null : `w${i}`));
			const got = columnCells(
				evaluate(r.program, makeBatch(makeColumn('float64', v), makeColumn('utf8', w)))
			);
			const want = v.map((x, i) =>
				w[i] === null ? null : x !== null && x > 1 ? `W${i}` : `w${i}!`
			);
			expect(got).toEqual(want);
		}
	});
	it('refuses a batch whose column types differ from the checked fields', () => {
		const r = checkExpression('v + 1', [{ name: 'v', type: 'float64' }]);
		if (!r.ok) throw new Error('check failed');
		expect(() => evaluate(r.program, makeBatch(makeColumn('int32', [1])))).toThrow(TypeError);
		expect(() => evaluate(r.program, makeBatch())).toThrow(/no column 0/);
	});
	it('reads 64-bit columns that sit at an offset inside a shared buffer', () => {
		const sab = new SharedArrayBuffer(64);
		const values = new BigInt64Array(sab, 16, 3);
		values.set([-5n, 2n ** 40n, 7n]);
		const column = {
			type: 'int64' as const,
			length: 3,
			nullCount: 0,
			validity: null,
			offsets: null,
			values
		};
		const r = checkExpression('v + 1', [{ name: 'v', type: 'int64' }]);
		if (!r.ok) throw new Error('check failed');
		expect(columnCells(evaluate(r.program, makeBatch(column)))).toEqual([-4, 2 ** 40 + 1, 8]);
	});
	it('reads every integer and float column type', () => {
		for (const type of [
			'int8',
			'int16',
			'int32',
			'uint8',
			'uint16',
			'uint32',
			'float32'
		] as const) {
			expect(run('v * 2', { v: [type, [1, N, 100]] })).toEqual([2, N, 200]);
		}
	});
});
