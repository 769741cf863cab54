// The page's side of the metrics: samples a MetricsBlock a few times a second, turns each
// window into rates (computeRates) and keeps the last HISTORY_MS of them for sparklines.
// Runs on the main thread and never blocks: a snapshot is plain reads of shared memory.
// Allocates one Rates object per sample (kept in the history); the two snapshots it diffs
// are reused.

import type { MetricsBlock } from './block';
import type { MetricsSnapshot } from './counters';
import {
	computeRates,
	type EdgeRates,
	type Rates,
	type StageRates,
	type Topology,
	type WorkerRates
} from './rates';

export {
	BACKPRESSURE_LOW_MAX,
	BACKPRESSURE_OK_MAX,
	backpressureLevel,
	computeRates,
	type BackpressureLevel,
	type EdgeRates,
	type Rates,
	type StageRates,
	type Topology,
	type WorkerRates
} from './rates';
export {
	BOTTLENECK_BUSY_MIN,
	SOURCE_STARVES_MIN,
	explainBottleneck,
	findBottleneck,
	type Bottleneck
} from './bottleneck';

/** How far back `history` reaches. */
export const HISTORY_MS = 60_000;
/** Samples kept at most, whatever the sampling rate (60 s at 20 Hz). */
export const HISTORY_MAX_SAMPLES = 1200;

/** One point of a sparkline: `t` is the sample's `Rates.t` (ns, the sampling thread's clock). */
export interface HistoryPoint<T> {
	t: number;
	value: T;
}

export class Sampler {
	private prev: MetricsSnapshot | null = null;
	private spare: MetricsSnapshot | undefined;
	/** Oldest first; `first` skips entries already dropped, compacted now and then. */
	private samples: Rates[] = [];
	private first = 0;

	/** `readOccupancy` returns current ring sizes by edge index (from the rings themselves).
	 * `block` is a MetricsBlock, or anything that takes snapshots the same way. */
	constructor(
		private readonly block: Pick<MetricsBlock, 'snapshot'>,
		private readonly topology: Topology,
		private readonly readOccupancy?: () => number[]
	) {}

	/**
	 * Rates since the previous call. Null on the first call, and whenever the clock has not
	 * advanced since the previous call (nothing to divide by); such a call does not start a
	 * new window.
	 */
	sample(): Rates | null {
		const cur = this.block.snapshot(this.spare);
		const prev = this.prev;
		if (prev && !(cur.t > prev.t)) {
			this.spare = cur;
			return null;
		}
		this.prev = cur;
		this.spare = prev ?? undefined;
		if (!prev) return null;
		const rates = computeRates(prev, cur, this.topology, this.readOccupancy?.());
		this.remember(rates);
		return rates;
	}

	/** The rates of the last sample, or null before the second call of `sample`. */
	latest(): Rates | null {
		return this.samples.length > this.first ? this.samples[this.samples.length - 1] : null;
	}

	/** The last `n` samples (all of the last HISTORY_MS by default) of one edge, stage or worker,
	 * oldest first. Empty for an index the block does not have. */
	history(kind: 'edge', index: number, n?: number): HistoryPoint<EdgeRates>[];
	history(kind: 'stage', index: number, n?: number): HistoryPoint<StageRates>[];
	history(kind: 'worker', index: number, n?: number): HistoryPoint<WorkerRates>[];
	history(
		kind: 'edge' | 'stage' | 'worker',
		index: number,
		n = Infinity
	): HistoryPoint<EdgeRates | StageRates | WorkerRates>[] {
		const from = Math.max(this.first, this.samples.length - Math.max(0, n));
		const out: HistoryPoint<EdgeRates | StageRates | WorkerRates>[] = [];
		for (let i = from; i < this.samples.length; i++) {
			const r = this.samples[i];
			const list = kind === 'edge' ? r.edges : kind === 'stage' ? r.stages : r.workers;
			const value = list[index];
			if (value) out.push({ t: r.t, value });
		}
		return out;
	}

	/** Forgets the history and the previous snapshot: the next `sample` returns null. */
	reset(): void {
		this.prev = null;
		this.samples = [];
		this.first = 0;
	}

	private remember(rates: Rates): void {
		this.samples.push(rates);
		const oldest = rates.t - HISTORY_MS * 1e6;
		while (this.first < this.samples.length && this.samples[this.first].t < oldest) this.first++;
		this.first = Math.max(this.first, this.samples.length - HISTORY_MAX_SAMPLES);
		// Compact once the dropped prefix is as long as what is kept: amortised O(1) per sample.
		if (this.first > 0 && this.first >= this.samples.length - this.first) {
			this.samples = this.samples.slice(this.first);
			this.first = 0;
		}
	}
}
