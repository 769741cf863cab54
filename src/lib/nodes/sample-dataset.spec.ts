import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { inferCsvSchema } from './csv';
import { CITIES_SCHEMA } from './datasets';
import { collected, columnValues, line, pipeline, run } from './pipeline-fixtures.spec-support';
import { nodeKernelName } from './kernel-name';
import { sampleDataset } from './sample-dataset';

const TAXI_ROWS = 40_000;

/** taxi → filter (a partitionable chain, so the source runs one instance per worker) → sinks. */
function taxiDoc() {
	return pipeline(
		[
			{ id: 'taxi', kind: 'sample-dataset', params: { name: 'taxi', rows: TAXI_ROWS } },
			{ id: 'keep', kind: 'filter', params: { expression: 'true' } },
			{ id: 'out', kind: 'collect' },
			{ id: 'count', kind: 'table', params: { limit: 0 } }
		],
		[
			['taxi', 'keep'],
			['keep', 'out'],
			['keep', 'count']
		]
	);
}

async function taxiTable(pool: WorkerPool, workers: number): Promise<Table> {
	const outcome = await run(taxiDoc(), pool, { workers, batchRows: 3000 });
	if (outcome.status !== 'done') expect.fail(`taxi run ended ${JSON.stringify(outcome)}`);
	const sources = outcome.compiled.plan!.stages.filter(
		(s) => s.kernel === nodeKernelName(sampleDataset, 'run')
	);
	expect(sources).toHaveLength(workers);
	return collected(outcome.results.get('out'));
}

/** Column values ordered by trip_id. */
function byTrip(table: Table, name: PropertyKey): unknown[] {
	const ids = columnValues(table, 'trip_id') as number[];
	const values = columnValues(table, name);
	const out = new Array<unknown>(ids.length);
	ids.forEach((id, i) => (out[id - 1] = values[i]));
	return out;
}

describe('sample datasets', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	it('loads the cities sample with its static schema, quoted names and blank years', async () => {
		const doc = line(
			{ id: 'cities', kind: 'sample-dataset', params: { name: 'cities' } },
			{ id: 'out', kind: 'collect' }
		);
		const outcome = await run(doc, pool, { workers: 2 });
		if (outcome.status !== 'done') expect.fail(JSON.stringify(outcome));
		const table = collected(outcome.results.get('out'));
		expect(table.schema.names).toEqual(CITIES_SCHEMA.names);
		expect(table.schema.fields.map((f) => String(f.type))).toEqual([
			'Utf8',
			'Utf8',
			'Utf8',
			'Int32',
			'Float64',
			'Int32',
			'Bool',
			'Utf8'
		]);
		expect(table.numRows).toBe(228);
		const cities = columnValues(table, 'city');
		expect(cities).toContain('Washington, D.C.');
		const founded = columnValues(table, 'founded');
		expect(founded.filter((v) => v === null).length).toBeGreaterThan(10);
		expect(founded[cities.indexOf('Rome')]).toBe(-753);
		expect(columnValues(table, 'capital')[cities.indexOf('Tokyo')]).toBe(true);
	});

	it('declares the schema that inference reads from static/samples/cities.csv', () => {
		const bytes = readFileSync(new URL('../../../static/samples/cities.csv', import.meta.url));
		expect(inferCsvSchema(bytes)).toEqual(CITIES_SCHEMA);
	});

	it('generates the same taxi table with one worker and with two', async () => {
		const one = await taxiTable(pool, 1);
		const two = await taxiTable(pool, 2);
		expect(one.numRows).toBe(TAXI_ROWS);
		expect(two.numRows).toBe(TAXI_ROWS);
		const cents = (t: Table) =>
			(columnValues(t, 'fare') as number[]).reduce((sum, f) => sum + Math.round(f * 100), 0);
		expect(cents(two)).toBe(cents(one));
		for (const name of one.schema.names) {
			expect(byTrip(two, name), `column ${String(name)}`).toEqual(byTrip(one, name));
		}
	});

	it('generates plausible trips: later dropoffs, fares from 3.00, tips only on card', async () => {
		const table = await taxiTable(pool, 1);
		const pickup = columnValues(table, 'pickup') as number[];
		const dropoff = columnValues(table, 'dropoff') as number[];
		const fare = columnValues(table, 'fare') as number[];
		const tip = columnValues(table, 'tip') as number[];
		const payment = columnValues(table, 'payment') as string[];
		const passengers = columnValues(table, 'passenger_count');
		for (let i = 0; i < table.numRows; i++) {
			if (!(dropoff[i] > pickup[i]) || fare[i] < 3 || (payment[i] !== 'card' && tip[i] !== 0))
				expect.fail(`row ${i}: ${pickup[i]} ${dropoff[i]} ${fare[i]} ${tip[i]} ${payment[i]}`);
		}
		const nullShare = passengers.filter((p) => p === null).length / table.numRows;
		expect(nullShare).toBeGreaterThan(0.01);
		expect(nullShare).toBeLessThan(0.03);
		expect(new Set(payment)).toEqual(new Set(['card', 'cash', 'dispute', 'no_charge']));
		expect(new Set(columnValues(table, 'borough')).size).toBe(5);
		expect(new Set(columnValues(table, 'zone')).size).toBe(50);
		const year = new Date(Math.min(...pickup)).getUTCFullYear();
		expect(year).toBe(2024);
	});
});
