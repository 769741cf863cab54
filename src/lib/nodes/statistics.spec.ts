import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { FINE_BINS, HISTOGRAM_BINS, StreamingHistogram } from './kernels/stats-histogram';
import { DistinctCounter, EXACT_DISTINCT, numberKey, TopCounter } from './kernels/stats-sketch';
import type { ColumnView } from '../runtime/contracts';
import { collected, columnValues, line, pipeline, results } from './pipeline-fixtures.spec-support';
import type { ColumnStatistics, Histogram, StatisticsResult } from './statistics';

const SEED = 424242;
const ROWS = 60_000;

const GENERATOR = {
	id: 'gen',
	kind: 'generator',
	params: {
		rows: ROWS,
		seed: SEED,
		columns: [
			{ name: 'id', type: 'int' },
			{ name: 'key', type: 'int', cardinality: 1000 },
			{ name: 'value', type: 'float', min: -50, max: 150, nulls: 0.1 },
			{ name: 'name', type: 'string', cardinality: 30_000 },
			{ name: 'tag', type: 'string', cardinality: 20, nulls: 0.25 },
			{ name: 'flag', type: 'bool', nulls: 0.05 },
			{ name: 'at', type: 'timestamp' }
		]
	}
};

/** Largest distance from a bin edge at which a value may be counted in the neighbouring bin. */
function fineWidth(min: number, max: number): number {
	return (2 * (max - min)) / (FINE_BINS - 2);
}

/** Checks a histogram against the values it summarises, within the documented slack. */
function expectHistogram(h: Histogram | null, values: number[], what: string): void {
	expect(h, what).not.toBeNull();
	const { min, max, counts } = h!;
	expect(counts).toHaveLength(HISTOGRAM_BINS);
	expect(
		counts.reduce((a, b) => a + b, 0),
		what
	).toBe(values.length);
	const width = (max - min) / HISTOGRAM_BINS;
	const slack = fineWidth(min, max);
	for (let k = 0; k < HISTOGRAM_BINS; k++) {
		const lo = min + k * width;
		const hi = k === HISTOGRAM_BINS - 1 ? Infinity : lo + width;
		const exact = values.filter((x) => x >= lo && x < hi).length;
		const nearEdge = values.filter(
			(x) => Math.abs(x - lo) <= slack || Math.abs(x - (lo + width)) <= slack
		).length;
		expect(Math.abs(counts[k] - exact), `${what} bin ${k}, seed ${SEED}`).toBeLessThanOrEqual(
			nearEdge
		);
	}
}

/** A JS reference for one column's values (null = null). */
function expectColumn(stats: ColumnStatistics, values: unknown[]): void {
	const what = `column ${stats.name}, seed ${SEED}`;
	const present = values.filter((v) => v !== null);
	expect(stats.count, what).toBe(present.length);
	expect(stats.nulls, what).toBe(values.length - present.length);
	const distinct = new Set(present).size;
	if (distinct <= EXACT_DISTINCT) {
		expect(stats.distinctExact, what).toBe(true);
		expect(stats.distinct, what).toBe(distinct);
	} else {
		expect(stats.distinctExact, what).toBe(false);
		expect(Math.abs(stats.distinct - distinct) / distinct, what).toBeLessThan(0.03);
	}
	if (typeof present[0] === 'number') {
		const numbers = present as number[];
		expect(stats.min, what).toBe(Math.min(...numbers));
		expect(stats.max, what).toBe(Math.max(...numbers));
		const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
		expect(Math.abs(stats.mean! - mean), what).toBeLessThanOrEqual(Math.abs(mean) * 1e-12);
		expectHistogram(stats.histogram, numbers, what);
	} else {
		expect(stats.min, what).toBeNull();
		const counts = new Map<unknown, number>();
		for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
		for (const { value, count } of stats.top!) {
			const truth = counts.get(value)!;
			expect(count, `${what} '${value}'`).toBeLessThanOrEqual(truth);
			expect(count, `${what} '${value}'`).toBeGreaterThanOrEqual(truth - stats.topError);
		}
		if (stats.topError === 0) {
			const best = [...counts.values()].sort((a, b) => b - a).slice(0, 10);
			expect(
				stats.top!.map((t) => t.count),
				what
			).toEqual(best);
		}
	}
}

