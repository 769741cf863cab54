// Row groups skipped by their statistics, against real files written by DuckDB (row groups of
// 2 048 rows): every answer equals DuckDB's (and the same pipeline's with nothing skipped),
// whether the filter lets groups be skipped or not; the source's report counts the groups it
// did not read and its byte count shows they were never fetched. A seeded random property test
// draws predicates over the columns (SLUICE_SEED=<n> replays or explores; the seed is printed).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSpec } from '../graph/build';
import type { PipelineDocument } from '../graph/document';
import { DatasetRegistry, probeDocumentDatasets } from '../nodes/datasets';
import { collected, columnValues, line } from '../nodes/pipeline-fixtures.spec-support';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32, type Prng } from '../runtime/testing/prng';
import { startPipeline } from './execute';
import { compile } from './index';

const SEED = Number(process.env.SLUICE_SEED ?? 20261203);
const ROWS = 20_480;
const GROUP_ROWS = 2048;

/**
 * Columns whose values rise with `id` (so groups have narrow ranges and skip) beside random
 * ones (so they don't): signed and unsigned ints past 2^31 and 2^63, text beyond the BMP, dates,
 * microsecond timestamps, bools, nulls and a column null in whole groups.
 */
const TABLE = (seed: number) => `
	select
		i::integer as id,
		case when hash(i, ${seed}) % 10 = 0 then null else (i // 40 + hash(i, ${seed} + 1) % 7)::integer - 200 end as a,
		(hash(i, ${seed} + 2) % 2000)::bigint - 1000 as r,
		(9223372036854775808::ubigint + (i // 2048)::ubigint * 1099511627776::ubigint) as u,
		(2147483648::uinteger + (i // 100)::uinteger) as u32,
		case when hash(i, ${seed} + 3) % 9 = 0 then null else (i // 64) * 0.5 - 40 end as x,
		['a', 'ab', 'b', 'z', 'é', 'ｚ', '😀', '😀x'][(i // 2600) + 1] as s,
		date '2023-12-20' + (i // 300)::integer as d,
		timestamp '2024-01-01 00:00:00' + to_microseconds(i::bigint * 3600000001) as ts,
		(i // 6000) % 2 = 1 as flag,
		case when (i // 2048) % 3 = 0 then null else i % 5 end as g,
		repeat(md5(i::varchar), 4) as payload
	from range(${ROWS}) t(i)`;

