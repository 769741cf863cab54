// Statistics of one column, accumulated batch by batch over the live rows (a selection or all).
// Numbers (every integer and float type, date32 as days, timestamp as ms since the epoch):
// count, nulls, min, max, mean, distinct, histogram. Strings: count, nulls, distinct, top
// values. Bools: count, nulls, distinct, true/false counts as top values. int64, uint64 and
// timestamps are read as JS numbers (exact up to 2^53), from their two 32-bit halves.
// Sketch accuracy: see stats-sketch.ts (distinct, top values) and stats-histogram.ts.
import type { ColumnType, ColumnView } from '../../runtime/contracts';
import { stringAt } from '../../runtime/batch/values';
import { StreamingHistogram, type Histogram } from './stats-histogram';
import { bytesKey, DistinctCounter, numberKey, TopCounter } from './stats-sketch';

/** Top values reported per string or bool column. */
export const TOP_VALUES = 10;

export interface ColumnStatistics {
	name: string;
	type: ColumnType;
	/** Non-null values. */
	count: number;
	nulls: number;
	/** NaN and ±Infinity among the values (floats); left out of min, max, mean and histogram. */
	nonFinite: number;
	/** Numbers only (null for strings, bools, or no finite value). */
	min: number | null;
	max: number | null;
	mean: number | null;
	/** Distinct non-null values: exact when `distinctExact`, else a HyperLogLog estimate. */
	distinct: number;
	distinctExact: boolean;
	/** Numbers: 20 equal-width bins over [min, max]. */
	histogram: Histogram | null;
	/** Strings and bools: the most frequent values, count descending. */
	top: { value: string | boolean; count: number }[] | null;
	/** Most any `top` count may be below the truth (0: exact). */
	topError: number;
}

const TWO_32 = 4294967296;

function decodeString(col: ColumnView, row: number): string {
	return stringAt(col, row) ?? '';
}

export class ColumnStats {
	private count = 0;
	private nulls = 0;
	private nonFinite = 0;
	private min = Infinity;
	private max = -Infinity;
	/** Neumaier-compensated sum of the finite values. */
	private sum = 0;
	private compensation = 0;
	private trues = 0;
	private readonly distinct = new DistinctCounter();
	private readonly histogram: StreamingHistogram | null;
	private readonly top: TopCounter<string> | null;

	constructor(
		readonly name: string,
		readonly type: ColumnType
	) {
		const numeric = type !== 'utf8' && type !== 'bool';
		this.histogram = numeric ? new StreamingHistogram() : null;
		this.top = type === 'utf8' ? new TopCounter(decodeString) : null;
	}

	/** Adds the live rows of `col`: `selection[0..count)`, or rows 0..count-1 when null. */
	add(col: ColumnView, selection: Uint32Array | null, count: number): void {
		if (this.type === 'utf8') this.addStrings(col, selection, count);
		else if (this.type === 'bool') this.addBools(col, selection, count);
		else this.addNumbers(col, selection, count);
	}

	private addNumbers(col: ColumnView, selection: Uint32Array | null, count: number): void {
		const validity = col.nullCount > 0 ? col.validity : null;
		const type = this.type;
		const wide = type === 'int64' || type === 'uint64' || type === 'timestamp';
		const values = col.values as unknown as ArrayLike<number>;
		const words = wide
			? new Uint32Array(col.values.buffer, col.values.byteOffset, col.length * 2)
			: null;
		const signed = type !== 'uint64';
		const read = (r: number): number =>
			words === null
				? values[r]
				: (signed ? words[2 * r + 1] | 0 : words[2 * r + 1]) * TWO_32 + words[2 * r];
		let lo = Infinity;
		let hi = -Infinity;
		let sum = this.sum;
		let comp = this.compensation;
		for (let i = 0; i < count; i++) {
			const r = selection === null ? i : selection[i];
			if (validity !== null && (validity[r >>> 3] & (1 << (r & 7))) === 0) {
				this.nulls++;
				continue;
			}
			const x = read(r);
			this.count++;
			this.distinct.add(numberKey(x));
			if (x - x !== 0) {
				this.nonFinite++;
				continue;
			}
			if (x < lo) lo = x;
			if (x > hi) hi = x;
			const t = sum + x;
			comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
			sum = t;
		}
		this.sum = sum;
		this.compensation = comp;
		if (lo > hi) return;
		if (lo < this.min) this.min = lo;
		if (hi > this.max) this.max = hi;
		// Second pass: the histogram's range now covers this batch, so no value re-bins.
		const histogram = this.histogram!;
		histogram.cover(lo, hi);
		for (let i = 0; i < count; i++) {
			const r = selection === null ? i : selection[i];
			if (validity !== null && (validity[r >>> 3] & (1 << (r & 7))) === 0) continue;
			const x = read(r);
			if (x - x === 0) histogram.add(x);
		}
	}

	private addBools(col: ColumnView, selection: Uint32Array | null, count: number): void {
		const validity = col.nullCount > 0 ? col.validity : null;
		const bits = col.values as Uint8Array;
		for (let i = 0; i < count; i++) {
			const r = selection === null ? i : selection[i];
			if (validity !== null && (validity[r >>> 3] & (1 << (r & 7))) === 0) {
				this.nulls++;
				continue;
			}
			this.count++;
			this.trues += (bits[r >>> 3] >>> (r & 7)) & 1;
		}
	}

	private addStrings(col: ColumnView, selection: Uint32Array | null, count: number): void {
		const validity = col.nullCount > 0 ? col.validity : null;
		const offsets = col.offsets!;
		const bytes = col.values as Uint8Array;
		const top = this.top!;
		for (let i = 0; i < count; i++) {
			const r = selection === null ? i : selection[i];
			if (validity !== null && (validity[r >>> 3] & (1 << (r & 7))) === 0) {
				this.nulls++;
				continue;
			}
			this.count++;
			const key = bytesKey(bytes, offsets[r], offsets[r + 1]);
			this.distinct.add(key);
			top.add(key, col, r);
		}
	}

	result(): ColumnStatistics {
		const base = {
			name: this.name,
			type: this.type,
			count: this.count,
			nulls: this.nulls,
			nonFinite: this.nonFinite
		};
		if (this.type === 'bool') {
			const falses = this.count - this.trues;
			const top = [
				{ value: true, count: this.trues },
				{ value: false, count: falses }
			]
				.filter((t) => t.count > 0)
				.sort((a, b) => b.count - a.count);
			return {
				...base,
				min: null,
				max: null,
				mean: null,
				distinct: top.length,
				distinctExact: true,
				histogram: null,
				top,
				topError: 0
			};
		}
		const finite = this.count - this.nonFinite;
		const numeric = this.histogram !== null && finite > 0;
		return {
			...base,
			min: numeric ? this.min : null,
			max: numeric ? this.max : null,
			mean: numeric ? (this.sum + this.compensation) / finite : null,
			distinct: this.distinct.estimate(),
			distinctExact: this.distinct.isExact,
			histogram: numeric ? this.histogram!.result(this.min, this.max) : null,
			top: this.top ? this.top.top(TOP_VALUES) : null,
			topError: this.top ? this.top.maxError : 0
		};
	}
}
