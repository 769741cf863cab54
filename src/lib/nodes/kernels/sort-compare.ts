// Row comparators for sort, top-k and their merges: one small function per key, chosen once by
// the key column's type, so the sort loop never switches on types.
//
// Order: numbers (all int and float widths, date32) by value, NaN after every other number;
// int64, uint64 and timestamps as bigints (exact); booleans false < true; strings by UTF-8
// bytes, which is code-point order. `descending` flips the values' order only: nulls go where
// `nulls` says ('last' by default) in either direction, as SQL's NULLS FIRST/LAST do. Ties on
// every key keep arrival order (both orders break them by row index: a stable sort).
import type { ColumnType, ColumnView } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';

export interface SortKey {
	column: string;
	descending: boolean;
	nulls: 'first' | 'last';
}

/** Compares row `ia` of columns `a` with row `ib` of columns `b` (same schema): <0, 0 or >0. */
export type RowCompare = (a: ColumnView[], ia: number, b: ColumnView[], ib: number) => number;

type ValueCompare = (a: ColumnView, ia: number, b: ColumnView, ib: number) => number;

function compareNumbers(a: ColumnView, ia: number, b: ColumnView, ib: number): number {
	const x = a.values[ia] as number;
	const y = b.values[ib] as number;
	if (x < y) return -1;
	if (x > y) return 1;
	if (x === y) return 0;
	// At least one NaN: NaN sorts after every number and equals itself.
	const xNaN = x !== x;
	return xNaN === (y !== y) ? 0 : xNaN ? 1 : -1;
}

function compareBigints(a: ColumnView, ia: number, b: ColumnView, ib: number): number {
	const x = a.values[ia] as bigint;
	const y = b.values[ib] as bigint;
	return x < y ? -1 : x > y ? 1 : 0;
}

function compareBools(a: ColumnView, ia: number, b: ColumnView, ib: number): number {
	const x = ((a.values as Uint8Array)[ia >>> 3] >>> (ia & 7)) & 1;
	const y = ((b.values as Uint8Array)[ib >>> 3] >>> (ib & 7)) & 1;
	return x - y;
}

export function compareStrings(a: ColumnView, ia: number, b: ColumnView, ib: number): number {
	const ao = a.offsets!;
	const bo = b.offsets!;
	const av = a.values as Uint8Array;
	const bv = b.values as Uint8Array;
	let i = ao[ia];
	let j = bo[ib];
	const aEnd = ao[ia + 1];
	const bEnd = bo[ib + 1];
	for (; i < aEnd && j < bEnd; i++, j++) {
		const d = av[i] - bv[j];
		if (d !== 0) return d;
	}
	return aEnd - i - (bEnd - j);
}

function valueCompare(type: ColumnType): ValueCompare {
	switch (type) {
		case 'int64':
		case 'uint64':
		case 'timestamp':
			return compareBigints;
		case 'bool':
			return compareBools;
		case 'utf8':
			return compareStrings;
		default:
			return compareNumbers;
	}
}

function isNull(col: ColumnView, row: number): boolean {
	return col.nullCount > 0 && !((col.validity![row >>> 3] >>> (row & 7)) & 1);
}

function keyCompare(key: ResolvedKey): RowCompare {
	const c = key.index;
	const cmp = valueCompare(key.type);
	const dir = key.descending ? -1 : 1;
	const nullSide = key.nullsFirst ? -1 : 1;
	return (a, ia, b, ib) => {
		const ca = a[c];
		const cb = b[c];
		const na = isNull(ca, ia);
		const nb = isNull(cb, ib);
		if (na || nb) return na === nb ? 0 : na ? nullSide : -nullSide;
		return dir * cmp(ca, ia, cb, ib);
	};
}

/** A sort key resolved against a schema: column index and type. */
export interface ResolvedKey {
	index: number;
	type: ColumnType;
	descending: boolean;
	nullsFirst: boolean;
}

/** `keys` resolved against `schema`; TypeError naming a key column it lacks. */
export function resolveKeys(schema: FrameSchema, keys: readonly SortKey[]): ResolvedKey[] {
	if (keys.length === 0) throw new TypeError('sort keys must name at least one column');
	return keys.map((key) => {
		const index = schema.names.indexOf(key.column);
		if (index < 0)
			throw new TypeError(`sort key '${key.column}' is not a column (${schema.names.join(', ')})`);
		return {
			index,
			type: schema.types[index],
			descending: key.descending,
			nullsFirst: key.nulls === 'first'
		};
	});
}

/** The comparator of `keys` (see resolveKeys). */
export function rowComparator(keys: readonly ResolvedKey[]): RowCompare {
	const parts = keys.map((key) => keyCompare(key));
	if (parts.length === 1) return parts[0];
	if (parts.length === 2) {
		const [first, second] = parts;
		return (a, ia, b, ib) => first(a, ia, b, ib) || second(a, ia, b, ib);
	}
	return (a, ia, b, ib) => {
		for (let k = 0; k < parts.length; k++) {
			const r = parts[k](a, ia, b, ib);
			if (r !== 0) return r;
		}
		return 0;
	};
}

/**
 * Row indices 0..rows-1 in `cmp` order, equal rows in index order: the comparison-sort
 * definition of the order `sortedPermutation` (sort-radix.ts) computes faster.
 */
export function comparatorOrder(columns: ColumnView[], rows: number, cmp: RowCompare): Uint32Array {
	const perm = new Uint32Array(rows);
	for (let i = 0; i < rows; i++) perm[i] = i;
	perm.sort((x, y) => cmp(columns, x, columns, y) || x - y);
	return perm;
}
