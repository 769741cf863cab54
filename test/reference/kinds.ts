// Reference meaning of the stateful kinds, over plain arrays of row objects: group-by, sort,
// top-k and limit. Semantics from each kind's header comment: group-by (SQL GROUP BY: null keys
// form one group, -0 groups with 0, NaN with NaN; aggregates skip nulls and min/max skip NaN;
// groups in first-seen order), sort/top-k (stable; numbers by value with NaN after every number,
// strings in code point order, false < true; nulls first or last whatever the direction), limit
// (rows [offset, offset + rows) in arrival order).
//
// Where a parallel run may legitimately differ (arrival order), the frame says what is still
// determined: `orderKeys` (the sequence of these columns' values) and `pool` (the rows could be
// any `rows.length` of these).
import type { ColumnType } from '../../src/lib/runtime/contracts';
import { compareText, stored, Unrepresentable, type Row, type Value } from './expression';

export interface RefSchema {
	names: string[];
	types: ColumnType[];
}

export interface RefFrame {
	schema: RefSchema;
	rows: Row[];
	/** Columns whose values, row by row, any correct run reproduces in this order. */
	orderKeys?: string[];
	/** When set, a parallel run may hold any `rows.length` rows of this multiset. */
	pool?: Row[];
}

type Params = Record<string, unknown>;

/** One text per distinct value, with SQL grouping equality (-0 is 0, NaN is NaN). */
export function valueKey(v: Value): string {
	if (v === null) return '∅';
	if (typeof v === 'string') return JSON.stringify(v);
	if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v === 0 ? 0 : v);
	return String(v);
}

// ---- group-by -------------------------------------------------------------------------------

interface Aggregate {
	op: 'count' | 'sum' | 'mean' | 'min' | 'max' | 'count_distinct';
	column?: string;
	as?: string;
}

const BIG_INTS: ColumnType[] = ['int64', 'uint64'];
const isFloat = (t: ColumnType) => t === 'float32' || t === 'float64';

function aggType(a: Aggregate, src: ColumnType | undefined): ColumnType {
	if (a.op === 'count' || a.op === 'count_distinct') return 'int64';
	if (a.op === 'mean') return 'float64';
	if (a.op === 'sum') return BIG_INTS.includes(src!) ? src! : isFloat(src!) ? 'float64' : 'int64';
	return src!;
}

/** Output schema of a group-by: keys, then one column per aggregate. */
export function groupBySchema(input: RefSchema, p: Params): RefSchema {
	const keys = (p.keys as string[] | undefined) ?? [];
	const aggs = (p.aggregates as Aggregate[] | undefined) ?? [{ op: 'count' }];
	const typeOf = (name: string) => input.types[input.names.indexOf(name)];
	return {
		names: [...keys, ...aggs.map(aggName)],
		types: [
			...keys.map(typeOf),
			...aggs.map((a) => aggType(a, a.column === undefined ? undefined : typeOf(a.column)))
		]
	};
}

function aggName(a: Aggregate): string {
	return a.as?.trim() || (a.column === undefined ? a.op : `${a.op}_${a.column}`);
}

/** Orders two non-null values of one column type as sort and min/max do (NaN last). */
export function compareCells(x: Value, y: Value): number {
	if (typeof x === 'string') return compareText(x, y as string);
	if (typeof x === 'boolean') return Number(x) - Number(y);
	const [a, b] = [x as number, y as number];
	if (a < b) return -1;
	if (a > b) return 1;
	if (a === b) return 0;
	return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
}

function aggregate(a: Aggregate, rows: Row[], src: ColumnType | undefined): Value {
	if (a.column === undefined) return rows.length;
	const values = rows.map((r) => r[a.column!]).filter((v) => v !== null);
	switch (a.op) {
		case 'count':
			return values.length;
		case 'count_distinct':
			return new Set(values.map(valueKey)).size;
		case 'sum':
		case 'mean': {
			if (values.length === 0) return null;
			if (a.op === 'sum' && BIG_INTS.includes(src!)) {
				const total = values.reduce<bigint>((s, v) => s + BigInt(v as number), 0n);
				return Number(BigInt.asIntN(64, total));
			}
			let s = 0;
			for (const v of values) s += v as number;
			if (!isFloat(src!) && !Number.isSafeInteger(s))
				throw new Unrepresentable(`sum ${s} is past 2^53, where float64 sums round`);
			return a.op === 'sum' ? s : s / values.length;
		}
		default: {
			const max = a.op === 'max';
			let m: Value = null;
			for (const v of values) {
				if (typeof v === 'number' && Number.isNaN(v)) continue;
				if (m === null || (max ? compareCells(v, m) > 0 : compareCells(v, m) < 0)) m = v;
			}
			return m;
		}
	}
}

export function groupBy(input: RefFrame, p: Params): RefFrame {
	const keys = (p.keys as string[] | undefined) ?? [];
	const aggs = (p.aggregates as Aggregate[] | undefined) ?? [{ op: 'count' }];
	const schema = groupBySchema(input.schema, p);
	const groups = new Map<string, Row[]>();
	if (keys.length === 0) groups.set('', []);
	for (const r of input.rows) {
		const k = keys.map((c) => valueKey(r[c])).join('|');
		let g = groups.get(k);
		if (!g) groups.set(k, (g = []));
		g.push(r);
	}
	const srcType = (a: Aggregate) =>
		a.column === undefined ? undefined : input.schema.types[input.schema.names.indexOf(a.column)];
	const rows: Row[] = [];
	for (const members of groups.values()) {
		const row: Row = {};
		for (const k of keys) row[k] = members[0][k];
		aggs.forEach((a, j) => {
			const name = schema.names[keys.length + j];
			row[name] = stored(aggregate(a, members, srcType(a)), schema.types[keys.length + j]);
		});
		rows.push(row);
	}
	return { schema, rows };
}

// ---- sort, top-k, limit ---------------------------------------------------------------------

interface SortKey {
	column: string;
	descending?: boolean;
	nulls?: 'first' | 'last';
}

function sorted(rows: Row[], by: SortKey[]): Row[] {
	const cmp = (a: Row, b: Row): number => {
		for (const k of by) {
			const [x, y] = [a[k.column], b[k.column]];
			if (x === null || y === null) {
				if (x === y) continue;
				const nullFirst = k.nulls === 'first';
				return (x === null) === nullFirst ? -1 : 1;
			}
			const c = compareCells(x, y);
			if (c !== 0) return k.descending ? -c : c;
		}
		return 0;
	};
	return [...rows].sort(cmp); // Array.prototype.sort is stable
}

export function sort(input: RefFrame, p: Params): RefFrame {
	const by = (p.by as SortKey[] | undefined) ?? [];
	return {
		schema: input.schema,
		rows: sorted(input.rows, by),
		orderKeys: by.map((k) => k.column)
	};
}

export function topK(input: RefFrame, p: Params): RefFrame {
	const by = (p.by as SortKey[] | undefined) ?? [];
	const k = (p.k as number | undefined) ?? 10;
	return {
		schema: input.schema,
		rows: sorted(input.rows, by).slice(0, k),
		orderKeys: by.map((key) => key.column),
		pool: input.rows
	};
}

export function limit(input: RefFrame, p: Params): RefFrame {
	const rows = (p.rows as number | undefined) ?? 100;
	const offset = (p.offset as number | undefined) ?? 0;
	return {
		schema: input.schema,
		rows: input.rows.slice(offset, offset + rows),
		pool: input.rows
	};
}
