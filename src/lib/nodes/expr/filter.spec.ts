import { describe, expect, it } from 'vitest';
import { checkExpression, evaluateFilter } from './evaluate';
import { batchOf, fieldsOf, type TableSpec } from './testing';

function select(source: string, table: TableSpec, selection?: number[]): number[] {
	const r = checkExpression(source, fieldsOf(table));
	if (!r.ok) throw new Error(r.errors[0].message);
	const input = selection ? Uint32Array.from(selection) : undefined;
	const out = evaluateFilter(r.program, batchOf(table), input);
	return Array.from(out.selection.subarray(0, out.count));
}

const N = null;

describe('evaluateFilter', () => {
	const table: TableSpec = {
		amount: ['float64', [150, 50, N, 200, 101, 99, 300, 1000, 7, 120]],
		region: ['utf8', ['EU', 'EU', 'EU', 'US', 'EU', N, 'EU', 'EU', 'EU', 'EU']]
	};

	it('keeps the rows where the predicate is true, in order', () => {
		expect(select('amount > 100 && region == "EU"', table)).toEqual([0, 4, 6, 7, 9]);
	});
	it('drops rows where the predicate is null as well as false', () => {
		expect(select('amount > 100 or region == "US"', table)).toEqual([0, 3, 4, 6, 7, 9]);
		expect(select('not (amount > 100)', table)).toEqual([1, 5, 8]);
	});
	it('keeps every row for true and none for false or null', () => {
		expect(select('true', table)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(select('false', table)).toEqual([]);
		expect(select('null', table)).toEqual([]);
		expect(select('1 > 2 or amount is null', table)).toEqual([2]);
	});
	it('narrows an incoming selection instead of scanning every row', () => {
		expect(select('amount > 100', table, [1, 3, 4, 5, 9])).toEqual([3, 4, 9]);
		expect(select('amount > 100', table, [])).toEqual([]);
	});
	it('handles batches whose length is not a multiple of 8, and long ones', () => {
		const n = 1003;
		const values = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i % 5));
		const want = values.flatMap((v, i) => (v !== null && v > 2 ? [i] : []));
		expect(select('v > 2', { v: ['int32', values] })).toEqual(want);
	});
	it('refuses a program whose type is not bool', () => {
		const r = checkExpression('amount + 1', fieldsOf(table));
		if (!r.ok) throw new Error('check failed');
		expect(() => evaluateFilter(r.program, batchOf(table))).toThrow(/needs a bool expression/);
	});
});
