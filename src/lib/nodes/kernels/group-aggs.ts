// Aggregate state of a group-by: one object per aggregate, holding typed arrays indexed by
// group id (grown by doubling). Each folds a batch a column at a time: `update` reads live
// rows of the source column with their group ids, `merge` reads partial state rows. Nulls
// are skipped by every aggregate (count of rows counts every row); NaN is skipped by min/max.
// Single-threaded (the stage's worker). Numeric updates allocate nothing per row; string
// min/max and count_distinct keep JS values (strings, Sets) per group.
import type { ColumnType, ColumnView } from '../../runtime/contracts';
import { stringAt } from '../../runtime/batch/values';
import type { FrameWriter } from '../../runtime/batch/writer';
import type { AggPlan } from './group-plan';
import type { GroupTable } from './group-table';
import { sortMessages } from './sort-messages';

export interface Aggregator {
	readonly plan: AggPlan;
	/** Makes room for groups 0..groups-1. */
	ensure(groups: number): void;
	/** Folds live rows of the source column (null for count of rows). */
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array): void;
	/** Folds partial state rows `sel[0..count)` of a partial batch's columns. */
	merge(cols: ColumnView[], sel: Uint32Array, count: number, gids: Int32Array): void;
	/** UTF-8 bytes of group g's final (and partial) value, 0 unless it is a string. */
	utf8Bytes(g: number): number;
	/** Bytes its state holds on the heap (an estimate for strings and sets, never an undercount of arrays). */
	heapBytes(): number;
	writeFinal(writer: FrameWriter, c: number, groups: Int32Array, n: number): void;
	/** Writes the state columns starting at writer column c. */
	writePartial(writer: FrameWriter, c: number, groups: Int32Array, n: number): void;
}

type Num = { [i: number]: number };
type Big = { [i: number]: bigint };

const isValid = (validity: Uint8Array | null, r: number): boolean =>
	validity === null || (validity[r >>> 3] & (1 << (r & 7))) !== 0;

const validityOf = (col: ColumnView): Uint8Array | null =>
	col.nullCount > 0 ? col.validity : null;

function grown<T extends Float64Array | Uint8Array | BigInt64Array | BigUint64Array>(
	a: T,
	groups: number
): T {
	if (groups <= a.length) return a;
	let size = Math.max(64, a.length * 2);
	while (size < groups) size *= 2;
	const b = new (a.constructor as new (n: number) => T)(size);
	b.set(a as never);
	return b;
}

/** Marks rows 0..n-1 of writer column c null (utf8 columns get empty strings' offsets too). */
export function writeNulls(writer: FrameWriter, c: number, n: number): void {
	const offsets = writer.column(c).offsets;
	for (let i = 0; i < n; i++) {
		writer.setNull(c, i);
		if (offsets !== null) offsets[i + 1] = offsets[i];
	}
}

class CountAgg implements Aggregator {
	private n = new Float64Array(64);
	/** Count of rows in a single or partial stage: the table counts them. */
	constructor(
		readonly plan: AggPlan,
		private readonly rows: GroupTable | null
	) {}
	ensure(groups: number) {
		this.n = grown(this.n, groups);
	}
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		if (col === null) return;
		const n = this.n;
		const validity = validityOf(col);
		if (validity === null) for (let i = 0; i < count; i++) n[gids[i]]++;
		else
			for (let i = 0; i < count; i++)
				if (isValid(validity, sel === null ? i : sel[i])) n[gids[i]]++;
	}
	merge(cols: ColumnView[], sel: Uint32Array, count: number, gids: Int32Array) {
		const from = cols[this.plan.partialAt].values as Float64Array;
		for (let i = 0; i < count; i++) this.n[gids[i]] += from[sel[i]];
	}
	private counts(): Float64Array {
		return this.rows !== null ? this.rows.rowCounts : this.n;
	}
	heapBytes() {
		return this.n.byteLength;
	}
	utf8Bytes() {
		return 0;
	}
	writeFinal(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		const out = writer.column(c).values as BigInt64Array;
		const counts = this.counts();
		for (let i = 0; i < n; i++) out[i] = BigInt(counts[groups[i]]);
	}
	writePartial(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		const out = writer.column(c).values as Float64Array;
		const counts = this.counts();
		for (let i = 0; i < n; i++) out[i] = counts[groups[i]];
	}
}

