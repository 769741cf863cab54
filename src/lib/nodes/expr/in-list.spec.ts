import { describe, expect, it } from 'vitest';
import { checkExpression } from './evaluate';
import { evaluateCells as run, type TableSpec } from './testing';

// Long `in` lists and long coalesce calls compile to shallow nodes: a 3,000-item list used to
// fail with "Maximum call stack size exceeded" (one nested `or` per item).

const N = null;
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

describe('x in (long list)', () => {
	const T: TableSpec = {
		x: ['int64', [0, 2999, 3000, -1, N, 1500]],
		f: ['float64', [0.5, NaN, -0, 2999, N, 1e300]],
		s: ['utf8', ['k0', 'k2999', 'k3000', '', N, 'k17']],
		d: ['date32', ['2024-01-01', '2031-03-18', '2040-01-01', '1969-12-31', N, '2024-01-02']]
	};

	it('matches 3,000 and 20,000 int items, with not in and null for a null value', () => {
		const list = range(3000, String).join(', ');
		expect(run(`x in (${list})`, T)).toEqual([true, true, false, false, N, true]);
		expect(run(`x not in (${list})`, T)).toEqual([false, false, true, true, N, false]);
		const big = range(20_000, (i) => String(i - 10_000)).join(',');
		expect(run(`x in (${big})`, T)).toEqual([true, true, true, true, N, true]);
	});

	it('matches negative and computed constants, floats with 0 equal to -0 and NaN matching nothing', () => {
		const list = ['-1', '2 * 1500', '0.0', 'sqrt(-1) is null', ...range(3000, (i) => `${i}.5`)];
		expect(run(`x in (${list.slice(0, 2).join(', ')}, 7)`, T)).toEqual([
			false,
			false,
			true,
			true,
			N,
			false
		]);
		expect(run(`f in (${list.slice(2, 3).join()}, ${list.slice(4).join(', ')})`, T)).toEqual([
			true,
			false,
			true,
			false,
			N,
			false
		]);
		expect(run('f in (0, 1e300, 0 / 1)', T)).toEqual([false, false, true, false, N, true]);
	});

	it('matches 3,000 strings on their bytes and 3,000 dates written as text', () => {
		const strings = range(3000, (i) => `"k${i}"`).join(', ');
		expect(run(`s in (${strings})`, T)).toEqual([true, true, false, false, N, true]);
		const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
		const dates = range(3000, (i) => `"${day(i)}"`).join(', ');
		expect(run(`d in (${dates})`, T)).toEqual([true, true, false, false, N, true]);
		expect(run(`d in (${range(3000, (i) => `"${day(i)}T00:00:00Z"`).join(', ')})`, T)).toEqual([
			true,
			true,
			false,
			false,
			N,
			true
		]);
	});

	it('matches lists whose items are columns (a balanced or), as the or of == would', () => {
		const U: TableSpec = {
			x: ['int32', [1, 2, 3, N, 5]],
			y: ['int32', [1, N, 9, 4, N]]
		};
		const list = ['y', ...range(3000, (i) => String(i + 4))].join(', ');
		// x == y is null where y is null: or-ed with false that stays null, as in SQL.
		expect(run(`x in (${list})`, U)).toEqual([true, N, false, N, true]);
		expect(run(`x in (${list.replace('y, ', '')}, y)`, U)).toEqual([true, N, false, N, true]);
	});

	it('folds a list of constants against a constant', () => {
		const list = range(3000, String).join(', ');
		const r = checkExpression(`2999 in (${list})`, []);
		expect(r.ok).toBe(true);
		expect(run(`2999 in (${list}) and x is not null`, T)).toEqual([
			true,
			true,
			true,
			true,
			false,
			true
		]);
	});
});

describe('coalesce with many arguments', () => {
	it('returns the first non-null of 3,000 arguments', () => {
		const T: TableSpec = {
			a: ['int32', [N, N, 4]],
			b: ['int32', [N, 2, 5]]
		};
		const args = [...range(2998, () => 'a'), 'b', '7'].join(', ');
		expect(run(`coalesce(${args})`, T)).toEqual([7, 2, 4]);
		expect(run(`coalesce(${[...range(2999, () => 'null'), 'a'].join(', ')})`, T)).toEqual([
			N,
			N,
			4
		]);
	});
});
