// Damaged and empty source files. The Arrow IPC source on damaged input: a stream cut inside a record batch's body, a batch
// whose text offsets were overwritten, a buffer region pointing past its body, in the stream and
// the file format, are refused with one line naming the file and the byte offset of the record
// batch, instead of being read as wrong rows. Intact files read as before; an empty file says
// it is empty. The files are written by apache-arrow in the test.
import {
	Int32,
	Message,
	Table,
	Utf8,
	makeData,
	tableToIPC,
	vectorFromArray,
	type Data
} from 'apache-arrow';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { checkColumn } from './arrow/arrow-check';
import { DatasetRegistry, probeDocumentDatasets } from './datasets';
import { collected, columnValues, line, run } from './pipeline-fixtures.spec-support';

const NAMES = ['ab', 'cde', 'f', 'ghij', 'k', 'lmn', 'op', 'qrstu'];

function table(): Table {
	return new Table({
		id: vectorFromArray([...NAMES.keys()], new Int32()),
		name: vectorFromArray(NAMES, new Utf8())
	});
}

/** Where `pattern` starts in `bytes` (expects exactly one place). */
function find(bytes: Uint8Array, pattern: Uint8Array): number {
	const at: number[] = [];
	for (let i = 0; i + pattern.length <= bytes.length; i++)
		if (pattern.every((b, j) => bytes[i + j] === b)) at.push(i);
	expect(at).toHaveLength(1);
	return at[0];
}

/** The bytes of the 'name' column's offsets buffer (0, 2, 5, 6, …). */
function nameOffsets(): Uint8Array {
	const offsets = [0];
	for (const n of NAMES) offsets.push(offsets[offsets.length - 1] + n.length);
	return new Uint8Array(Int32Array.from(offsets).buffer);
}

/** The byte offset of the record batch message: its continuation marker before the offsets. */
function batchStart(bytes: Uint8Array, before: number): number {
	for (let i = before - 4; i >= 0; i--)
		if (
			bytes[i] === 0xff &&
			bytes[i + 1] === 0xff &&
			bytes[i + 2] === 0xff &&
			bytes[i + 3] === 0xff
		)
			return i;
	throw new Error('no message marker');
}

describe('the Arrow IPC source on damaged data', () => {
	let pool: WorkerPool;
	let dir: string;
	let n = 0;
	beforeAll(() => {
		pool = createNodeWorkerPool(1);
		dir = mkdtempSync(join(tmpdir(), 'sluice-arrow-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	async function read(bytes: Uint8Array) {
		const path = join(dir, `f${n++}.arrow`);
		writeFileSync(path, bytes);
		const doc = line(
			{ id: 'src', kind: 'arrow', params: { source: path } },
			{ id: 'out', kind: 'collect' }
		);
		const registry = new DatasetRegistry();
		const problems = await probeDocumentDatasets(doc, registry);
		if (problems.length > 0) return { path, error: problems[0].message };
		const outcome = await run(doc, pool, { ctx: registry });
		if (outcome.status === 'failed') return { path, error: outcome.failure.message };
		if (outcome.status !== 'done') return { path, error: `run ended ${outcome.status}` };
		return { path, table: collected(outcome.results.get('out')) };
	}

	for (const format of ['stream', 'file'] as const) {
		it(`${format} format: intact data reads every row`, async () => {
			const r = await read(tableToIPC(table(), format));
			expect(r.error).toBeUndefined();
			expect(columnValues(r.table!, 'name')).toEqual(NAMES);
		});

		it(`${format} format: overwritten text offsets are refused naming the batch's byte offset`, async () => {
			const bytes = tableToIPC(table(), format);
			const offsets = find(bytes, nameOffsets());
			new DataView(bytes.buffer, bytes.byteOffset).setInt32(offsets + 12, 0x7fff0000, true);
			const r = await read(bytes);
			expect(r.error).toBe(
				`'${r.path}' has damaged Arrow IPC data: record batch 0 at ` +
					`byte ${batchStart(bytes, offsets)}, column 'name': its text offsets go from 5 to ` +
					`2147418112 at row 2 (data of 24 bytes)`
			);
		});
	}

	it('stream format: a body cut short is refused naming the batch and where the data ends', async () => {
		const whole = tableToIPC(table(), 'stream');
		const offsets = find(whole, nameOffsets());
		const cut = whole.slice(0, offsets + 8);
		const r = await read(cut);
		expect(r.error).toMatch(
			new RegExp(
				`'${r.path}' has damaged Arrow IPC data: record batch 0 at byte ${batchStart(whole, offsets)} ` +
					`declares a body of \\d+ bytes, but the data ends after \\d+ of them \\(at byte ${offsets + 8}\\): it is cut short`
			)
		);
	});

	it('stream format: a buffer region past the body is refused', async () => {
		const bytes = tableToIPC(table(), 'stream');
		const offsets = find(bytes, nameOffsets());
		const start = batchStart(bytes, offsets);
		// The last buffer region of the batch's metadata (offset, length: two int64s) is made to
		// run 1 GiB past the body.
		const metaLength = new DataView(bytes.buffer, bytes.byteOffset).getInt32(start + 4, true);
		const message = Message.decode(bytes.subarray(start + 8, start + 8 + metaLength));
		const last = (message.header() as { buffers: { offset: number; length: number }[] }).buffers.at(
			-1
		)!;
		const region = new Uint8Array(
			new BigInt64Array([BigInt(last.offset), BigInt(last.length)]).buffer
		);
		const at = find(bytes.subarray(start, offsets), region) + start;
		new DataView(bytes.buffer, bytes.byteOffset).setBigInt64(at + 8, 1n << 30n, true);
		const r = await read(bytes);
		expect(r.error).toContain(
			`has damaged Arrow IPC data: record batch 0 at byte ${start}: buffer`
		);
		expect(r.error).toContain("lies outside the batch's body");
	});

	it('an empty file says it is empty', async () => {
		const r = await read(new Uint8Array(0));
		expect(r.error).toMatch(/f\d+\.arrow' is empty \(0 bytes\)/);
	});

	it('a validity bitmap that disagrees with the null count is named', () => {
		const data = makeData({
			type: new Int32(),
			length: 8,
			nullCount: 1,
			nullBitmap: Uint8Array.of(0b1111_1100),
			data: new Int32Array(8)
		}) as Data;
		expect(checkColumn(data)).toBe('its validity bitmap marks 2 nulls where the batch says 1');
	});
});

describe('an empty Parquet or JSON file', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sluice-empty-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it.each([
		['parquet', '', 'is empty (0 bytes): it is not a Parquet file'],
		['json', '', 'is empty: it has no JSON records'],
		['json', '\ufeff\n', 'is empty: it has no JSON records']
	])('%s %j says it is empty', async (kind, text, said) => {
		const path = join(dir, `empty.${kind}`);
		writeFileSync(path, text);
		const doc = line({ id: 'src', kind, params: { source: path } }, { id: 'out', kind: 'collect' });
		const problems = await probeDocumentDatasets(doc, new DatasetRegistry());
		expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(`'${path}' ${said}`)]);
	});
});