/** sum (float64 state, or 64-bit ints), min and max: one value and a has-value flag per group. */
abstract class OneValueAgg<
	A extends Float64Array | BigInt64Array | BigUint64Array
> implements Aggregator {
	protected has = new Uint8Array(64);
	constructor(
		readonly plan: AggPlan,
		protected v: A
	) {}
	ensure(groups: number) {
		this.has = grown(this.has, groups);
		this.v = grown(this.v, groups);
	}
	heapBytes() {
		return this.has.byteLength + this.v.byteLength;
	}
	abstract update(
		col: ColumnView | null,
		sel: Uint32Array | null,
		count: number,
		gids: Int32Array
	): void;
	merge(cols: ColumnView[], sel: Uint32Array, count: number, gids: Int32Array) {
		this.update(cols[this.plan.partialAt], sel, count, gids);
	}
	utf8Bytes() {
		return 0;
	}
	writeFinal(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		this.write(writer, c, groups, n, this.plan.outType);
	}
	writePartial(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		this.write(writer, c, groups, n, this.plan.partialTypes[0]);
	}
	private write(writer: FrameWriter, c: number, groups: Int32Array, n: number, type: ColumnType) {
		const out = writer.column(c).values;
		for (let i = 0; i < n; i++) {
			const g = groups[i];
			if (!this.has[g]) writer.setNull(c, i);
			else if (type === 'bool') {
				if (this.v[g]) (out as Uint8Array)[i >>> 3] |= 1 << (i & 7);
			} else if (out instanceof BigInt64Array || out instanceof BigUint64Array)
				out[i] = typeof this.v[g] === 'bigint' ? (this.v[g] as bigint) : BigInt(this.v[g]);
			else (out as Num)[i] = this.v[g] as number;
		}
	}
}

class SumAgg extends OneValueAgg<Float64Array> {
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		const validity = validityOf(col!);
		if (validity === null && col!.values instanceof Float64Array)
			sumF64(col!.values, sel, count, gids, this.v, this.has);
		else {
			const values = col!.values as unknown as Num;
			for (let i = 0; i < count; i++) {
				const r = sel === null ? i : sel[i];
				if (!isValid(validity, r)) continue;
				const g = gids[i];
				this.v[g] += values[r];
				this.has[g] = 1;
			}
		}
	}
}

/** The hot loop of sum over float64 without nulls (monomorphic on purpose). */
function sumF64(
	values: Float64Array,
	sel: Uint32Array | null,
	count: number,
	gids: Int32Array,
	sums: Float64Array,
	has: Uint8Array
): void {
	if (sel === null)
		for (let i = 0; i < count; i++) {
			const g = gids[i];
			sums[g] += values[i];
			has[g] = 1;
		}
	else
		for (let i = 0; i < count; i++) {
			const g = gids[i];
			sums[g] += values[sel[i]];
			has[g] = 1;
		}
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Sum of int64 or uint64 in their own type: exact, and an error past the type's range. */
class BigSumAgg extends OneValueAgg<BigInt64Array | BigUint64Array> {
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		const validity = validityOf(col!);
		const values = col!.values as unknown as Big;
		const unsigned = this.v instanceof BigUint64Array;
		const [lo, hi] = unsigned ? [0n, UINT64_MAX] : [INT64_MIN, INT64_MAX];
		for (let i = 0; i < count; i++) {
			const r = sel === null ? i : sel[i];
			if (!isValid(validity, r)) continue;
			const g = gids[i];
			// BigInt arithmetic is exact; only the store into the 64-bit array would wrap.
			const s = this.v[g] + values[r];
			if (s > hi || s < lo)
				throw new RangeError(
					sortMessages.sumOverflow(
						this.plan.name,
						unsigned ? 'uint64' : 'int64',
						this.v[g],
						values[r]
					)
				);
			this.v[g] = s;
			this.has[g] = 1;
		}
	}
}

class MinMaxAgg extends OneValueAgg<Float64Array> {
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		const validity = validityOf(col!);
		const bits = col!.type === 'bool' ? (col!.values as Uint8Array) : null;
		const values = col!.values as unknown as Num;
		const max = this.plan.op === 'max';
		for (let i = 0; i < count; i++) {
			const r = sel === null ? i : sel[i];
			if (!isValid(validity, r)) continue;
			const x = bits !== null ? (bits[r >>> 3] >>> (r & 7)) & 1 : values[r];
			if (x !== x) continue;
			const g = gids[i];
			if (!this.has[g] || (max ? x > this.v[g] : x < this.v[g])) {
				this.v[g] = x;
				this.has[g] = 1;
			}
		}
	}
}

