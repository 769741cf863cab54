import { describe, expect, it } from 'vitest';
import { frameBytes } from './layout';
import { readColumns } from './reader';
import { readRecordBatch } from './record-batch';
import type { FrameSchema } from './types';
import { stringAt, valueAt } from './values';
import { FrameWriter } from './writer';

const SCHEMA: FrameSchema = {
	names: ['qty', 'price', 'label', 'ok'],
	types: ['int32', 'float64', 'utf8', 'bool']
};
const encoder = new TextEncoder();

/** What a kernel does: fill the columns row by row, mark some nulls, finish. */
function fill(writer: FrameWriter, rows: number, tag: string): void {
	const qty = writer.column(0).values as Int32Array;
	const price = writer.column(1).values as Float64Array;
	const label = writer.column(2);
	const bytes = label.values as Uint8Array;
	const offsets = label.offsets as Int32Array;
	const ok = writer.column(3).values as Uint8Array;
	let at = 0;
	for (let r = 0; r < rows; r++) {
		qty[r] = r * 3;
		price[r] = r / 4;
		if (r % 5 === 2) writer.setNull(2, r);
		else at += encoder.encodeInto(`${tag}${r}✓`, bytes.subarray(at)).written;
		offsets[r + 1] = at;
		if (r % 3 === 0) ok[r >>> 3] |= 1 << (r & 7);
		if (r % 7 === 6) writer.setNull(1, r);
	}
}

function expectRows(
	schema: FrameSchema,
	sab: SharedArrayBuffer,
	offset: number,
	length: number,
	rows: number,
	tag: string
): void {
	const view = readColumns(schema, sab, offset, length);
	const arrow = readRecordBatch(schema, sab, offset, length);
	expect(view.length).toBe(rows);
	for (let r = 0; r < rows; r++) {
		const label = r % 5 === 2 ? null : `${tag}${r}✓`;
		const price = r % 7 === 6 ? null : r / 4;
		expect(view.columns.map((c) => valueAt(c, r))).toEqual([r * 3, price, label, r % 3 === 0]);
		expect(arrow.get(r)?.toJSON()).toEqual({ qty: r * 3, price, label, ok: r % 3 === 0 });
	}
	expect(view.columns.map((c) => c.nullCount)).toEqual([
		0,
		Math.floor(rows / 7),
		Math.floor((rows + 2) / 5),
		0
	]);
	expect(view.columns[0].validity).toBeNull();
}

describe('FrameWriter', () => {
	it('round-trips a kernel-style fill of int32, float64, utf8 and bool columns with nulls', () => {
		const writer = new FrameWriter(SCHEMA);
		const sab = new SharedArrayBuffer(1 << 16);
		expect(writer.begin(sab, 64, 1 << 15, 100, [0, 0, 2000, 0])).toBe(true);
		fill(writer, 37, 'a');
		const length = writer.finish(37);
		expect(length).toBe(frameBytes(SCHEMA, 100, [0, 0, 2000, 0], [true, true, true, true]));
		expectRows(SCHEMA, sab, 64, length, 37, 'a');
	});

	it('is reused across batches and buffers, leaving finished frames intact', () => {
		const writer = new FrameWriter(SCHEMA);
		const a = new SharedArrayBuffer(1 << 15);
		const b = new SharedArrayBuffer(1 << 15);
		writer.begin(a, 0, 1 << 14, 50, [0, 0, 1000, 0]);
		fill(writer, 50, 'x');
		const first = writer.finish(50);
		writer.begin(a, 1 << 14, 1 << 14, 20, [0, 0, 500, 0]);
		fill(writer, 20, 'y');
		const second = writer.finish(20);
		writer.begin(b, 8, 1 << 14, 0);
		const empty = writer.finish(0);
		expectRows(SCHEMA, a, 0, first, 50, 'x');
		expectRows(SCHEMA, a, 1 << 14, second, 20, 'y');
		expect(readColumns(SCHEMA, b, 8, empty).length).toBe(0);
	});

	it('gives utf8 columns the room the fixed-width buffers leave when no utf8 capacity is given', () => {
		const writer = new FrameWriter(SCHEMA);
		const sab = new SharedArrayBuffer(4096);
		expect(writer.begin(sab, 0, 4096, 10)).toBe(true);
		const room = writer.column(2).values.length;
		expect(room).toBe(4096 - frameBytes(SCHEMA, 10, [], [true, true, true, true]));
		fill(writer, 10, 'long-ish label ');
		expectRows(SCHEMA, sab, 0, writer.finish(10), 10, 'long-ish label ');
	});

	it('hands out all-valid validity and zeroed bool bits even over dirty memory', () => {
		const sab = new SharedArrayBuffer(4096);
		new Uint8Array(sab).fill(0x5a);
		const writer = new FrameWriter({ names: ['b'], types: ['bool'] });
		writer.begin(sab, 0, 4096, 20);
		expect(Array.from(writer.column(0).validity ?? [])).toEqual([255, 255, 255]);
		expect(Array.from(writer.column(0).values as Uint8Array)).toEqual([0, 0, 0]);
		const length = writer.finish(20);
		const col = readColumns({ names: ['b'], types: ['bool'] }, sab, 0, length).columns[0];
		expect(col.nullCount).toBe(0);
		expect(valueAt(col, 19)).toBe(false);
	});

	it('refuses to begin when the frame would not fit, writing nothing', () => {
		const writer = new FrameWriter(SCHEMA);
		const need = frameBytes(SCHEMA, 100, [0, 0, 800, 0], [true, true, true, true]);
		const sab = new SharedArrayBuffer(need + 16);
		new Uint8Array(sab).fill(0xc3);
		expect(writer.begin(sab, 8, need - 1, 100, [0, 0, 800, 0])).toBe(false);
		expect(new Uint8Array(sab).every((b) => b === 0xc3)).toBe(true);
		expect(() => writer.finish(0)).toThrow(/without a successful begin/);
		expect(writer.begin(sab, 8, need, 100, [0, 0, 800, 0])).toBe(true);
	});

	it('refuses setup mistakes with errors naming the option', () => {
		const writer = new FrameWriter(SCHEMA);
		const sab = new SharedArrayBuffer(4096);
		expect(() => writer.begin(sab, 4, 1024, 10)).toThrow(
			/byteOffset must be a non-negative multiple of 8/
		);
		expect(() => writer.begin(sab, 0, 8192, 10)).toThrow(/capacity 8192 at byteOffset 0 runs past/);
		expect(() => writer.begin(sab, 0, 1024, -1)).toThrow(/rowCapacity must be/);
		writer.begin(sab, 0, 4096, 10, [0, 0, 16, 0]);
		expect(() => writer.finish(11)).toThrow(/rows must be an integer in 0..10/);
		writer.begin(sab, 0, 4096, 10, [0, 0, 16, 0]);
		(writer.column(2).offsets as Int32Array)[1] = 17;
		expect(() => writer.finish(1)).toThrow(
			/column 2 'label': offsets\[1\] = 17 is outside its 16 value bytes/
		);
		expect(() => new FrameWriter({ names: ['a'], types: [] })).toThrow(/1 names but 0 types/);
	});

	it('stringAt reads strings straight out of the column the kernel is filling', () => {
		const writer = new FrameWriter(SCHEMA);
		const sab = new SharedArrayBuffer(4096);
		writer.begin(sab, 0, 4096, 8);
		fill(writer, 4, 'k');
		expect([0, 1, 3].map((r) => stringAt(writer.column(2), r))).toEqual(['k0✓', 'k1✓', 'k3✓']);
	});
});
