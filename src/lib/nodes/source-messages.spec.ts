// The JSON and Parquet sources quote what came from the file (record text, column names, a
// byte) into their error messages cut short and with control bytes escaped, as the CSV source
// does: a file holding ESC ] 0;… BEL must not retitle the terminal that prints the error. The
// Parquet file is written by DuckDB (@duckdb/node-api) in the test.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { DatasetRegistry, probeDocumentDatasets } from './datasets';
import { line, run } from './pipeline-fixtures.spec-support';

const TITLE = '\x1b]0;pwned\x07';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x1f\x7f-\x9f]/;

describe('source errors quote file content safely', () => {
	let pool: WorkerPool;
	let dir: string;
	let n = 0;
	beforeAll(() => {
		pool = createNodeWorkerPool(1);
		dir = mkdtempSync(join(tmpdir(), 'sluice-messages-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	/** The error of reading `path` with a `kind` source (from the probe or the run). */
	async function failure(kind: string, path: string, params: Record<string, unknown> = {}) {
		const doc = line(
			{ id: 'src', kind, params: { source: path, ...params } },
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		const problems = await probeDocumentDatasets(doc, registry);
		if (problems.length > 0) return problems[0].message;
		const outcome = await run(doc, pool, { ctx: registry });
		if (outcome.status !== 'failed') expect.fail(`run ended ${outcome.status}`);
		return outcome.failure.message;
	}

	function file(text: string, ext: string): string {
		const path = join(dir, `f${n++}.${ext}`);
		writeFileSync(path, text);
		return path;
	}

	it('JSON: a bad record is quoted cut and escaped', async () => {
		const text = `{"a": 1}\n{"a": ${TITLE}${'x'.repeat(5000)}}\n`;
		const message = await failure('json', file(text, 'ndjson'));
		expect(message).toContain('line 2: bad JSON');
		expect(message).toContain('\\x1b]0;pwned\\x07');
		expect(message).not.toMatch(RAW_CONTROL);
		expect(message.length).toBeLessThan(400);
	});

	it('JSON: a column name from the file is escaped in a type error', async () => {
		const key = `${TITLE}${'k'.repeat(200)}`;
		const text = `{${JSON.stringify(key)}: 1}\n{${JSON.stringify(key)}: "abc"}\n`;
		const message = await failure('json', file(text, 'ndjson'), { types: { [key]: 'int64' } });
		expect(message).toContain("line 2: column '\\x1b]0;pwned\\x07kkk");
		expect(message).not.toMatch(RAW_CONTROL);
		expect(message.length).toBeLessThan(400);
	});

	it('JSON: a file that starts with a control byte names it by its code', async () => {
		const message = await failure('json', file(`${TITLE}{"a": 1}\n`, 'ndjson'));
		expect(message).toContain('found byte 0x1b at byte 0');
		expect(message).not.toMatch(RAW_CONTROL);
	});

	it('Parquet: column names in the no-readable-column message are escaped', async () => {
		const path = join(dir, 'names.parquet');
		const db = await DuckDBInstance.create(':memory:');
		const c = await db.connect();
		await c.run(`copy (select [1] as "${TITLE}", {'a': 1} as "b${'\x1b'}[31m") to '${path}'`);
		c.closeSync();
		const message = await failure('parquet', path);
		expect(message).toContain(
			"has no column Sluice can read: '\\x1b]0;pwned\\x07' (list), 'b\\x1b[31m' (struct)"
		);
		expect(message).not.toMatch(RAW_CONTROL);
	});
});
