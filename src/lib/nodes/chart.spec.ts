import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { chart, type ChartResult } from './chart';
import { binCounts, ChartHistogram, EXACT_VALUES } from './kernels/chart-histogram';
import { collected, columnValues, line, pipeline, results } from './pipeline-fixtures.spec-support';

const SEED = 515151;
const ROWS = 20_000;

const GENERATOR = {
	id: 'gen',
	kind: 'generator',
	params: {
		rows: ROWS,
		seed: SEED,
		columns: [
			{ name: 'id', type: 'int' },
			{ name: 'key', type: 'int', cardinality: 40 },
			{ name: 'value', type: 'float', min: -50, max: 150, nulls: 0.1 },
			{ name: 'tag', type: 'string', cardinality: 12, nulls: 0.2 },
			{ name: 'at', type: 'timestamp' }
		]
	}
};

const CHARTS: Record<string, Record<string, unknown>> = {
	hist: { type: 'histogram', y: 'value', bins: 17 },
	histId: { type: 'histogram', y: 'id' },
	bar: { type: 'bar', x: 'tag', y: 'value' },
	line: { type: 'line', x: 'at', y: 'value', limit: 500 },
	scatter: { type: 'scatter', x: 'key', y: 'value' }
};

type Row = Record<string, unknown>;

/** Reference histogram: counts of the present values with the documented binning rule. */
function histogramOf(values: number[], bins: number) {
	const min = Math.min(...values);
	const max = Math.max(...values);
	return { min, counts: binCounts(values, values.length, min, max, bins) };
}

/** Reference points: the first `limit` rows with x and y present, stably sorted by x. */
function pointsOf(rows: Row[], x: string, y: string, limit: number) {
	const kept = rows.filter((r) => r[x] !== null && r[y] !== null);
	const points = kept.slice(0, limit).map((r) => [r[x] as number, r[y] as number]);
	points.sort((a, b) => a[0] - b[0]);
	return {
		x: points.map((p) => p[0]),
		y: points.map((p) => p[1]),
		dropped: kept.length - points.length
	};
}

describe('the chart sink', () => {
	let pool: WorkerPool;
	let out: Map<string, unknown>;
	let rows: Row[];
	beforeAll(async () => {
		pool = createNodeWorkerPool(2);
		const doc = pipeline(
			[
				GENERATOR,
				...Object.entries(CHARTS).map(([id, params]) => ({ id, kind: 'chart', params })),
				{ id: 'all', kind: 'collect' }
			],
			[...Object.keys(CHARTS).map((id): [string, string] => ['gen', id]), ['gen', 'all']]
		);
		out = await results(doc, pool, { batchRows: 3000 });
		const table = collected(out.get('all'));
		const columns = table.schema.names.map((n) => [n, columnValues(table, n)] as const);
		rows = Array.from({ length: table.numRows }, (_, i) =>
			Object.fromEntries(columns.map(([n, values]) => [n, values[i]]))
		);
	}, 20_000);
	afterAll(async () => pool.shutdown());

	const chartOf = (id: string) => out.get(id) as ChartResult;

	it('bins a histogram exactly like a JS reference, its counts summing to the present values', () => {
		const values = rows.map((r) => r.value).filter((v): v is number => v !== null);
		const ref = histogramOf(values, 17);
		const got = chartOf('hist');
		expect(got.kind).toBe('chart');
		expect(got.total, `seed ${SEED}`).toBe(ROWS);
		expect(got.y, `seed ${SEED}`).toEqual(ref.counts);
		expect(got.x[0]).toBe(ref.min);
		expect(got.x).toHaveLength(17);
		expect(got.y.reduce((a, b) => a + b, 0)).toBe(values.length);
		expect(got.xLabel).toBe('value');
	});

	it('counts every row in the histogram of a column without nulls', () => {
		const got = chartOf('histId');
		expect(got.y).toHaveLength(30);
		expect(got.y.reduce((a, b) => a + b, 0)).toBe(ROWS);
		expect(got.y).toEqual(
			histogramOf(
				rows.map((r) => r.id as number),
				30
			).counts
		);
	});

	it('sums y per bar category in first-seen order', () => {
		const sums = new Map<string, number>();
		for (const r of rows) {
			if (r.tag === null || r.value === null) continue;
			sums.set(r.tag as string, (sums.get(r.tag as string) ?? 0) + (r.value as number));
		}
		const got = chartOf('bar');
		expect(got.x, `seed ${SEED}`).toEqual([...sums.keys()]);
		expect(got.y, `seed ${SEED}`).toEqual([...sums.values()]);
		expect(got.dropped).toBe(0);
	});

	it('keeps the first limit points of a line over a timestamp, sorted by time', () => {
		const ref = pointsOf(rows, 'at', 'value', 500);
		const got = chartOf('line');
		expect(got.xTime).toBe(true);
		expect(got.x, `seed ${SEED}`).toEqual(ref.x);
		expect(got.y, `seed ${SEED}`).toEqual(ref.y);
		expect(got.dropped).toBe(ref.dropped);
	});

	it('plots every point of a scatter under its limit, sorted by x', () => {
		const ref = pointsOf(rows, 'key', 'value', 5000);
		const got = chartOf('scatter');
		expect(got.xTime).toBe(false);
		expect(got.x, `seed ${SEED}`).toEqual(ref.x);
		expect(got.y, `seed ${SEED}`).toEqual(ref.y);
		expect(got.dropped).toBe(ref.dropped);
	});

	it('charts only the rows a fused filter kept', async () => {
		const doc = line(
			GENERATOR,
			{ id: 'keep', kind: 'filter', params: { expression: 'value > 100' } },
			{ id: 'out', kind: 'chart', params: { type: 'histogram', y: 'value', bins: 10 } }
		);
		const got = (await results(doc, pool)).get('out') as ChartResult;
		const kept = rows
			.map((r) => r.value)
			.filter((v): v is number => typeof v === 'number' && v > 100);
		expect(got.total).toBe(kept.length);
		expect(got.y).toEqual(histogramOf(kept, 10).counts);
	});
});