class BigMinMaxAgg extends OneValueAgg<BigInt64Array | BigUint64Array> {
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		const validity = validityOf(col!);
		const values = col!.values as unknown as Big;
		const max = this.plan.op === 'max';
		for (let i = 0; i < count; i++) {
			const r = sel === null ? i : sel[i];
			if (!isValid(validity, r)) continue;
			const x = values[r];
			const g = gids[i];
			if (!this.has[g] || (max ? x > this.v[g] : x < this.v[g])) {
				this.v[g] = x;
				this.has[g] = 1;
			}
		}
	}
}

class MeanAgg implements Aggregator {
	private s = new Float64Array(64);
	private n = new Float64Array(64);
	constructor(readonly plan: AggPlan) {}
	ensure(groups: number) {
		this.s = grown(this.s, groups);
		this.n = grown(this.n, groups);
	}
	heapBytes() {
		return this.s.byteLength + this.n.byteLength;
	}
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		const validity = validityOf(col!);
		const values = col!.values as unknown as { [i: number]: number | bigint };
		for (let i = 0; i < count; i++) {
			const r = sel === null ? i : sel[i];
			if (!isValid(validity, r)) continue;
			const g = gids[i];
			this.s[g] += Number(values[r]);
			this.n[g]++;
		}
	}
	merge(cols: ColumnView[], sel: Uint32Array, count: number, gids: Int32Array) {
		const s = cols[this.plan.partialAt].values as Float64Array;
		const n = cols[this.plan.partialAt + 1].values as Float64Array;
		for (let i = 0; i < count; i++) {
			this.s[gids[i]] += s[sel[i]];
			this.n[gids[i]] += n[sel[i]];
		}
	}
	utf8Bytes() {
		return 0;
	}
	writeFinal(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		const out = writer.column(c).values as Float64Array;
		for (let i = 0; i < n; i++) {
			const g = groups[i];
			if (this.n[g] === 0) writer.setNull(c, i);
			else out[i] = this.s[g] / this.n[g];
		}
	}
	writePartial(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		const s = writer.column(c).values as Float64Array;
		const k = writer.column(c + 1).values as Float64Array;
		for (let i = 0; i < n; i++) {
			s[i] = this.s[groups[i]];
			k[i] = this.n[groups[i]];
		}
	}
}

const encoder = new TextEncoder();

/** Copies `bytes` as row i of the utf8 writer column `col` (rows must be written in order). */
export function putString(col: ColumnView, i: number, bytes: Uint8Array): void {
	const at = col.offsets![i];
	(col.values as Uint8Array).set(bytes, at);
	col.offsets![i + 1] = at + bytes.length;
}

class StringMinMaxAgg implements Aggregator {
	private m: (string | undefined)[] = [];
	private encoded: (Uint8Array | undefined)[] = [];
	/** Heap bytes of the strings held (UTF-16 plus a string header each). */
	private held = 0;
	constructor(readonly plan: AggPlan) {}
	ensure() {}
	heapBytes() {
		return this.held + 16 * this.m.length;
	}
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		const validity = validityOf(col!);
		const max = this.plan.op === 'max';
		for (let i = 0; i < count; i++) {
			const r = sel === null ? i : sel[i];
			if (!isValid(validity, r)) continue;
			const x = stringAt(col!, r)!;
			const g = gids[i];
			const m = this.m[g];
			if (m === undefined || (max ? compareCodePoints(x, m) > 0 : compareCodePoints(x, m) < 0)) {
				this.held += stringHeapBytes(x) - (m === undefined ? 0 : stringHeapBytes(m));
				this.m[g] = x;
				this.encoded[g] = undefined;
			}
		}
	}
	merge(cols: ColumnView[], sel: Uint32Array, count: number, gids: Int32Array) {
		this.update(cols[this.plan.partialAt], sel, count, gids);
	}
	private bytes(g: number): Uint8Array | undefined {
		const m = this.m[g];
		if (m === undefined) return undefined;
		return (this.encoded[g] ??= encoder.encode(m));
	}
	utf8Bytes(g: number) {
		return this.bytes(g)?.length ?? 0;
	}
	writeFinal(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		const col = writer.column(c);
		for (let i = 0; i < n; i++) {
			const bytes = this.bytes(groups[i]);
			if (bytes === undefined) {
				writer.setNull(c, i);
				col.offsets![i + 1] = col.offsets![i];
			} else putString(col, i, bytes);
		}
	}
	writePartial(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		this.writeFinal(writer, c, groups, n);
	}
}

