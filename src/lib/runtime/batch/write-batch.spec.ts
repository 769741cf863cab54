import { describe, expect, it } from 'vitest';
import { readColumns } from './reader';
import { readRecordBatch, textDecoderAcceptsShared } from './record-batch';
import { columnViewOf, recordBatchOf, type Cell } from './testing/fixtures';
import type { FrameSchema } from './types';
import { valueAt } from './values';
import { measureBatch, writeBatch } from './write-batch';

const SCHEMA: FrameSchema = {
	names: ['id', 'when', 'name', 'flag', 'big'],
	types: ['int32', 'timestamp', 'utf8', 'bool', 'uint64']
};
const CELLS: Cell[][] = [
	[7, null, -1],
	[1_700_000_000_000n, -5n, null],
	['α', '', null],
	[true, null, false],
	[0n, 2n ** 64n - 1n, null]
];
const batch = () => ({ length: 3, columns: CELLS.map((c, i) => columnViewOf(SCHEMA.types[i], c)) });

describe('writeBatch', () => {
	it('hands out views whose buffer is the SharedArrayBuffer itself, raw and through Arrow', () => {
		const sab = new SharedArrayBuffer(2048);
		const length = writeBatch(batch(), SCHEMA, sab, 8, 2000);
		const view = readColumns(SCHEMA, sab, 8, length);
		for (const col of view.columns) {
			expect(col.values.buffer).toBe(sab);
			if (col.validity) expect(col.validity.buffer).toBe(sab);
		}
		const arrow = readRecordBatch(SCHEMA, sab, 8, length);
		expect(textDecoderAcceptsShared()).toBe(true); // Node: 'auto' keeps strings shared too
		for (let i = 0; i < SCHEMA.types.length; i++) {
			const data = arrow.getChildAt(i)?.data[0];
			expect(data?.values.buffer).toBe(sab);
			if (data?.nullCount) expect(data.nullBitmap.buffer).toBe(sab);
		}
		expect(arrow.getChildAt(2)?.data[0].valueOffsets.buffer).toBe(sab);
		// A write through the shared bytes shows up in the Arrow vector: no copy was made.
		(view.columns[0].values as Int32Array)[0] = 99;
		expect(arrow.getChildAt(0)?.get(0)).toBe(99);
	});

	it('returns -1 and writes nothing when the batch does not fit, and fits exactly at measureBatch', () => {
		const need = measureBatch(batch(), SCHEMA);
		const sab = new SharedArrayBuffer(need + 64);
		new Uint8Array(sab).fill(0x77);
		expect(writeBatch(batch(), SCHEMA, sab, 32, need - 1)).toBe(-1);
		expect(new Uint8Array(sab).every((b) => b === 0x77)).toBe(true);
		expect(writeBatch(batch(), SCHEMA, sab, 32, need)).toBe(need);
		const view = readColumns(SCHEMA, sab, 32, need);
		expect(CELLS.map((_, i) => [0, 1, 2].map((r) => valueAt(view.columns[i], r)))).toEqual(CELLS);
	});

	it('copies a sliced Arrow batch (non-zero column offsets) and measures it the same', () => {
		const views = CELLS.map((c, i) => columnViewOf(SCHEMA.types[i], c));
		const sliced = recordBatchOf(SCHEMA, views, 3).slice(1, 3);
		const sab = new SharedArrayBuffer(1024);
		const length = writeBatch(sliced, SCHEMA, sab, 0, 1024);
		expect(length).toBe(measureBatch(sliced, SCHEMA));
		const view = readColumns(SCHEMA, sab, 0, length);
		expect(view.columns.map((c) => [valueAt(c, 0), valueAt(c, 1)])).toEqual(
			CELLS.map((c) => c.slice(1))
		);
	});

	it('refuses a batch that does not match the schema, naming the column', () => {
		const sab = new SharedArrayBuffer(1024);
		const wrong = {
			...SCHEMA,
			types: SCHEMA.types.map((t, i) => (i === 1 ? 'int64' : t))
		} as FrameSchema;
		expect(() => writeBatch(batch(), wrong, sab, 0, 1024)).toThrow(
			"column 1 'when' is timestamp, the schema says int64"
		);
		expect(() => measureBatch({ length: 3, columns: [] }, SCHEMA)).toThrow(
			/0 columns but the schema has 5/
		);
		const arrow = recordBatchOf(SCHEMA, batch().columns, 3);
		expect(() => writeBatch(arrow, wrong, sab, 0, 1024)).toThrow(
			/column 1 'when' is Arrow Timestamp/
		);
		expect(() => writeBatch(batch(), SCHEMA, sab, 12, 512)).toThrow(/multiple of 8/);
	});
});
