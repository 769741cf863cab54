// A set of byte positions kept as a sorted list of disjoint [start, end) ranges: the bytes a
// Parquet source fetched (hyparquet's footer prefetch and the column chunks may overlap, so
// counting each fetch would count some bytes twice), and an instance's share of a split file.
// One thread (the source's kernel); a range list stays short (about one range per row group).

export class ByteRanges {
	private readonly starts: number[] = [];
	private readonly ends: number[] = [];
	/** Bytes covered by the union. */
	total = 0;

	add(start: number, end: number): void {
		if (!(end > start)) return;
		let i = 0;
		while (i < this.ends.length && this.ends[i] < start) i++;
		// Merge every range from i that touches [start, end).
		let j = i;
		while (j < this.starts.length && this.starts[j] <= end) {
			start = Math.min(start, this.starts[j]);
			end = Math.max(end, this.ends[j]);
			this.total -= this.ends[j] - this.starts[j];
			j++;
		}
		this.starts.splice(i, j - i, start);
		this.ends.splice(i, j - i, end);
		this.total += end - start;
	}

	/** The bytes of [0, size) this set does not hold. */
	complement(size: number): ByteRanges {
		const out = new ByteRanges();
		let at = 0;
		for (let i = 0; i < this.starts.length && at < size; i++) {
			out.add(at, Math.min(this.starts[i], size));
			at = Math.max(at, this.ends[i]);
		}
		out.add(at, size);
		return out;
	}

	/** Bytes held by both this set and `other`. */
	overlap(other: ByteRanges): number {
		let n = 0;
		let j = 0;
		for (let i = 0; i < this.starts.length; i++) {
			while (j < other.ends.length && other.ends[j] <= this.starts[i]) j++;
			for (let k = j; k < other.starts.length && other.starts[k] < this.ends[i]; k++)
				n += Math.min(this.ends[i], other.ends[k]) - Math.max(this.starts[i], other.starts[k]);
		}
		return n;
	}
}