describe('the statistics sink', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('matches a plain JS reference over the same generator rows', async () => {
		const doc = pipeline(
			[GENERATOR, { id: 'stats', kind: 'statistics' }, { id: 'all', kind: 'collect' }],
			[
				['gen', 'stats'],
				['gen', 'all']
			]
		);
		const out = await results(doc, pool, { batchRows: 5000 });
		const stats = out.get('stats') as StatisticsResult;
		const table = collected(out.get('all'));
		expect(stats.rows).toBe(ROWS);
		expect(stats.columns.map((c) => c.name)).toEqual(table.schema.names);
		for (const column of stats.columns) expectColumn(column, columnValues(table, column.name));
		expect(stats.columns.find((c) => c.name === 'id')!.distinctExact).toBe(false);
		expect(stats.columns.find((c) => c.name === 'tag')!.top).toHaveLength(10);
	});

	it('profiles only the rows a fused filter kept', async () => {
		const filtered = (sink: string) =>
			line(
				GENERATOR,
				{ id: 'keep', kind: 'filter', params: { expression: 'value > 100' } },
				{
					id: 'out',
					kind: sink
				}
			);
		const outcome = await results(filtered('statistics'), pool);
		const stats = outcome.get('out') as StatisticsResult;
		const table = collected((await results(filtered('collect'), pool)).get('out'));
		expect(stats.rows).toBe(table.numRows);
		for (const column of stats.columns) expectColumn(column, columnValues(table, column.name));
		expect(stats.columns.find((c) => c.name === 'value')!.min).toBeGreaterThan(100);
	});
});

describe('statistics sketches', () => {
	it('counts up to 10,000 distinct values exactly, then estimates within 2.5 %', () => {
		for (const n of [EXACT_DISTINCT, 50_000, 400_000]) {
			const counter = new DistinctCounter();
			for (let rep = 0; rep < 2; rep++) for (let i = 0; i < n; i++) counter.add(numberKey(i * 1.5));
			expect(counter.isExact).toBe(n <= EXACT_DISTINCT);
			expect(Math.abs(counter.estimate() - n) / n, `n ${n}`).toBeLessThan(0.025);
		}
	});

	it('bins values arriving in ever wider batches like two passes over all of them', () => {
		const prng = mulberry32(SEED);
		const histogram = new StreamingHistogram();
		const all: number[] = [];
		for (let batch = 1; batch <= 12; batch++) {
			const spread = 2 ** batch;
			const values = Array.from({ length: 500 }, () => (prng.next() - 0.3) * spread);
			histogram.cover(Math.min(...values), Math.max(...values));
			for (const x of values) histogram.add(x);
			all.push(...values);
		}
		expectHistogram(histogram.result(Math.min(...all), Math.max(...all)), all, 'streamed');
	});

	it('puts every value in the first bin when all values are equal', () => {
		const histogram = new StreamingHistogram();
		histogram.cover(7, 7);
		for (let i = 0; i < 5; i++) histogram.add(7);
		expect(histogram.result(7, 7)!.counts[0]).toBe(5);
	});

	it('keeps exact top counts under its capacity and bounded ones past it', () => {
		const col = { type: 'int32' } as ColumnView;
		const top = new TopCounter((_col, row) => String(row));
		for (let i = 0; i < 30; i++) for (let k = 0; k <= i; k++) top.add(i, col, i);
		expect(top.maxError).toBe(0);
		expect(top.top(3)).toEqual([
			{ value: '29', count: 30 },
			{ value: '28', count: 29 },
			{ value: '27', count: 28 }
		]);
		// 60,000 singletons push it past capacity; the heavy value keeps a bounded count.
		for (let i = 0; i < 60_000; i++) {
			top.add(1000 + i, col, 1000 + i);
			if (i % 3 === 0) top.add(29, col, 29);
		}
		const heavy = top.top(1)[0];
		expect(heavy.value).toBe('29');
		expect(top.maxError).toBeGreaterThan(0);
		expect(heavy.count).toBeLessThanOrEqual(30 + 20_000);
		expect(heavy.count).toBeGreaterThanOrEqual(30 + 20_000 - top.maxError);
	});
});
