import { describe, expect, it } from 'vitest';
import type { ColumnView } from '../../runtime/contracts';
import { BuildTable, JoinKeys, keyMode } from './join-keys';

function col(
	type: ColumnView['type'],
	values: ColumnView['values'],
	nulls: number[] = []
): ColumnView {
	const validity = new Uint8Array(Math.ceil(values.length / 8)).fill(0xff);
	for (const r of nulls) validity[r >> 3] &= ~(1 << (r & 7));
	return { type, length: values.length, nullCount: nulls.length, validity, offsets: null, values };
}

describe('join keys', () => {
	it('pairs numeric widths with each other and other types only with themselves', () => {
		expect(keyMode('int32', 'float64')).toBe('number');
		expect(keyMode('int64', 'int32')).toBe('number');
		expect(keyMode('int64', 'int64')).toBe('bits64');
		expect(keyMode('timestamp', 'timestamp')).toBe('bits64');
		expect(keyMode('date32', 'date32')).toBe('number');
		expect(keyMode('utf8', 'utf8')).toBe('utf8');
		expect(keyMode('bool', 'bool')).toBe('bool');
		expect(keyMode('utf8', 'int32')).toBeNull();
		expect(keyMode('timestamp', 'int64')).toBeNull();
		expect(keyMode('date32', 'int32')).toBeNull();
		expect(keyMode('bool', 'uint8')).toBeNull();
	});

	it('hashes and matches equal numbers the same whatever their column width', () => {
		const ints = new JoinKeys(['number'], [col('int32', Int32Array.from([5, 0, -7, 3]))]);
		const floats = new JoinKeys(['number'], [col('float64', Float64Array.from([5, -0, -7, 3.5]))]);
		const bigs = new JoinKeys(['number'], [col('int64', BigInt64Array.from([5n, 0n, -7n, 3n]))]);
		for (const r of [0, 1, 2]) {
			expect(ints.hash(r)).toBe(floats.hash(r));
			expect(ints.hash(r)).toBe(bigs.hash(r));
			expect(ints.equals(r, floats, r)).toBe(true);
			expect(bigs.equals(r, ints, r)).toBe(true);
		}
		expect(ints.equals(3, floats, 3)).toBe(false);
	});

	it('compares 64-bit keys exactly, beyond the integers a double holds', () => {
		const a = new JoinKeys(['bits64'], [col('int64', BigInt64Array.from([2n ** 60n, -1n]))]);
		const b = new JoinKeys(['bits64'], [col('int64', BigInt64Array.from([2n ** 60n + 1n, -1n]))]);
		expect(a.equals(0, b, 0)).toBe(false);
		expect(a.equals(1, b, 1)).toBe(true);
		expect(a.hash(1)).toBe(b.hash(1));
	});

	it('treats null and NaN keys as matching nothing and leaves them out of the table', () => {
		const keys = new JoinKeys(['number'], [col('float64', Float64Array.from([1, NaN, 1, 2]), [3])]);
		expect([0, 1, 2, 3].map((r) => keys.isNull(r))).toEqual([false, true, false, true]);
		const table = new BuildTable(keys, 4);
		// The chain of key 1 lists rows 0 then 2 (build order) and nothing else.
		const chain: number[] = [];
		for (let r = table.heads[keys.hash(0) & table.mask]; r !== -1; r = table.next[r])
			if (table.hashes[r] === keys.hash(0)) chain.push(r);
		expect(chain).toEqual([0, 2]);
	});
});
