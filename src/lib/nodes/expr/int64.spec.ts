import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../runtime/contracts';
import { checkExpression } from './evaluate';
import { evaluateCells as run, type TableSpec } from './testing';

// Integer overflow is an error, never a wrapped or rounded value: ints of 2^53 or more are
// computed exactly, and a result outside int64 names the row by its values.

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const U64_MAX = 2n ** 64n - 1n;

const overflow = (src: string, table: TableSpec) => () => run(src, table);

describe('int64 arithmetic in expressions', () => {
	const T: TableSpec = { big: ['int64', [MAX, MIN, 5n]], id: ['int64', [0n, 1n, 2n]] };

	it('keeps values of 2^53 and more exact through + - * % and functions', () => {
		expect(run('big + 0', T)).toEqual([MAX, MIN, 5]);
		expect(run('big - 0 * id', T)).toEqual([MAX, MIN, 5]);
		expect(run('big - (big - 1)', { big: ['int64', [MAX, 5n]] })).toEqual([1, 1]);
		expect(run('big % 10', T)).toEqual([7, -8, 5]);
		expect(run('max(big, 0)', T)).toEqual([MAX, 0, 5]);
		expect(run('round(big, -2)', T)).toEqual([9223372036854775800n, -9223372036854775800n, 0]);
		expect(run('if(id > 0, big, 1)', T)).toEqual([1, MIN, 5]);
		expect(run('coalesce(big, 0)', T)).toEqual([MAX, MIN, 5]);
		expect(run('9007199254740993 + id', T)).toEqual([
			9007199254740993n,
			9007199254740994n,
			9007199254740995n
		]);
		expect(run('9223372036854775807 - id', T)).toEqual([MAX, MAX - 1n, MAX - 2n]);
	});

	it('fails on a result outside int64, naming the operation and the row by its values', () => {
		expect(overflow('big + 1', T)).toThrow(
			'integer overflow: 9223372036854775807 + 1 is outside int64 (-9223372036854775808 to 9223372036854775807), in the row where big = 9223372036854775807 (in big + 1)'
		);
		expect(overflow('big - id', T)).toThrow(/-9223372036854775808 - 1 is outside int64.*id = 1/);
		expect(overflow('-big', T)).toThrow(/-\(-9223372036854775808\) is outside int64/);
		expect(overflow('abs(big)', T)).toThrow(/abs\(-9223372036854775808\) is outside int64/);
		expect(overflow('(id+1)*3037000500*3037000500', T)).toThrow(
			/3037000500 \* 3037000500 is outside int64.*id = 0/
		);
		expect(overflow('id * 4611686018427387904', T)).toThrow(/2 \* 4611686018427387904.*id = 2/);
		expect(overflow('big * 2 / 2', T)).toThrow(/9223372036854775807 \* 2/);
	});

	it('refuses an int literal beyond int64 at its position, and keeps the largest one', () => {
		const r = checkExpression('id + 99999999999999999999999', [{ name: 'id', type: 'int64' }]);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors[0]).toMatchObject({ start: 5, end: 28 });
		expect(r.errors[0].message).toMatch(/too large for an int.*write 99999999999999999999999\.0/);
		expect(run('9223372036854775807 + 0 * id', T)).toEqual([MAX, MAX, MAX]);
		expect(run('99999999999999999999999.0 > 0', T)).toEqual([true, true, true]);
	});

	it('is float arithmetic, never an overflow, as soon as a float takes part', () => {
		expect(run('big * 2.0', T)).toEqual([2 ** 64, -(2 ** 64), 10]);
		expect(run('big / 1', T)).toEqual([2 ** 63, -(2 ** 63), 5]);
	});
});

describe('every integer width at its limits', () => {
	const LIMITS: [ColumnType, bigint, bigint][] = [
		['int8', -128n, 127n],
		['int16', -32768n, 32767n],
		['int32', -2147483648n, 2147483647n],
		['uint8', 0n, 255n],
		['uint16', 0n, 65535n],
		['uint32', 0n, 4294967295n],
		['int64', MIN, MAX],
		['uint64', 0n, U64_MAX]
	];
	for (const [type, lo, hi] of LIMITS) {
		it(`${type}: min - 1 and max + 1 are exact int64 or an overflow, never wrapped`, () => {
			const wide = type === 'int64' || type === 'uint64';
			const cells = wide ? [lo, hi] : [Number(lo), Number(hi)];
			const T: TableSpec = { x: [type, cells] };
			const value = (b: bigint) => (b > 2n ** 53n || b < -(2n ** 53n) ? b : Number(b));
			expect(run('x', T)).toEqual([value(lo), value(hi)]);
			if (type === 'int64') {
				expect(overflow('x - 1', T)).toThrow(/-9223372036854775808 - 1 is outside int64/);
				expect(overflow('x + 1', { x: [type, [hi]] })).toThrow(/9223372036854775807 \+ 1/);
			} else if (type === 'uint64') {
				expect(run('x - 1', { x: [type, [lo]] })).toEqual([-1]);
				// uint64 values above int64's range are no int result.
				expect(overflow('x + 0', { x: [type, [hi]] })).toThrow(/18446744073709551615 \+ 0/);
				expect(overflow('coalesce(x, 0)', { x: [type, [hi]] })).toThrow(/18446744073709551615/);
				expect(run('x - 9223372036854775807', { x: [type, [MAX]] })).toEqual([0]);
			} else {
				expect(run('x - 1', T)).toEqual([value(lo - 1n), value(hi - 1n)]);
				expect(run('x + 1', T)).toEqual([value(lo + 1n), value(hi + 1n)]);
				// The squares of the 32-bit limits reach 2^62 (exact) or, for uint32, pass int64.
				if (hi * hi <= MAX) expect(run('x * x', T)).toEqual([value(lo * lo), value(hi * hi)]);
				else expect(overflow('x * x', T)).toThrow(/4294967295 \* 4294967295/);
			}
		});
	}
});
