// One line of a benchmark's result; see scripts/bench.mjs.
export interface BenchRow {
	case: string;
	metric: string;
	unit: string;
	ours: number;
	baseline: number;
	baselineName: string;
	/** > 1 means ours is better, whatever the unit. */
	ratio: number;
	higherIsBetter: boolean;
}

export function row(r: Omit<BenchRow, 'ratio'>): BenchRow {
	const ratio = r.higherIsBetter ? r.ours / r.baseline : r.baseline / r.ours;
	return { ...r, ratio };
}