/** One term: Sluice text and DuckDB SQL. */
interface Term {
	sluice: string;
	sql: string;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** A random term on a random column, with constants near the column's values. */
function randomTerm(rng: Prng): Term {
	const cmp = rng.pick(['==', '<', '<=', '>', '>=']);
	const sqlOp = cmp === '==' ? '=' : cmp;
	const num = (col: string, v: number): Term => {
		const r = rng.next();
		if (r < 0.1) return { sluice: `${col} is null`, sql: `${col} is null` };
		if (r < 0.2) return { sluice: `${col} is not null`, sql: `${col} is not null` };
		if (r < 0.35) {
			const vs = [v, v + rng.int(-300, 300), v + rng.int(-3000, 3000)];
			return { sluice: `${col} in (${vs.join(', ')})`, sql: `${col} in (${vs.join(', ')})` };
		}
		if (r < 0.45) return { sluice: `${v} ${cmp} ${col}`, sql: `${v} ${sqlOp} ${col}` };
		return { sluice: `${col} ${cmp} ${v}`, sql: `${col} ${sqlOp} ${v}` };
	};
	switch (rng.int(0, 10)) {
		case 0:
			return num('id', rng.int(-100, ROWS + 100));
		case 1:
			return num('a', rng.int(-250, 400));
		case 2:
			return num('r', rng.int(-1100, 1100));
		case 3: {
			const v = `${BigInt(2) ** BigInt(63) + BigInt(rng.int(-1, 11)) * BigInt(2) ** BigInt(40)}`;
			return { sluice: `u ${cmp} ${v}.0`, sql: `u ${sqlOp} ${v}::ubigint` };
		}
		case 4:
			return num('u32', 2147483648 + rng.int(-10, 220));
		case 5: {
			const v = rng.int(-100, 700) / 2;
			return num('x', v);
		}
		case 6: {
			const pool = ['a', 'ab', 'b', 'c', 'z', 'é', 'ｚ', '😀', '😀x', '', 'zz', '\uffff'];
			if (rng.chance(0.25)) {
				const vs = [rng.pick(pool), rng.pick(pool)];
				return {
					sluice: `s in (${vs.map((v) => JSON.stringify(v)).join(', ')})`,
					sql: `s in (${vs.map(quote).join(', ')})`
				};
			}
			const v = rng.pick(pool);
			return { sluice: `s ${cmp} ${JSON.stringify(v)}`, sql: `s ${sqlOp} ${quote(v)}` };
		}
		case 7: {
			const day = new Date(Date.UTC(2023, 11, 20 + rng.int(-5, 80))).toISOString().slice(0, 10);
			if (rng.chance(0.3)) {
				const at = `${day} ${String(rng.int(0, 23)).padStart(2, '0')}:30:00`;
				return { sluice: `d ${cmp} "${at}"`, sql: `d ${sqlOp} timestamp '${at}'` };
			}
			return { sluice: `d ${cmp} "${day}"`, sql: `d ${sqlOp} date '${day}'` };
		}
		case 8: {
			const ms = Date.UTC(2024, 0, 1) + rng.int(-2, 20_480 * 1.1) * 3_600_000 + rng.int(-1, 1);
			const at = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
			return { sluice: `ts ${cmp} "${at}"`, sql: `ts ${sqlOp} timestamp '${at}'` };
		}
		case 9: {
			const v = rng.chance(0.5);
			return { sluice: `flag == ${v}`, sql: `flag = ${v}` };
		}
		default:
			return rng.chance(0.5) ? { sluice: 'g is null', sql: 'g is null' } : num('g', rng.int(-1, 5));
	}
}

/** A conjunction of 1–3 terms, sometimes with an `or` or `!=` the source cannot use. */
function randomPredicate(rng: Prng): Term {
	const terms: Term[] = [];
	for (let n = rng.int(1, 3); n > 0; n--) {
		if (rng.chance(0.15)) {
			const [a, b] = [randomTerm(rng), randomTerm(rng)];
			terms.push({ sluice: `(${a.sluice} or ${b.sluice})`, sql: `(${a.sql} or ${b.sql})` });
		} else if (rng.chance(0.1)) {
			const v = rng.int(0, ROWS);
			terms.push({ sluice: `id != ${v}`, sql: `id <> ${v}` });
		} else terms.push(randomTerm(rng));
	}
	return {
		sluice: terms.map((t) => t.sluice).join(' and '),
		sql: terms.map((t) => t.sql).join(' and ')
	};
}

describe('row groups skipped by their statistics', () => {
	let pool: WorkerPool;
	let dir: string;
	let db: DuckDBConnection;
	let path: string;
	let registry: DatasetRegistry;
	beforeAll(async () => {
		pool = createNodeWorkerPool(1);
		dir = mkdtempSync(join(tmpdir(), 'sluice-stats-'));
		const instance = await DuckDBInstance.create(':memory:', {
			autoinstall_known_extensions: 'false',
			autoload_known_extensions: 'false'
		});
		db = await instance.connect();
		path = join(dir, 'rising.parquet');
		await db.run(
			`copy (${TABLE(SEED)} order by id) to '${path}' (format parquet, compression uncompressed, row_group_size ${GROUP_ROWS})`
		);
		await db.run(`create table t as select * from '${path}'`);
		registry = new DatasetRegistry();
	});
	afterAll(async () => {
		await pool.shutdown();
		db?.closeSync();
		rmSync(dir, { recursive: true, force: true });
	});

	const source = (): NodeSpec => ({ id: 'src', kind: 'parquet', params: { source: path } });

	/** Runs `doc`: the ids the sink got (sorted), groups not read, the source's bytes fetched. */
	async function runDoc(doc: PipelineDocument) {
		expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
		const started = startPipeline(doc, pool, { batchRows: 1000 }, registry);
		const outcome = await started.outcome;
		if (outcome.status !== 'done') expect.fail(JSON.stringify(outcome));
		const stage = outcome.compiled.plan!.origins.findIndex((o) => o.nodes[0] === 'src');
		const table = collected(outcome.results.get('out'));
		const ids = (columnValues(table, 'id') as number[]).sort((a, b) => a - b);
		const issue = outcome.reports.get('src')?.issues.find((i) => i.reason === 'statistics');
		return {
			ids,
			skipped: issue?.count ?? 0,
			messages: issue?.samples.map((s) => s.message) ?? [],
			bytes: started.run!.metrics.snapshot().stages[stage].bytesRead,
			explain: outcome.compiled.explain
		};
	}

	/** source → filter → collect, and the same with a limit between that stops any skipping. */
	const filtered = (expression: string) =>
		line(
			source(),
			{ id: 'f', kind: 'filter', params: { expression } },
			{ id: 'out', kind: 'collect' }
		);
	const unskipped = (expression: string) =>
		line(
			source(),
			{ id: 'all', kind: 'limit', params: { rows: ROWS * 2 } },
			{ id: 'f', kind: 'filter', params: { expression } },
			{ id: 'out', kind: 'collect' }
		);

	async function duckIds(where: string): Promise<number[]> {
		const rows = (await db.runAndReadAll(`select id from t where ${where} order by id`)).getRows();
		return rows.map((r) => Number(r[0]));
	}

	it('skips the row groups a range on a rising column rules out, with DuckDB’s answer and fewer bytes', async () => {
		const got = await runDoc(filtered('id >= 15000 and id < 16500'));
		const all = await runDoc(unskipped('id >= 15000 and id < 16500'));
		expect(got.ids).toEqual(await duckIds('id >= 15000 and id < 16500'));
		expect(all.ids).toEqual(got.ids);
		// Rows 15000..16499 lie in groups 7 and 8 of 10. The file is larger than the footer's
		// prefetch (512 KB from its end), so groups not read are bytes not fetched.
		expect(got.skipped).toBe(8);
		expect(all.skipped).toBe(0);
		expect(got.bytes).toBeLessThan(all.bytes / 2);
		expect(got.messages[0]).toMatch(/^row group \d+ \(2,048 rows\): no row can have id/);
		expect(got.explain).toContain(
			'skips row groups whose statistics rule out: id >= 15000 and id < 16500'
		);
	});

	it('reads every group when the statistics cannot rule the filter out', async () => {
		const expression = 'r > 990 and id > -5';
		const got = await runDoc(filtered(expression));
		expect(got.skipped).toBe(0);
		expect(got.ids).toEqual(await duckIds('r > 990 and id > -5'));
	});

	it('skips through a rename, a derive and a sort, not past a limit or a fan-out', async () => {
		const doc = line(
			source(),
			{ id: 'sel', kind: 'select', params: { columns: ['id', 's as name', 'u32'] } },
			{ id: 'der', kind: 'derive', params: { column: 'u32', expression: 'id * 2' } },
			{ id: 'sort', kind: 'sort', params: { by: [{ column: 'id' }] } },
			// u32 is the derived column now: a condition on it cannot reach the source.
			{ id: 'f', kind: 'filter', params: { expression: 'name == "😀x" and u32 < 10' } },
			{ id: 'out', kind: 'collect' }
		);
		const got = await runDoc(doc);
		expect(got.ids).toEqual([]);
		expect(got.skipped).toBe(8);
		expect(got.explain).toContain('s == "😀x"');
		expect(got.explain).not.toContain('u32 <');
		const name = await runDoc(
			line(
				source(),
				{ id: 'sel', kind: 'select', params: { columns: ['id', 's as name'] } },
				{ id: 'f', kind: 'filter', params: { expression: 'name >= "😀"' } },
				{ id: 'out', kind: 'collect' }
			)
		);
		expect(name.ids).toEqual(await duckIds(`s >= '😀'`));
		expect(name.skipped).toBeGreaterThan(0);
		const plan = compile(
			{
				...filtered('id < 10'),
				nodes: [
					...filtered('id < 10').nodes,
					{ id: 't', kind: 'table', params: {}, position: { x: 0, y: 0 } }
				],
				edges: [
					...filtered('id < 10').edges,
					{ id: 'fan', from: { node: 'src', port: 'out' }, to: { node: 't', port: 'in' } }
				]
			},
			{},
			registry
		);
		expect(plan.explain).not.toContain('skips row groups');
		expect((await runDoc(unskipped('id < 10'))).skipped).toBe(0);
	});

	it('skips by null counts: is null, is not null, and comparisons on an all-null group', async () => {
		for (const [expression, sql] of [
			['g is null', 'g is null'],
			['g is not null and g >= 0', 'g is not null and g >= 0'],
			['g == 3', 'g = 3']
		]) {
			const got = await runDoc(filtered(expression));
			expect(got.ids, expression).toEqual(await duckIds(sql));
			// Groups 0, 3, 6, 9 are all null; the others have none.
			expect(got.skipped, expression).toBe(expression === 'g is null' ? 6 : 4);
		}
	});

	it('compares unsigned columns past 2^31 and 2^63 as unsigned', async () => {
		const big = '9223372036854775808';
		for (const [expression, sql] of [
			[`u >= ${big}.0`, `u >= ${big}::ubigint`],
			[`u > 9223376434901286912.0`, `u > 9223376434901286912::ubigint`],
			['u32 < 2147483700', 'u32 < 2147483700']
		]) {
			const got = await runDoc(filtered(expression));
			expect(got.ids, expression).toEqual(await duckIds(sql));
		}
		expect((await runDoc(filtered(`u >= ${big}.0`))).skipped).toBe(0);
		expect((await runDoc(filtered(`u > 9223376434901286912.0`))).skipped).toBe(5);
		// u32 < 2^31 + 52: rows below 5200, in groups 0..2.
		expect((await runDoc(filtered('u32 < 2147483700'))).skipped).toBe(7);
	});

	it('keeps the rows of groups holding NaN as the unskipped pipeline does (NaN passes no comparison)', async () => {
		const nan = join(dir, 'nan.parquet');
		await db.run(`copy (
			select i::integer as id,
				case when i % 5 = 0 then 'nan'::double when i % 7 = 0 then null else (i // 2048)::double end as x
			from range(${ROWS}) t(i) order by id
		) to '${nan}' (format parquet, row_group_size ${GROUP_ROWS})`);
		const on = (expression: string, limit: boolean): PipelineDocument => {
			const doc = limit ? unskipped(expression) : filtered(expression);
			doc.nodes[0].params = { source: nan };
			return doc;
		};
		for (const expression of [
			'x > 3',
			'x <= 0',
			'x == 9',
			'x >= 9.5',
			'x in (1, 2)',
			'x is null'
		]) {
			const got = await runDoc(on(expression, false));
			expect(got.ids, expression).toEqual((await runDoc(on(expression, true))).ids);
			expect(got.ids.length, expression).toBeGreaterThan(expression === 'x >= 9.5' ? -1 : 0);
		}
	});

	it('equals DuckDB and the unskipped pipeline for random predicates', async () => {
		console.log(`row group statistics: seed ${SEED} (replay with SLUICE_SEED=${SEED})`);
		const rng = mulberry32(SEED);
		let skipped = 0;
		for (let round = 0; round < 40; round++) {
			const p = randomPredicate(rng);
			const what = `seed ${SEED} round ${round}: ${p.sluice}`;
			const got = await runDoc(filtered(p.sluice));
			expect(got.ids, what).toEqual(await duckIds(p.sql));
			if (round % 4 === 0) expect(got.ids, what).toEqual((await runDoc(unskipped(p.sluice))).ids);
			skipped += got.skipped;
		}
		// The draw exercises skipping, not only reading everything.
		expect(skipped).toBeGreaterThan(20);
	}, 240_000);
});
