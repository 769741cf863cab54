// The db-benchmark bench's own logic (bench/dbbench/): the G1 generator's distributions, the
// answer check, and Sluice's answers to every question it runs equal native DuckDB's on a small
// table, from the CSV and from the Parquet file, on 1 and 2 workers.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { difference } from '../../bench/dbbench/answer';
import { fromFile, NativeDuckDB } from '../../bench/dbbench/duckdb';
import { g1Files, type G1Files } from '../../bench/dbbench/generate';
import { QUESTIONS } from '../../bench/dbbench/questions';
import { sluiceAnswer } from '../../bench/dbbench/sluice';
import { createNodeWorkerPool } from '../../src/lib/runtime/scheduler/node-pool';
import type { WorkerPool } from '../../src/lib/runtime/scheduler/worker-pool';

const N = 20_000;
const tmp = mkdtempSync(join(tmpdir(), 'sluice-dbbench-'));
let files: G1Files;
let native: NativeDuckDB;
beforeAll(async () => {
	files = await g1Files(N, tmp);
	native = await NativeDuckDB.open();
});
afterAll(() => {
	native?.close();
	rmSync(tmp, { recursive: true, force: true });
});

describe('the G1 table', () => {
	it('has the published columns and value ranges, and the same rows for the same seed', async () => {
		const lines = readFileSync(files.csv, 'utf8').trimEnd().split('\n');
		expect(lines[0]).toBe('id1,id2,id3,id4,id5,id6,v1,v2,v3');
		expect(lines).toHaveLength(N + 1);
		for (const line of lines.slice(1, 2001)) {
			const [id1, id2, id3, id4, id5, id6, v1, v2, v3] = line.split(',');
			expect(id1).toMatch(/^id(0\d\d|100)$/);
			expect(id2).toMatch(/^id(0\d\d|100)$/);
			expect(id3).toMatch(/^id\d{10}$/);
			expect(Number(id3.slice(2))).toBeLessThanOrEqual(N / 100);
			for (const [v, max] of [
				[id4, 100],
				[id5, 100],
				[id6, N / 100],
				[v1, 5],
				[v2, 15]
			] as const) {
				expect(Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= max).toBe(true);
			}
			expect(Number(v3)).toBeGreaterThanOrEqual(0);
			expect(Number(v3)).toBeLessThanOrEqual(100);
			expect(v3).toMatch(/^\d+(\.\d{1,6})?$/);
		}
		const again = await g1Files(N, join(tmp, 'again'));
		expect(readFileSync(again.csv, 'utf8')).toBe(readFileSync(files.csv, 'utf8'));
	});
});

describe('the answer check', () => {
	const theirs = { k: ['b', 'a'], v: [1.5, 2] };
	it('accepts the same rows in another order and floats within 1e-9 relative', () => {
		expect(difference({ k: ['a', 'b'], v: [2, 1.5 * (1 + 5e-10)] }, theirs, ['k'], ['v'])).toBe(
			null
		);
	});
	it('names the group of a value that differs, a missing row and a missing column', () => {
		expect(difference({ k: ['a', 'b'], v: [2, 1.5 * (1 + 1e-8)] }, theirs, ['k'], ['v'])).toMatch(
			/^group \(b\) column v: /
		);
		expect(difference({ k: ['a'], v: [2] }, theirs, ['k'], ['v'])).toBe('1 rows, expected 2');
		expect(difference({ k: ['a', 'b'] }, theirs, ['k'], ['v'])).toBe('column v is missing');
	});
});

describe("Sluice's answers to the db-benchmark questions", () => {
	const pools = new Map<number, WorkerPool>();
	beforeAll(() => {
		for (const w of [1, 2]) pools.set(w, createNodeWorkerPool(w));
	});
	afterAll(async () => Promise.all([...pools.values()].map((p) => p.shutdown())));

	for (const kind of ['csv', 'parquet'] as const) {
		it(`equal native DuckDB's for q1–q5, q7 and q10 from the ${kind} file`, async () => {
			for (const q of QUESTIONS) {
				const { answer: expected } = await native.answer(q, fromFile(files[kind], kind));
				for (const [w, pool] of pools) {
					const { answer } = await sluiceAnswer(pool, q, files[kind], kind);
					expect(difference(answer, expected, q.keys, q.columns), `${q.id}, ${w} worker(s)`).toBe(
						null
					);
				}
			}
		}, 240_000);
	}
});
