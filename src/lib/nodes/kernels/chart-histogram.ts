// The chart sink's histogram: `bins` equal-width bins over [min, max] of one numeric column, in
// one pass with bounded memory.
//
// The first EXACT_VALUES finite values are kept as they come, so up to that many the bins are
// exact. Past it the kept values become a uniform random sample of every value seen (reservoir
// sampling, Algorithm R, with a fixed-seed generator so a run is repeatable), while min, max and
// the count stay exact; the sample's bin counts are then scaled to the count (largest
// remainders), so the counts still sum to the number of binned values. Non-finite values (NaN,
// ±Infinity) and nulls are not binned. Binning rule: bin k = floor((x - min) / width), the max
// going to the last bin; all values in bin 0 when min = max.

export const EXACT_VALUES = 1 << 20;

export interface HistogramBins {
	/** Lower edges of the bins. */
	edges: number[];
	counts: number[];
	width: number;
	/** Whether the counts were scaled from a sample (more than EXACT_VALUES values). */
	sampled: boolean;
}

/** Equal-width bin counts of `values[0..n)` over [min, max] (the reference binning rule). */
export function binCounts(
	values: ArrayLike<number>,
	n: number,
	min: number,
	max: number,
	bins: number
): number[] {
	const counts = new Array<number>(bins).fill(0);
	const width = (max - min) / bins;
	for (let i = 0; i < n; i++) {
		const k = width > 0 ? Math.floor((values[i] - min) / width) : 0;
		counts[Math.min(bins - 1, k)]++;
	}
	return counts;
}

export class ChartHistogram {
	private values = new Float64Array(1024);
	private kept = 0;
	/** Finite values seen. */
	private seen = 0;
	private min = Infinity;
	private max = -Infinity;
	private state = 0x2545f491;

	constructor(private readonly bins: number) {}

	add(x: number): void {
		if (x - x !== 0) return;
		if (x < this.min) this.min = x;
		if (x > this.max) this.max = x;
		this.seen++;
		if (this.kept < EXACT_VALUES) {
			if (this.kept === this.values.length) {
				const grown = new Float64Array(Math.min(EXACT_VALUES, this.kept * 2));
				grown.set(this.values);
				this.values = grown;
			}
			this.values[this.kept++] = x;
			return;
		}
		const j = Math.floor(this.random() * this.seen);
		if (j < EXACT_VALUES) this.values[j] = x;
	}

	/** xorshift32 in [0, 1). */
	private random(): number {
		let s = this.state;
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		this.state = s >>> 0;
		return this.state / 4294967296;
	}

	result(): HistogramBins | null {
		if (this.seen === 0) return null;
		const { min, max, bins } = this;
		const width = (max - min) / bins;
		const edges = Array.from({ length: bins }, (_, k) => min + k * width);
		let counts = binCounts(this.values, this.kept, min, max, bins);
		const sampled = this.seen > this.kept;
		if (sampled) counts = scaleTo(counts, this.kept, this.seen);
		return { edges, counts, width, sampled };
	}
}

/** Counts out of `from` scaled to sum to exactly `to` (largest remainders). */
function scaleTo(counts: number[], from: number, to: number): number[] {
	const exact = counts.map((c) => (c * to) / from);
	const out = exact.map(Math.floor);
	let left = to - out.reduce((a, b) => a + b, 0);
	const order = exact.map((e, k) => k).sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]));
	for (const k of order) {
		if (left-- <= 0) break;
		out[k]++;
	}
	return out;
}
