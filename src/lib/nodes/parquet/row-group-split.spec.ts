// The split of a Parquet file's row groups between instances, and the byte-range arithmetic
// behind each instance's share of the progress bar.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../runtime/testing/prng';
import { ByteRanges } from './byte-ranges';
import { rowGroupOwners } from './row-group-split';

function ranges(...pairs: [number, number][]): ByteRanges {
	const r = new ByteRanges();
	for (const [s, e] of pairs) r.add(s, e);
	return r;
}

describe('rowGroupOwners', () => {
	it('deals equal row groups in contiguous runs of equal size', () => {
		expect(rowGroupOwners([10, 10, 10, 10, 10, 10], 2)).toEqual([0, 0, 0, 1, 1, 1]);
		expect(rowGroupOwners([10, 10, 10, 10, 10, 10], 3)).toEqual([0, 0, 1, 1, 2, 2]);
		expect(rowGroupOwners([10, 10, 10], 1)).toEqual([0, 0, 0]);
	});

	it('balances by rows, not by groups: a small last group joins the last run', () => {
		expect(rowGroupOwners([100, 100, 100, 100, 5], 2)).toEqual([0, 0, 1, 1, 1]);
		expect(rowGroupOwners([300, 50, 50, 50, 50, 50, 50], 2)).toEqual([0, 1, 1, 1, 1, 1, 1]);
	});

	it('leaves instances past the row groups without one', () => {
		expect(rowGroupOwners([100], 3)).toEqual([1]);
		expect(rowGroupOwners([100, 100], 3)).toEqual([0, 2]);
		expect(rowGroupOwners([], 2)).toEqual([]);
		expect(rowGroupOwners([0, 0], 2)).toEqual([0, 0]);
	});

	it('gives every group one owner, in non-decreasing order, each run near its share', () => {
		const prng = mulberry32(20261203);
		for (let round = 0; round < 200; round++) {
			const rows = Array.from({ length: prng.int(1, 40) }, () => prng.int(1, 1000));
			const instances = prng.int(1, 8);
			const owners = rowGroupOwners(rows, instances);
			const what = `${JSON.stringify(rows)} on ${instances}`;
			expect(owners.length, what).toBe(rows.length);
			owners.forEach((o, g) => {
				expect(o, what).toBeGreaterThanOrEqual(g === 0 ? 0 : owners[g - 1]);
				expect(o, what).toBeLessThan(instances);
			});
			// Each instance's rows differ from an equal share by less than its largest group.
			const total = rows.reduce((a, b) => a + b, 0);
			const largest = Math.max(...rows);
			for (let k = 0; k < instances; k++) {
				const mine = rows.reduce((a, n, g) => a + (owners[g] === k ? n : 0), 0);
				expect(Math.abs(mine - total / instances), what).toBeLessThanOrEqual(largest);
			}
		}
	});

	it('refuses a count of instances that is not a positive integer', () => {
		expect(() => rowGroupOwners([1], 0)).toThrow(/instances must be a positive integer/);
	});
});

describe('ByteRanges', () => {
	it('counts bytes fetched twice (a footer prefetch, then its column chunk) once', () => {
		const r = ranges([900, 1000], [0, 100], [50, 150], [950, 1000], [150, 900]);
		expect(r.total).toBe(1000);
		r.add(2000, 2010);
		r.add(5, 5); // empty
		expect(r.total).toBe(1010);
	});

	it('complements a set within a file, gaps at either end included', () => {
		const c = ranges([4, 10], [20, 30]).complement(40);
		expect(c.total).toBe(4 + 10 + 10);
		expect(c.overlap(ranges([0, 4], [10, 20], [30, 40]))).toBe(24);
		expect(new ByteRanges().complement(7).total).toBe(7);
		expect(ranges([0, 50]).complement(40).total).toBe(0);
	});

	it('measures the overlap of two sets as a byte-by-byte count would', () => {
		const prng = mulberry32(7);
		for (let round = 0; round < 200; round++) {
			const size = prng.int(1, 300);
			const sets = [0, 1].map(() => {
				const pairs: [number, number][] = [];
				for (let i = prng.int(0, 6); i > 0; i--) {
					const s = prng.int(0, size);
					pairs.push([s, prng.int(s, size)]);
				}
				return pairs;
			});
			const held = sets.map((pairs) =>
				Array.from({ length: size }, (_, b) => pairs.some(([s, e]) => b >= s && b < e))
			);
			const both = held[0].filter((h, b) => h && held[1][b]).length;
			const [a, b] = sets.map((pairs) => ranges(...pairs));
			expect(a.overlap(b), JSON.stringify(sets)).toBe(both);
			expect(b.overlap(a), JSON.stringify(sets)).toBe(both);
			expect(a.total).toBe(held[0].filter(Boolean).length);
			expect(a.complement(size).total).toBe(size - a.total);
		}
	});
});
