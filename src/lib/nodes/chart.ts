// Sink: the data behind one chart — bar, line, scatter or histogram — for the preview panel to
// draw (ChartView.svelte). Bounded memory whatever the row count:
// - line, scatter: the first `limit` rows whose x and y are both present, sorted by x (stable);
// - bar: y summed per x category (duplicates add up), categories in first-seen order; at most
//   `limit` categories, rows of later new categories are left out (counted in `dropped`);
// - histogram: `bins` equal-width bins of y over its [min, max] (see kernels/chart-histogram.ts).
// Rows with a null x or y are not plotted; `total` counts every row the sink saw.
import * as v from 'valibot';
import type { FrameSchema } from '../runtime/batch/types';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { ChartHistogram } from './kernels/chart-histogram';
import { isPlottable, labelAt, numberAt } from './kernels/chart-read';
import { columnIndex, isNumeric } from './schema-util';
import type { NodeDefinition, NodeProblem } from './types';
import { type ColumnUse } from './used-columns';

export const CHART_TYPES = ['bar', 'line', 'scatter', 'histogram'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

const params = v.object({
	type: v.optional(v.picklist(CHART_TYPES, 'type must be bar, line, scatter or histogram'), 'bar'),
	/** Horizontal column (not used by histogram). */
	x: v.optional(v.string(), ''),
	/** Numeric column plotted (histogram: the column binned). */
	y: v.optional(v.string(), ''),
	bins: v.optional(
		v.pipe(
			v.number(),
			v.integer('bins must be a whole number'),
			v.minValue(5, 'bins must be at least 5'),
			v.maxValue(200, 'bins must be at most 200')
		),
		30
	),
	limit: v.optional(
		v.pipe(
			v.number(),
			v.integer('limit must be a whole number'),
			v.minValue(1, 'limit must be at least 1'),
			v.maxValue(1_000_000, 'limit must be at most 1,000,000')
		),
		5000
	)
});
type Params = v.InferOutput<typeof params>;

export interface ChartResult {
	kind: 'chart';
	type: ChartType;
	xLabel: string;
	yLabel: string;
	/** bar: category labels; histogram: bin lower edges; line, scatter: x values. */
	x: number[] | string[];
	/** bar: sums; histogram: counts; line, scatter: y values. */
	y: number[];
	/** Rows the sink saw. */
	total: number;
	/** x holds ms since the epoch (a date or timestamp column). */
	xTime: boolean;
	/** Histogram bin width (0 otherwise). */
	binWidth: number;
	/** Rows with values left out by `limit` (line, scatter, bar). */
	dropped: number;
	/** Histogram counts scaled from a sample (more values than kept exactly). */
	sampled: boolean;
}

function problems(schema: FrameSchema | undefined, p: Params): NodeProblem[] {
	if (!schema) return [{ message: 'connect an input' }];
	const out: NodeProblem[] = [];
	const yType = schema.types[columnIndex(schema, p.y)];
	if (p.y === '') out.push({ param: 'y', message: 'choose the y column' });
	else if (yType === undefined) out.push({ param: 'y', message: `unknown column '${p.y}'` });
	else if (!isNumeric(yType))
		out.push({ param: 'y', message: `y must be a numeric column; '${p.y}' is ${yType}` });
	if (p.type === 'histogram') return out;
	const xType = schema.types[columnIndex(schema, p.x)];
	if (p.x === '') out.push({ param: 'x', message: 'choose the x column' });
	else if (xType === undefined) out.push({ param: 'x', message: `unknown column '${p.x}'` });
	else if (p.type !== 'bar' && !isPlottable(xType))
		out.push({
			param: 'x',
			message: `x of a ${p.type} chart must be numeric, a date or a timestamp; '${p.x}' is ${xType}`
		});
	return out;
}

function chartKernel(setup: KernelSetup): Kernel {
	const p = setup.params as Params;
	const schema = setup.inputSchemas[0];
	const yCol = columnIndex(schema, p.y);
	const xCol = columnIndex(schema, p.x);
	const xType = schema.types[xCol];
	const xTime = p.type !== 'bar' && (xType === 'date32' || xType === 'timestamp');
	const histogram = p.type === 'histogram' ? new ChartHistogram(p.bins) : null;
	const xs: number[] = [];
	const ys: number[] = [];
	const categories = new Map<string, number>();
	const labels: string[] = [];
	let total = 0;
	let dropped = 0;
	return {
		consume({ view, selection, count }) {
			total += count;
			const yView = view.columns[yCol];
			const xView = view.columns[xCol];
			for (let i = 0; i < count; i++) {
				const r = selection === null ? i : selection[i];
				const y = numberAt(yView, r);
				if (y === null) continue;
				if (histogram !== null) {
					histogram.add(y);
				} else if (p.type === 'bar') {
					const label = labelAt(xView, r);
					if (label === null) continue;
					let k = categories.get(label);
					if (k === undefined) {
						if (labels.length >= p.limit) {
							dropped++;
							continue;
						}
						k = labels.push(label) - 1;
						categories.set(label, k);
						ys.push(0);
					}
					ys[k] += y;
				} else {
					const x = numberAt(xView, r);
					if (x === null) continue;
					if (xs.length >= p.limit) {
						dropped++;
						continue;
					}
					xs.push(x);
					ys.push(y);
				}
			}
			return 'more';
		},
		result(): ChartResult {
			const base = {
				kind: 'chart' as const,
				type: p.type,
				xLabel: p.type === 'histogram' ? p.y : p.x,
				yLabel: p.type === 'histogram' ? 'count' : p.y,
				total,
				xTime,
				dropped
			};
			if (histogram !== null) {
				const bins = histogram.result();
				return {
					...base,
					x: bins?.edges ?? [],
					y: bins?.counts ?? [],
					binWidth: bins?.width ?? 0,
					sampled: bins?.sampled ?? false
				};
			}
			if (p.type === 'bar') return { ...base, x: labels, y: ys, binWidth: 0, sampled: false };
			const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
			return {
				...base,
				x: order.map((i) => xs[i]),
				y: order.map((i) => ys[i]),
				binWidth: 0,
				sampled: false
			};
		}
	};
}

export const chart: NodeDefinition<Params> = {
	kind: 'chart',
	title: 'Chart',
	category: 'sink',
	description:
		'Plot a bar, line, scatter or histogram chart of the input (bars sum y per x category).',
	inputs: [{ name: 'in' }],
	outputs: [],
	params,
	defaults: { type: 'bar', x: '', y: '', bins: 30, limit: 5000 },
	fields: [
		{ name: 'type', label: 'Chart', control: 'select', options: CHART_TYPES },
		{ name: 'x', label: 'X column', control: 'column', help: 'Not used by a histogram.' },
		{ name: 'y', label: 'Y column', control: 'column', help: 'Numeric; a histogram bins it.' },
		{ name: 'bins', label: 'Bins', control: 'integer', help: 'Histogram bins, 5 to 200.' },
		{
			name: 'limit',
			label: 'Limit',
			control: 'integer',
			help: 'Most points (line, scatter) or categories (bar) kept.'
		}
	],
	traits: { stateless: false, blocking: false, partitionable: false },
	summary: (p) =>
		p.type === 'histogram'
			? `histogram of ${p.y || '?'}`
			: `${p.type}: ${p.y || '?'} by ${p.x || '?'}`,
	usedColumns: (_inputs, p): ColumnUse[] => [new Set([p.x, p.y].filter((c) => c !== ''))],
	inferSchema(inputs, p) {
		const found = problems(inputs[0], p);
		return found.length > 0 ? { ok: false, problems: found } : { ok: true, outputs: [] };
	},
	kernel: chartKernel,
	acceptsSelection: true
};
