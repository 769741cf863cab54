// Awkward inputs for the CSV and JSON sources, run through the real engine: each gives the
// right rows or a clear error naming the line. Also: the bundled samples' static schemas are
// what probing the files gives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import {
	DatasetRegistry,
	EVENTS_SCHEMA,
	TRIPS_SCHEMA,
	probeDocumentDatasets,
	probeSourceSchema
} from './datasets';
import { collected, columnValues, line, run } from './pipeline-fixtures.spec-support';

// A huge field, under the 4 MiB a frame can hold at most.
const BIG = 'x'.repeat(3 * 1024 * 1024);

describe('the CSV and JSON sources on awkward input', () => {
	let pool: WorkerPool;
	let dir: string;
	let n = 0;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-edge-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	/** Runs `kind` over `text` into a collect sink: the table, or the error message. */
	async function read(kind: string, text: string, params: Record<string, unknown> = {}) {
		const path = join(dir, `f${n++}.${kind}`);
		writeFileSync(path, text);
		const doc = line(
			{ id: 'src', kind, params: { source: path, ...params } },
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		const problems = await probeDocumentDatasets(doc, registry);
		if (problems.length > 0) return { error: problems[0].message };
		const outcome = await run(doc, pool, { ctx: registry, batchRows: 1024 });
		if (outcome.status === 'failed') return { error: outcome.failure.message };
		if (outcome.status !== 'done')
			return { error: `run ended ${JSON.stringify(outcome).slice(0, 300)}` };
		return { table: collected(outcome.results.get('out')) };
	}

	it('CSV: skips a BOM, keeps quoted line breaks and reads a 3 MB field', async () => {
		const r = await read('csv', `\uFEFFid,text\n1,"two\nlines"\n2,${BIG}\n`);
		if (!r.table) throw new Error(r.error);
		expect(r.table!.schema.names).toEqual(['id', 'text']);
		expect(columnValues(r.table!, 'text')).toEqual(['two\nlines', BIG]);
	});

	it('CSV: a header-only file gives no rows; an empty file a clear error or no rows', async () => {
		const header = await read('csv', 'a,b\n');
		expect(header.table!.numRows).toBe(0);
		const empty = await read('csv', '');
		if (empty.error) expect(empty.error).toMatch(/f\d+\.csv/);
		else expect(empty.table!.numRows).toBe(0);
	});

	it('JSON: reads NDJSON with a BOM, blank lines and CRLF, flattening one level', async () => {
		const text = '\uFEFF{"a":1,"u":{"n":"x","d":{"k":1}}}\r\n\r\n{"a":2,"u":{"n":"y"}}\n\n';
		const r = await read('json', text);
		expect(r.table!.schema.names).toEqual(['a', 'u.n', 'u.d']);
		expect(columnValues(r.table!, 'a')).toEqual([1, 2]);
		expect(columnValues(r.table!, 'u.d')).toEqual(['{"k":1}', null]);
	});

	it('JSON: reads an array of objects with brackets, commas and escapes inside strings', async () => {
		const text = '[ {"s":"a]b,c}","n":1.5}, {"s":"q\\"uote\\\\","n":2} ,{"s":null,"n":null} ]';
		const r = await read('json', text, { depth: 0 });
		expect(columnValues(r.table!, 's')).toEqual(['a]b,c}', 'q"uote\\', null]);
		expect(columnValues(r.table!, 'n')).toEqual([1.5, 2, null]);
	});

	it('JSON: keeps a 3 MB field whole', async () => {
		const r = await read('json', `{"id":1,"big":"${BIG}"}\n{"id":2,"big":"small"}\n`);
		if (!r.table) throw new Error(r.error);
		expect(columnValues(r.table!, 'big')).toEqual([BIG, 'small']);
	});

	it('JSON: a bad line fails the run naming the file and the line number', async () => {
		const lines = Array.from({ length: 3000 }, (_, i) => `{"id":${i}}`);
		lines[2500] = '{"id": oops}';
		const r = await read('json', lines.join('\n'));
		expect(r.error).toMatch(/f\d+\.json' line 2501: bad JSON/);
		const skipped = await read('json', lines.join('\n'), { badRows: 'skip' });
		expect(skipped.table!.numRows).toBe(2999);
	});

	it('JSON: a value of the wrong type names the line, the column and the fix', async () => {
		const r = await read('json', '{"n":1}\n'.repeat(1200) + '{"n":"abc"}\n');
		expect(r.error).toMatch(
			/line 1201: column 'n' is int64 but the value "abc" is not a whole number.*types/
		);
	});

	it('JSON: keeps a value nested 100,000 deep as its JSON text', async () => {
		const deep = `${'['.repeat(100_000)}"x"${']'.repeat(100_000)}`;
		const r = await read('json', `{"id":1,"v":[1]}\n{"id":2,"v":${deep}}\n{"id":3,"v":[]}\n`);
		if (!r.table) throw new Error(r.error);
		expect(columnValues(r.table!, 'v')).toEqual(['[1]', deep, '[]']);
	});

	it('JSON: an empty file and a non-JSON file are refused with what is wrong', async () => {
		expect((await read('json', '  \n')).error).toMatch(/is empty/);
		expect((await read('json', 'id,name\n1,x\n')).error).toMatch(/should start with \{/);
		expect((await read('json', '[{"a":1},')).error).toMatch(/ends before its array is closed/);
	});
});

describe('the bundled samples', () => {
	it('have the static schemas the editor uses offline', async () => {
		const samples = new URL('../../../static/samples/', import.meta.url).pathname;
		expect(await probeSourceSchema('parquet', `${samples}trips.parquet`)).toEqual(TRIPS_SCHEMA);
		expect(await probeSourceSchema('json', `${samples}events.ndjson`)).toEqual(EVENTS_SCHEMA);
	});
});
