import { COLUMN_TYPES } from '../../runtime/batch/types';
import { describe, expect, it } from 'vitest';
import type { ColumnType, ColumnView } from '../../runtime/contracts';
import { mulberry32, type Prng } from '../../runtime/testing/prng';
import { ColumnStore } from './sort-columns';
import { comparatorOrder, resolveKeys, rowComparator, type SortKey } from './sort-compare';
import { sortedPermutation } from './sort-radix';

const TYPES: readonly ColumnType[] = COLUMN_TYPES;
const STRINGS = ['', 'a', 'ab', 'b', 'B', 'é', 'z\u{1F600}', 'z\uFFFD', 'zz', 'a\u0000'];
const FLOATS = [0, -0, 1.5, -1.5, Infinity, -Infinity, NaN, 1e-300, -1e300, 2 ** 53];

/** A column of `rows` random values of `type`, a share of them null; few distinct values. */
function randomColumn(prng: Prng, type: ColumnType, rows: number): ColumnView {
	const validity = new Uint8Array((rows + 7) >> 3);
	let nullCount = 0;
	const nullShare = prng.pick([0, 0.2]);
	for (let r = 0; r < rows; r++) {
		if (prng.chance(nullShare)) nullCount++;
		else validity[r >> 3] |= 1 << (r & 7);
	}
	const base = { type, length: rows, nullCount, validity: nullCount ? validity : null };
	const small = () => prng.int(-3, 3);
	switch (type) {
		case 'utf8': {
			const encoder = new TextEncoder();
			const parts = Array.from({ length: rows }, () => encoder.encode(prng.pick(STRINGS)));
			const offsets = new Int32Array(rows + 1);
			parts.forEach((p, r) => (offsets[r + 1] = offsets[r] + p.length));
			const values = new Uint8Array(offsets[rows]);
			parts.forEach((p, r) => values.set(p, offsets[r]));
			return { ...base, offsets, values };
		}
		case 'bool': {
			const values = new Uint8Array((rows + 7) >> 3);
			for (let r = 0; r < rows; r++) if (prng.chance(0.5)) values[r >> 3] |= 1 << (r & 7);
			return { ...base, offsets: null, values };
		}
		case 'int64':
		case 'timestamp':
			return {
				...base,
				offsets: null,
				values: BigInt64Array.from(
					{ length: rows },
					() => BigInt(small()) * 2n ** 40n + BigInt(small())
				)
			};
		case 'uint64':
			return {
				...base,
				offsets: null,
				values: BigUint64Array.from(
					{ length: rows },
					() => BigInt(prng.int(0, 3)) * 2n ** 63n + BigInt(prng.int(0, 3))
				)
			};
		case 'float32':
			return {
				...base,
				offsets: null,
				values: Float32Array.from({ length: rows }, () => prng.pick(FLOATS))
			};
		case 'float64':
			return {
				...base,
				offsets: null,
				values: Float64Array.from({ length: rows }, () => prng.pick(FLOATS))
			};
		case 'int8':
			return {
				...base,
				offsets: null,
				values: Int8Array.from({ length: rows }, () => small() * 40)
			};
		case 'int16':
			return {
				...base,
				offsets: null,
				values: Int16Array.from({ length: rows }, () => small() * 9000)
			};
		case 'uint8':
			return {
				...base,
				offsets: null,
				values: Uint8Array.from({ length: rows }, () => prng.int(0, 3) * 80)
			};
		case 'uint16':
			return {
				...base,
				offsets: null,
				values: Uint16Array.from({ length: rows }, () => prng.int(0, 3) * 20000)
			};
		case 'uint32':
			return {
				...base,
				offsets: null,
				values: Uint32Array.from({ length: rows }, () => prng.int(0, 3) * 2 ** 30)
			};
		default:
			// int32, date32
			return {
				...base,
				offsets: null,
				values: Int32Array.from({ length: rows }, () => small() * 2 ** 29)
			};
	}
}

describe('radix sort order', () => {
	it('equals a stable comparison sort for random keys of every column type', () => {
		for (let trial = 0; trial < 300; trial++) {
			const seed = 1000 + trial;
			const prng = mulberry32(seed);
			const rows = prng.pick([0, 1, 7, 200, 3000]);
			const types = Array.from({ length: prng.int(1, 3) }, () => prng.pick(TYPES));
			const names = types.map((t, i) => `${t}_${i}`);
			const store = new ColumnStore(types);
			store.append(
				{ length: rows, columns: types.map((t) => randomColumn(prng, t, rows)) },
				null,
				rows
			);
			const by: SortKey[] = names.map((column) => ({
				column,
				descending: prng.chance(0.5),
				nulls: prng.pick(['first', 'last'] as const)
			}));
			const keys = resolveKeys({ names, types }, by);
			const expected = comparatorOrder(store.columns, rows, rowComparator(keys));
			const actual = sortedPermutation(store.columns, rows, keys);
			expect(Array.from(actual), `seed ${seed}, keys ${JSON.stringify(by)}`).toEqual(
				Array.from(expected)
			);
		}
	});

	it('uses 16-bit digits on large inputs and still matches the comparison sort', () => {
		const prng = mulberry32(77);
		const rows = 70_000;
		const types: ColumnType[] = ['float64', 'utf8'];
		const store = new ColumnStore(types);
		store.append(
			{ length: rows, columns: types.map((t) => randomColumn(prng, t, rows)) },
			null,
			rows
		);
		const keys = resolveKeys({ names: ['f', 's'], types }, [
			{ column: 's', descending: true, nulls: 'first' },
			{ column: 'f', descending: false, nulls: 'last' }
		]);
		const expected = comparatorOrder(store.columns, rows, rowComparator(keys));
		expect(Array.from(sortedPermutation(store.columns, rows, keys))).toEqual(Array.from(expected));
	});
});
