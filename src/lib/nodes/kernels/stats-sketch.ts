// Sketches behind the statistics sink: value hashing, a distinct counter and a top-values
// counter. One sink stage owns them (single thread); nothing here allocates per value except
// where noted.
//
// Hash: every value becomes a 53-bit key (two 32-bit mixes: 21 bits of one and all 32 of the
// other), so it fits a JS number exactly and keys a Set or Map. Numbers hash their float64 bits
// (0 and -0 alike); strings hash their UTF-8 bytes (two FNV-1a streams, each finished with the
// murmur3 fmix), read straight from the column without decoding.
//
// Distinct count: exact (a Set of keys) up to EXACT_DISTINCT keys, then a HyperLogLog of 2^14
// registers seeded with those keys, read with Ertl's estimator: standard error 1.04 / sqrt(16384) ≈ 0.8 % (so within
// ±2.5 % about 99.7 % of the time). "Exact" means exact up to a 53-bit key collision
// (probability about n² / 2^54: 5e-9 for 10,000 values).
//
// Top values: Misra–Gries with TOP_CAPACITY counters. While a column has at most TOP_CAPACITY
// distinct values the counts are exact; past that, each count may be low by at most
// rows / (TOP_CAPACITY + 1) (the exact bound is reported as `topError`), and any value more frequent than that
// bound is guaranteed to be kept.
import type { ColumnView } from '../../runtime/contracts';

export const EXACT_DISTINCT = 10_000;
export const TOP_CAPACITY = 10_000;
const HLL_BITS = 14;
const HLL_REGISTERS = 1 << HLL_BITS;
/** Hash bits a register's rank is counted in: ranks run 1..RANK_BITS + 1. */
const RANK_BITS = 32;
const TWO_32 = 4294967296;

function fmix(h: number): number {
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** 53-bit key of a number (its float64 bits, -0 as 0). */
export function numberKey(x: number): number {
	f64[0] = x === 0 ? 0 : x;
	const lo = u32[0];
	const hi = u32[1];
	const a = fmix(lo ^ fmix(hi ^ 0x9e3779b9));
	const b = fmix(hi ^ fmix(lo ^ 0x7f4a7c15) ^ 0x5bd1e995);
	return (b >>> 11) * TWO_32 + a;
}

/** 53-bit key of the UTF-8 bytes bytes[start, end). */
export function bytesKey(bytes: Uint8Array, start: number, end: number): number {
	let a = 0x811c9dc5;
	let b = 0x050c5d1f;
	for (let i = start; i < end; i++) {
		const c = bytes[i];
		a = Math.imul(a ^ c, 0x01000193);
		b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
	}
	a = fmix(a ^ (end - start));
	b = fmix(b ^ Math.imul(end - start, 0x9e3779b1));
	return (b >>> 11) * TWO_32 + a;
}

function sigma(x: number): number {
	if (x === 1) return Infinity;
	let y = 1;
	let z = x;
	for (;;) {
		x *= x;
		const before = z;
		z += x * y;
		y += y;
		if (z === before) return z;
	}
}

function tau(x: number): number {
	if (x === 0 || x === 1) return 0;
	let y = 1;
	let z = 1 - x;
	for (;;) {
		x = Math.sqrt(x);
		const before = z;
		y *= 0.5;
		z -= (1 - x) ** 2 * y;
		if (z === before) return z / 3;
	}
}

/** Distinct values: an exact key set, then a HyperLogLog (see the file header). */
export class DistinctCounter {
	private exact: Set<number> | null = new Set();
	private registers: Uint8Array | null = null;

	add(key: number): void {
		const exact = this.exact;
		if (exact !== null) {
			exact.add(key);
			if (exact.size > EXACT_DISTINCT) this.toSketch();
			return;
		}
		this.addToSketch(key);
	}

	get isExact(): boolean {
		return this.exact !== null;
	}

	estimate(): number {
		if (this.exact !== null) return this.exact.size;
		// Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog
		// sketches", 2017): unbiased from empty to full registers, no range corrections.
		const m = HLL_REGISTERS;
		const histogram = new Float64Array(RANK_BITS + 2);
		for (const rank of this.registers!) histogram[rank]++;
		let z = m * tau(1 - histogram[RANK_BITS + 1] / m);
		for (let k = RANK_BITS; k >= 1; k--) z = 0.5 * (z + histogram[k]);
		z += m * sigma(histogram[0] / m);
		return Math.round((m * m) / (2 * Math.LN2 * z));
	}

	private toSketch(): void {
		this.registers = new Uint8Array(HLL_REGISTERS);
		for (const key of this.exact!) this.addToSketch(key);
		this.exact = null;
	}

	private addToSketch(key: number): void {
		const high = Math.floor(key / TWO_32); // 21 bits
		const low = key - high * TWO_32; // 32 bits
		const index = high >>> (21 - HLL_BITS);
		const rank = Math.clz32(low) + 1;
		if (rank > this.registers![index]) this.registers![index] = rank;
	}
}

interface Counter<V> {
	value: V;
	count: number;
}

/** Frequent values by key (Misra–Gries; see the file header). */
export class TopCounter<V> {
	private readonly counters = new Map<number, Counter<V>>();
	private decrements = 0;

	/** `decode(col, row)` makes the reported value; called once per newly kept key. */
	constructor(private readonly decode: (col: ColumnView, row: number) => V) {}

	/** Counts one occurrence of row `row` of `col`, whose key is `key`. */
	add(key: number, col: ColumnView, row: number): void {
		const counter = this.counters.get(key);
		if (counter !== undefined) {
			counter.count++;
			return;
		}
		if (this.counters.size < TOP_CAPACITY) {
			this.counters.set(key, { value: this.decode(col, row), count: 1 });
			return;
		}
		// Full: this occurrence and one of every kept value cancel out.
		this.decrements++;
		for (const [k, c] of this.counters) if (--c.count === 0) this.counters.delete(k);
	}

	/** Most frequent `n` values, count descending (ties: first seen first). */
	top(n: number): { value: V; count: number }[] {
		return [...this.counters.values()]
			.sort((a, b) => b.count - a.count)
			.slice(0, n)
			.map(({ value, count }) => ({ value, count }));
	}

	/** Most any reported count may be below the true count: the decrement rounds, at most
	 * rows / (TOP_CAPACITY + 1); 0 while exact. */
	get maxError(): number {
		return this.decrements;
	}
}
