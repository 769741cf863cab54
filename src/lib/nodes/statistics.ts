// Sink: a profile of every column in one pass — count, nulls, min, max, mean, distinct values,
// a histogram of numbers and the top values of strings. Bounded memory whatever the row count
// (sketches: see kernels/stats-sketch.ts and kernels/stats-histogram.ts for their accuracy).
import * as v from 'valibot';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { ColumnStats, type ColumnStatistics } from './kernels/stats-column';
import type { NodeDefinition } from './types';

export type { ColumnStatistics } from './kernels/stats-column';
export type { Histogram } from './kernels/stats-histogram';

const params = v.object({});
type Params = v.InferOutput<typeof params>;

export interface StatisticsResult {
	kind: 'statistics';
	/** Rows seen. */
	rows: number;
	columns: ColumnStatistics[];
}

function statisticsKernel({ inputSchemas }: KernelSetup): Kernel {
	const schema = inputSchemas[0];
	const columns = schema.names.map((name, i) => new ColumnStats(name, schema.types[i]));
	let rows = 0;
	return {
		consume(input) {
			const { view, selection, count } = input;
			for (let c = 0; c < columns.length; c++) columns[c].add(view.columns[c], selection, count);
			rows += count;
			return 'more';
		},
		result: (): StatisticsResult => ({
			kind: 'statistics',
			rows,
			columns: columns.map((c) => c.result())
		})
	};
}

export const statistics: NodeDefinition<Params> = {
	kind: 'statistics',
	title: 'Statistics',
	category: 'sink',
	description:
		'Profile every column: count, nulls, min, max, mean, distinct values, histograms and top values.',
	inputs: [{ name: 'in' }],
	outputs: [],
	params,
	defaults: {},
	fields: [],
	traits: { stateless: false, blocking: false, partitionable: false },
	summary: () => 'column profile',
	inferSchema: () => ({ ok: true, outputs: [] }),
	kernel: statisticsKernel,
	acceptsSelection: true
};
