import { afterEach, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '../testing/prng';
import {
	D_OFFSETS_OFFSET,
	D_TYPE,
	D_VALUES_BYTES,
	D_VALUES_OFFSET,
	DIR_SLOTS,
	H_BYTE_LENGTH,
	H_COLUMNS,
	H_MAGIC,
	H_ROWS,
	H_VERSION,
	HEADER_SLOTS
} from './layout';
import { FrameError, readColumns } from './reader';
import { readRecordBatch } from './record-batch';
import { checksumView, columnViewOf, type Cell } from './testing/fixtures';
import type { FrameSchema } from './types';
import { stringAt, valueAt } from './values';
import { writeBatch } from './write-batch';

const SCHEMA: FrameSchema = { names: ['id', 'name', 'price'], types: ['int32', 'utf8', 'float64'] };
const CELLS: Cell[][] = [
	[1, 2, null, 4],
	['apple', null, 'käse', '🍐 pear'],
	[0.5, 1.25, 2, null]
];

/** A valid frame of SCHEMA at byte 16 of a fresh SharedArrayBuffer. */
function frame() {
	const columns = CELLS.map((col, i) => columnViewOf(SCHEMA.types[i], col));
	const sab = new SharedArrayBuffer(1024);
	const offset = 16;
	const length = writeBatch({ length: 4, columns }, SCHEMA, sab, offset, 1024 - offset);
	const words = new Int32Array(sab, offset);
	/** Slot `slot` of column `col`'s directory entry, as an index into `words`. */
	const dirSlot = (col: number, slot: number) => HEADER_SLOTS + col * DIR_SLOTS + slot;
	return { sab, offset, length, words, dirSlot };
}

function read(f: ReturnType<typeof frame>, length = f.length) {
	return () => readColumns(SCHEMA, f.sab, f.offset, length);
}

describe('readColumns on a corrupt frame', () => {
	it('reads the valid frame back', () => {
		const f = frame();
		const view = read(f)();
		expect([0, 1, 2, 3].map((r) => valueAt(view.columns[1], r))).toEqual(CELLS[1]);
	});

	it('names a bad magic', () => {
		const f = frame();
		f.words[H_MAGIC] = 0x12345678;
		expect(read(f)).toThrow(FrameError);
		expect(read(f)).toThrow(/bad magic 0x12345678/);
	});

	it('names an unknown version', () => {
		const f = frame();
		f.words[H_VERSION] = 99;
		expect(read(f)).toThrow(/version 99/);
	});

	it('refuses a frame shorter than its header says (truncated)', () => {
		const f = frame();
		expect(read(f, f.length - 8)).toThrow(/says it is \d+ bytes but only \d+ were given/);
		expect(read(f, 12)).toThrow(/shorter than its 32-byte header/);
	});

	it('refuses a frame running past its buffer', () => {
		const f = frame();
		expect(() => readColumns(SCHEMA, f.sab, f.offset, 1024)).toThrow(/runs past its buffer/);
	});

	it('names the column whose values run past the frame end', () => {
		const f = frame();
		f.words[f.dirSlot(2, D_VALUES_OFFSET)] = f.length;
		expect(read(f)).toThrow("frame column 2 'price': values run past the frame end");
	});

	it('names a column count or type that does not match the schema', () => {
		const f = frame();
		f.words[H_COLUMNS] = 2;
		expect(read(f)).toThrow(/frame has 2 columns, the schema 3/);
		const g = frame();
		g.words[g.dirSlot(2, D_TYPE)] = 3;
		expect(read(g)).toThrow(
			"frame column 2 'price': type code 3 (int32) but the schema says float64"
		);
	});

	it('refuses a row count the buffers were not written for', () => {
		const f = frame();
		f.words[H_ROWS] = 3;
		expect(read(f)).toThrow(/validity has 1 bytes|values has \d+ bytes, 3 rows need/);
	});

	it('refuses overlapping, misaligned and out-of-order buffers', () => {
		const f = frame();
		f.words[f.dirSlot(1, D_VALUES_OFFSET)] += 4;
		expect(read(f)).toThrow(/'name': values at \d+ is not 8-byte aligned/);
		const g = frame();
		g.words[g.dirSlot(2, D_VALUES_OFFSET)] = g.words[g.dirSlot(1, D_OFFSETS_OFFSET)];
		expect(read(g)).toThrow(/'price': values at \d+ overlaps the buffer before it/);
		const h = frame();
		h.words[h.dirSlot(0, D_VALUES_OFFSET)] = 8;
		expect(read(h)).toThrow(/overlaps the header or directory/);
	});

	it('refuses utf8 offsets that decrease or disagree with the value bytes', () => {
		const f = frame();
		const at = f.words[f.dirSlot(1, D_OFFSETS_OFFSET)] / 4;
		f.words[at + 2] = 1; // offsets[2] below offsets[1] = 5
		expect(read(f)).toThrow(/'name': offsets\[2\] = 1 is below offsets\[1\] = 5/);
		const g = frame();
		g.words[g.dirSlot(1, D_VALUES_BYTES)] -= 1;
		expect(read(g)).toThrow(/'name': values has \d+ bytes, 4 rows need \d+/);
	});

	it('refuses a header null count the bitmap does not have', () => {
		const f = frame();
		f.words[f.dirSlot(0, 1)] = 2;
		expect(read(f)).toThrow(/'id': null count 2 but the validity bitmap has 1/);
	});

	it('never answers wrongly when any header or directory word is changed (seeded fuzz)', () => {
		const seed = 0xfa11;
		const prng = mulberry32(seed);
		const expected = checksumView(read(frame())());
		const words = HEADER_SLOTS + SCHEMA.types.length * DIR_SLOTS;
		let errors = 0;
		for (let trial = 0; trial < 2000; trial++) {
			const f = frame();
			const slot = prng.int(0, words - 1);
			const old = f.words[slot];
			const mutated = prng.chance(0.5)
				? old + prng.pick([-16, -8, -4, -1, 1, 4, 8, 16])
				: prng.int(-1e6, 1e6);
			f.words[slot] = mutated;
			let sum: number;
			try {
				sum = checksumView(read(f)());
			} catch (error) {
				if (!(error instanceof FrameError))
					throw new Error(
						`seed ${seed} trial ${trial}: slot ${slot} ${old}->${mutated} threw ${String(error)}`,
						{ cause: error }
					);
				errors++;
				continue;
			}
			if (sum !== expected)
				throw new Error(
					`seed ${seed} trial ${trial}: slot ${slot} ${old}->${mutated} read a wrong answer`
				);
		}
		expect(errors).toBeGreaterThan(1000);
	});

	it('readRecordBatch refuses the same corrupt frames', () => {
		const f = frame();
		f.words[H_BYTE_LENGTH] = f.length + 8;
		expect(() => readRecordBatch(SCHEMA, f.sab, f.offset, f.length)).toThrow(FrameError);
	});
});

describe('strings from shared memory', () => {
	afterEach(() => vi.restoreAllMocks());

	/** Makes TextDecoder.decode reject shared views, as Chromium does. */
	function rejectSharedViews() {
		const decode = TextDecoder.prototype.decode;
		return vi.spyOn(TextDecoder.prototype, 'decode').mockImplementation(function (
			this: TextDecoder,
			input?: AllowSharedBufferSource
		) {
			if (input && ArrayBuffer.isView(input) && input.buffer instanceof SharedArrayBuffer)
				throw new TypeError('The provided ArrayBufferView value must not be shared.');
			return decode.call(this, input);
		});
	}

	it('stringAt decodes shared UTF-8 through a non-shared copy, growing it for long strings', () => {
		const long = 'ü'.repeat(5000);
		const schema: FrameSchema = { names: ['s'], types: ['utf8'] };
		const cells: Cell[] = ['', 'plain', null, '日本語 🎌', long];
		const sab = new SharedArrayBuffer(16384);
		const written = writeBatch(
			{ length: 5, columns: [columnViewOf('utf8', cells)] },
			schema,
			sab,
			0,
			16384
		);
		const col = readColumns(schema, sab, 0, written).columns[0];
		const spy = rejectSharedViews();
		expect(cells.map((_, r) => stringAt(col, r))).toEqual(cells);
		expect(spy).toHaveBeenCalled();
	});

	it("readRecordBatch in 'copy' mode gives Arrow non-shared string bytes and keeps the rest shared", () => {
		const f = frame();
		// (apache-arrow bound its decoder at import, so this stub cannot reach Arrow's own getters;
		// what it can show is that in 'copy' mode Arrow reads strings from non-shared bytes.)
		const copied = readRecordBatch(SCHEMA, f.sab, f.offset, f.length, { utf8: 'copy' });
		const names = copied.getChildAt(1);
		expect([0, 1, 2, 3].map((r) => names?.get(r))).toEqual(CELLS[1]);
		expect(copied.get(3)?.toJSON()).toEqual({ id: 4, name: '🍐 pear', price: null });
		// Only the string bytes were copied: offsets, validity and other columns stay shared.
		expect(names?.data[0].values.buffer).not.toBe(f.sab);
		expect(names?.data[0].valueOffsets.buffer).toBe(f.sab);
		expect(copied.getChildAt(0)?.data[0].values.buffer).toBe(f.sab);
	});

	it('stringAt refuses a column that is not utf8', () => {
		const f = frame();
		const col = readColumns(SCHEMA, f.sab, f.offset, f.length).columns[0];
		expect(() => stringAt(col, 0)).toThrow(/needs a utf8 column, got int32/);
	});
});
