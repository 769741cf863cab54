// A histogram of a numeric column in one pass, reported as HISTOGRAM_BINS equal-width bins over
// [min, max] of the whole column (which is only known at the end).
//
// Streaming approach: FINE_BINS fine bins of width w, a power of two, on the global grid of
// multiples of w. When a batch brings values outside the covered range, w grows to the smallest
// power of two (at least the old one) that covers [min, max] in FINE_BINS bins, and the old
// bins are re-binned: each old bin lies wholly inside one new bin (power-of-two widths on a
// common grid), so this loses nothing. So a fine bin is always narrower than
// 2 (max - min) / (FINE_BINS - 2), about 1/500 of the range.
//
// At the end each fine bin's count goes to the output bin holding the fine bin's centre, so
// counts sum to exactly the number of binned values, and a value can only be counted in a
// neighbouring output bin when it lies within one fine bin (~range/500) of that bin's edge.
// Non-finite values (NaN, ±Infinity) are not binned. Scratch: the fine bins, two Float64Arrays.

export const HISTOGRAM_BINS = 20;
export const FINE_BINS = 1024;
/** Smallest fine-bin width: keeps x / w finite for any finite float. */
const MIN_WIDTH = 2 ** -1000;

export interface Histogram {
	/** Lower edge of the first bin (the column's min). */
	min: number;
	/** Upper edge of the last bin (the column's max); all bins are (max - min) / bins wide. */
	max: number;
	counts: number[];
}

/** Smallest power of two >= x (x > 0), at least MIN_WIDTH. */
function powerOfTwoAtLeast(x: number): number {
	if (!(x > MIN_WIDTH)) return MIN_WIDTH;
	let p = 2 ** Math.ceil(Math.log2(x));
	while (p < x) p *= 2;
	while (p / 2 >= x) p /= 2;
	return p;
}

export class StreamingHistogram {
	private bins = new Float64Array(FINE_BINS);
	private spare = new Float64Array(FINE_BINS);
	private width = 0;
	/** Index on the global grid of fine bin 0: it covers [base * width, (base + 1) * width). */
	private base = 0;
	private lo = Infinity;
	private hi = -Infinity;

	/** Makes the fine bins cover [lo, hi] (finite, lo <= hi); call before adding values there. */
	cover(lo: number, hi: number): void {
		const newLo = Math.min(lo, this.lo);
		const newHi = Math.max(hi, this.hi);
		this.lo = newLo;
		this.hi = newHi;
		const w = this.width;
		if (
			w > 0 &&
			Math.floor(newLo / w) >= this.base &&
			Math.floor(newHi / w) < this.base + FINE_BINS
		)
			return;
		let width = Math.max(
			w,
			powerOfTwoAtLeast((newHi - newLo) / (FINE_BINS - 2)),
			// Keeps the grid index of any value in range well inside 2^53.
			powerOfTwoAtLeast(Math.max(Math.abs(newLo), Math.abs(newHi)) * 2 ** -50)
		);
		while (Math.floor(newHi / width) - Math.floor(newLo / width) >= FINE_BINS) width *= 2;
		const used = Math.floor(newHi / width) - Math.floor(newLo / width) + 1;
		// Centre the covered range so later values a little outside it need no re-bin.
		const base = Math.floor(newLo / width) - Math.floor((FINE_BINS - used) / 2);
		if (w > 0) this.rebin(width, base);
		this.width = width;
		this.base = base;
	}

	/** Counts x, which must lie in a range passed to `cover`. */
	add(x: number): void {
		this.bins[Math.floor(x / this.width) - this.base]++;
	}

	private rebin(width: number, base: number): void {
		const from = this.bins;
		const to = this.spare;
		to.fill(0);
		const ratio = width / this.width;
		for (let i = 0; i < FINE_BINS; i++) {
			if (from[i] === 0) continue;
			to[Math.floor((this.base + i) / ratio) - base] += from[i];
		}
		this.spare = from;
		this.bins = to;
	}

	/** HISTOGRAM_BINS bins over [min, max] (the extremes of the values added); null if none. */
	result(min: number, max: number): Histogram | null {
		if (this.width === 0) return null;
		const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
		const binWidth = (max - min) / HISTOGRAM_BINS;
		for (let i = 0; i < FINE_BINS; i++) {
			const c = this.bins[i];
			if (c === 0) continue;
			const centre = Math.min(max, Math.max(min, (this.base + i + 0.5) * this.width));
			const k = binWidth > 0 ? Math.floor((centre - min) / binWidth) : 0;
			counts[Math.min(HISTOGRAM_BINS - 1, k)] += c;
		}
		return { min, max, counts };
	}
}
