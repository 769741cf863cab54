// Times just before and after the epoch in every unit Parquet and Arrow IPC store, read through
// the real source kernels: each lands in the millisecond it falls in (floored), so
// 1969-12-31 23:59:59.9995 stays on 1969-12-31 and year() says 1969. The Parquet files are
// written by DuckDB (@duckdb/node-api), the Arrow file by apache-arrow; CSV text is parsed.
import { DuckDBInstance } from '@duckdb/node-api';
import {
	Field,
	makeData,
	RecordBatch,
	Schema,
	Struct,
	TimeUnit,
	Timestamp,
	Table,
	tableToIPC
} from 'apache-arrow';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { DatasetRegistry, probeDocumentDatasets } from './datasets';
import { collected, line, run } from './pipeline-fixtures.spec-support';

/** The times as text (DuckDB's literal) and as the ms Sluice must read. */
const TIMES: [string, number][] = [
	['1969-12-31 23:59:59.9995', -1],
	['1969-12-31 23:59:59.999999', -1],
	['1969-12-31 23:59:59.000001', -1000],
	['1969-12-31 23:59:59', -1000],
	['1970-01-01 00:00:00', 0],
	['1970-01-01 00:00:00.0005', 0],
	['1970-01-01 00:00:00.0015', 1],
	['1899-12-31 23:59:59.9999', Date.UTC(1899, 11, 31, 23, 59, 59, 999)]
];

describe('timestamps on both sides of the epoch', () => {
	let pool: WorkerPool;
	let dir: string;
	beforeAll(() => {
		pool = createNodeWorkerPool(1);
		dir = mkdtempSync(join(tmpdir(), 'sluice-times-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	/** Column `at` (ms) and `y` (year(at)) of the file, read by a `kind` source then derive. */
	async function read(
		kind: string,
		path: string,
		params: Record<string, unknown> = {}
	): Promise<{ at: number[]; y: number[] }> {
		const doc = line(
			{ id: 'src', kind, params: { source: path, ...params } },
			{ id: 'd', kind: 'derive', params: { column: 'y', expression: 'year(at)' } },
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const outcome = await run(doc, pool, { ctx: registry });
		if (outcome.status !== 'done') expect.fail(JSON.stringify(outcome));
		const table = collected(outcome.results.get('out'));
		const at = table.getChild('at')!;
		const y = table.getChild('y')!;
		return {
			at: Array.from({ length: table.numRows }, (_, i) => Number(at.get(i))),
			y: Array.from({ length: table.numRows }, (_, i) => Number(y.get(i)))
		};
	}

	it.each([
		['microseconds', 'timestamp'],
		['nanoseconds', 'timestamp_ns']
	])('Parquet %s are floored to the millisecond', async (_unit, sqlType) => {
		const instance = await DuckDBInstance.create(':memory:', {
			autoinstall_known_extensions: 'false',
			autoload_known_extensions: 'false'
		});
		const db = await instance.connect();
		const path = join(dir, `${sqlType}.parquet`);
		const rows = TIMES.map(([text], i) => `(${i}, '${text}'::${sqlType})`).join(', ');
		await db.run(
			`copy (select "at" from (values ${rows}) t(i, "at") order by i) to '${path}' (format parquet)`
		);
		db.closeSync();
		const got = await read('parquet', path);
		expect(got.at).toEqual(TIMES.map(([, ms]) => ms));
		expect(got.y).toEqual(TIMES.map(([, ms]) => new Date(ms).getUTCFullYear()));
	});

	it('CSV date-times with sub-millisecond digits are floored to the millisecond', async () => {
		const path = join(dir, 'times.csv');
		writeFileSync(path, 'at\n' + TIMES.map(([text]) => text.replace(' ', 'T')).join('\n') + '\n');
		const got = await read('csv', path);
		expect(got.at).toEqual(TIMES.map(([, ms]) => ms));
		expect(got.y).toEqual(TIMES.map(([, ms]) => new Date(ms).getUTCFullYear()));
	});

	it('CSV dates in other text forms are read through the probe and every worker alike', async () => {
		const path = join(dir, 'dmy.csv');
		// Day first: 25/06 proves it, so 12/06/1998 is 12 June, in the run as in the probe.
		writeFileSync(path, 'at\n12/06/1998 10:00\n25/06/1998 23:59:59.5\n01/01/1969\n');
		const got = await read('csv', path);
		expect(got.at).toEqual([
			Date.UTC(1998, 5, 12, 10),
			Date.UTC(1998, 5, 25, 23, 59, 59, 500),
			Date.UTC(1969, 0, 1)
		]);
		expect(got.y).toEqual([1998, 1998, 1969]);
	});

	it('JSON text dates in other forms are inferred and read alike', async () => {
		const path = join(dir, 'named.ndjson');
		const lines = ['Jun 12 1998 10:00', 'Dec 31 1969 23:59:59.999', 'Jan 1 1970'];
		writeFileSync(path, lines.map((at) => JSON.stringify({ at })).join('\n') + '\n');
		const got = await read('json', path);
		expect(got.at).toEqual([Date.UTC(1998, 5, 12, 10), -1, 0]);
		expect(got.y).toEqual([1998, 1969, 1970]);
	});

	it("CSV reads a column in the form its types override names ('timestamp:%Y/%m/%d %H:%M')", async () => {
		const path = join(dir, 'override.csv');
		writeFileSync(path, 'at\n2001/01/01 00:47\n1960/02/29 12:00\n');
		const got = await read('csv', path, { types: { at: 'timestamp:%Y/%m/%d %H:%M' } });
		expect(got.at).toEqual([Date.UTC(2001, 0, 1, 0, 47), Date.UTC(1960, 1, 29, 12)]);
	});

	it.each([
		['seconds', TimeUnit.SECOND, 1n],
		['microseconds', TimeUnit.MICROSECOND, 1000n],
		['nanoseconds', TimeUnit.NANOSECOND, 1_000_000n]
	])('Arrow IPC timestamps in %s are floored to the millisecond', async (_name, unit, perMs) => {
		// Values in the unit: each TIMES ms plus a part of a millisecond below it (none for seconds).
		const wholeSeconds = unit === TimeUnit.SECOND;
		const stored = TIMES.map(([, ms]) =>
			wholeSeconds ? BigInt(Math.floor(ms / 1000)) : BigInt(ms) * perMs + perMs / 2n
		);
		const expected = stored.map((v) =>
			wholeSeconds ? Number(v) * 1000 : Math.floor(Number(v) / Number(perMs))
		);
		const type = new Timestamp(unit);
		const data = makeData({ type, length: stored.length, data: BigInt64Array.from(stored) });
		const schema = new Schema([new Field('at', type, true)]);
		const batch = new RecordBatch(
			schema,
			makeData({ type: new Struct(schema.fields), length: stored.length, children: [data] })
		);
		const path = join(dir, `t${unit}.arrow`);
		writeFileSync(path, tableToIPC(new Table(batch), 'stream'));
		const got = await read('arrow', path);
		expect(got.at).toEqual(expected);
		expect(got.y).toEqual(expected.map((ms) => new Date(ms).getUTCFullYear()));
		expect(expected.some((ms) => ms < 0 && ms % 1000 !== 0)).toBe(!wholeSeconds);
	});
});