describe('chart params', () => {
	const schema = {
		names: ['n', 's', 'd'],
		types: ['float64', 'utf8', 'date32'] as const
	};
	const infer = (params: Record<string, unknown>) =>
		chart.inferSchema(
			[{ names: schema.names, types: [...schema.types] }],
			{ ...chart.defaults, ...params },
			{ datasetSchema: () => undefined }
		);

	it('names the param of a missing, unknown or mistyped column', () => {
		const problems = (p: Record<string, unknown>) => {
			const r = infer(p);
			return r.ok ? [] : r.problems.map((q) => `${q.param}: ${q.message}`);
		};
		expect(problems({ type: 'histogram', y: 's' })).toEqual([
			"y: y must be a numeric column; 's' is utf8"
		]);
		expect(problems({ type: 'scatter', x: 's', y: 'n' })).toEqual([
			"x: x of a scatter chart must be numeric, a date or a timestamp; 's' is utf8"
		]);
		expect(problems({ type: 'line', x: 'nope', y: '' })).toEqual([
			'y: choose the y column',
			"x: unknown column 'nope'"
		]);
	});

	it('accepts text categories for bars and dates on a line', () => {
		expect(infer({ type: 'bar', x: 's', y: 'n' }).ok).toBe(true);
		expect(infer({ type: 'line', x: 'd', y: 'n' }).ok).toBe(true);
	});
});

describe('the chart histogram past its exact capacity', () => {
	it('keeps exact extremes and counts that sum to every value, close to the true shape', () => {
		const prng = mulberry32(SEED);
		const n = EXACT_VALUES + 200_000;
		const values = new Float64Array(n);
		for (let i = 0; i < n; i++) values[i] = prng.next() < 0.3 ? prng.next() : 1 + 3 * prng.next();
		const h = new ChartHistogram(8);
		for (let i = 0; i < n; i++) h.add(values[i]);
		h.add(NaN);
		const got = h.result()!;
		expect(got.sampled).toBe(true);
		let min = Infinity;
		let max = -Infinity;
		for (const x of values) {
			min = Math.min(min, x);
			max = Math.max(max, x);
		}
		expect(got.edges[0]).toBe(min);
		expect(got.width).toBe((max - min) / 8);
		expect(got.counts.reduce((a, b) => a + b, 0)).toBe(n);
		const truth = binCounts(values, n, min, max, 8);
		for (let k = 0; k < 8; k++) {
			expect(Math.abs(got.counts[k] - truth[k]), `bin ${k}, seed ${SEED}`).toBeLessThan(0.02 * n);
		}
	});
});