/**
 * Orders strings by Unicode code point, as sort and the expression language do (JS `<`
 * compares UTF-16 code units, which puts U+1F600 before U+FF21).
 */
export function compareCodePoints(a: string, b: string): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		const x = a.charCodeAt(i);
		const y = b.charCodeAt(i);
		if (x === y) continue;
		// Surrogates (0xD800-0xDFFF) encode code points above 0xFFFF: they sort after every
		// other code unit that is not itself a surrogate.
		const xs = x >= 0xd800 && x <= 0xdfff;
		const ys = y >= 0xd800 && y <= 0xdfff;
		if (xs !== ys) return xs ? 1 : -1;
		return x - y;
	}
	return a.length - b.length;
}

export type Distinct = number | bigint | boolean | string;

/** Heap bytes of an empty Set and of one entry of one (V8: hash table slots, growth slack). */
const SET_BYTES = 64;
const SET_ENTRY_BYTES = 24;

/** Heap bytes of a JS string of this length (two bytes a code unit, a header). */
function stringHeapBytes(x: string): number {
	return 16 + 2 * x.length;
}

export class CountDistinctAgg implements Aggregator {
	private sets: (Set<Distinct> | undefined)[] = [];
	/** Heap bytes of the sets: a set header each, and per value its entry (and string). */
	private held = 0;
	constructor(readonly plan: AggPlan) {}
	ensure() {}
	heapBytes() {
		return this.held + 8 * this.sets.length;
	}
	update(col: ColumnView | null, sel: Uint32Array | null, count: number, gids: Int32Array) {
		const c = col!;
		const validity = validityOf(c);
		const values = c.values as unknown as { [i: number]: number | bigint };
		for (let i = 0; i < count; i++) {
			const r = sel === null ? i : sel[i];
			if (!isValid(validity, r)) continue;
			const x: Distinct =
				c.type === 'utf8'
					? stringAt(c, r)!
					: c.type === 'bool'
						? ((c.values as Uint8Array)[r >>> 3] & (1 << (r & 7))) !== 0
						: values[r];
			let set = this.sets[gids[i]];
			if (set === undefined) {
				set = this.sets[gids[i]] = new Set();
				this.held += SET_BYTES;
			}
			const before = set.size;
			set.add(x);
			if (set.size !== before)
				this.held += SET_ENTRY_BYTES + (typeof x === 'string' ? stringHeapBytes(x) : 0);
		}
	}
	/** State rows carry no distinct values: those come in distinct rows, through update. */
	merge() {}
	/** The distinct values of group g. */
	values(g: number): Distinct[] {
		return this.sets[g] ? [...this.sets[g]] : [];
	}
	utf8Bytes() {
		return 0;
	}
	writeFinal(writer: FrameWriter, c: number, groups: Int32Array, n: number) {
		const out = writer.column(c).values as BigInt64Array;
		for (let i = 0; i < n; i++) out[i] = BigInt(this.sets[groups[i]]?.size ?? 0);
	}
	writePartial(writer: FrameWriter, c: number, _groups: Int32Array, n: number) {
		writeNulls(writer, c, n);
	}
}

/** The aggregator of a plan entry; `table` counts rows for count-of-rows outside a merge. */
export function makeAggregator(plan: AggPlan, table: GroupTable | null): Aggregator {
	const big = plan.srcType === 'uint64' ? BigUint64Array : BigInt64Array;
	const bigSrc =
		plan.srcType === 'int64' || plan.srcType === 'uint64' || plan.srcType === 'timestamp';
	switch (plan.op) {
		case 'count':
			return new CountAgg(plan, plan.column < 0 ? table : null);
		case 'sum':
			return bigSrc ? new BigSumAgg(plan, new big(64)) : new SumAgg(plan, new Float64Array(64));
		case 'mean':
			return new MeanAgg(plan);
		case 'min':
		case 'max':
			if (plan.srcType === 'utf8') return new StringMinMaxAgg(plan);
			return bigSrc
				? new BigMinMaxAgg(plan, new big(64))
				: new MinMaxAgg(plan, new Float64Array(64));
		case 'count_distinct':
			return new CountDistinctAgg(plan);
	}
}
