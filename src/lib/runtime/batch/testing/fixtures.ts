// Test fixtures for batch frames: random column data from a seeded generator, the same data as
// raw ColumnViews (non-shared buffers) or an Arrow RecordBatch, and a checksum both threads of
// a two-thread test compute. Test-only; environment-neutral (no Node imports).
import { Data, makeData, RecordBatch, Struct, type Vector } from 'apache-arrow';
import type { BatchView, ColumnType, ColumnView } from '../../contracts';
import type { Prng } from '../../testing/prng';
import { toArrowSchema, type FrameSchema } from '../types';
import { valueAt } from '../values';

/** One cell as valueAt returns it. */
export type Cell = number | bigint | boolean | string | null;
export type NullPattern = 'none' | 'all' | 'random';

const PIECES = ['a', 'Z', '0', ' ', 'é', 'ß', '中', '文', '😀', '🚀', 'ア', '\u0000', '"', ','];

function randomString(prng: Prng): string {
	if (prng.chance(0.15)) return '';
	const n = prng.int(1, prng.chance(0.9) ? 8 : 40);
	let s = '';
	for (let i = 0; i < n; i++)
		s += prng.chance(0.6) ? String.fromCharCode(prng.int(32, 126)) : prng.pick(PIECES);
	return s;
}

function random64(prng: Prng): bigint {
	return (BigInt(prng.int(0, 0xffffffff)) << 32n) | BigInt(prng.int(0, 0xffffffff));
}

const SPECIAL_FLOATS = [0, -0, NaN, Infinity, -Infinity, 1e-300, -1.5];

function randomValue(prng: Prng, type: ColumnType): Exclude<Cell, null> {
	switch (type) {
		case 'int8':
			return prng.int(-128, 127);
		case 'int16':
			return prng.int(-32768, 32767);
		case 'int32':
			return prng.int(-2147483648, 2147483647);
		case 'uint8':
			return prng.int(0, 255);
		case 'uint16':
			return prng.int(0, 65535);
		case 'uint32':
			return prng.int(0, 0xffffffff);
		case 'int64':
			return BigInt.asIntN(64, random64(prng));
		case 'uint64':
			return BigInt.asUintN(64, random64(prng));
		case 'float32':
			return Math.fround(prng.chance(0.05) ? prng.pick(SPECIAL_FLOATS) : (prng.next() - 0.5) * 1e6);
		case 'float64':
			return prng.chance(0.05) ? prng.pick(SPECIAL_FLOATS) : (prng.next() - 0.5) * 1e12;
		case 'bool':
			return prng.chance(0.5);
		case 'utf8':
			return randomString(prng);
		case 'date32':
			return prng.int(-100_000, 100_000);
		case 'timestamp':
			return BigInt(prng.int(-4e12, 4e12));
	}
}

export function randomCells(
	prng: Prng,
	type: ColumnType,
	rows: number,
	nulls: NullPattern
): Cell[] {
	const cells = new Array<Cell>(rows);
	for (let r = 0; r < rows; r++) {
		const isNull = nulls === 'all' || (nulls === 'random' && prng.chance(0.3));
		cells[r] = isNull ? null : randomValue(prng, type);
	}
	return cells;
}

const encoder = new TextEncoder();

/** Writes `cells` into a column view laid out like a frame column (validity all-valid first). */
export function fillColumn(view: ColumnView, cells: Cell[], setNull: (row: number) => void): void {
	const { values, offsets } = view;
	let at = 0;
	for (let r = 0; r < cells.length; r++) {
		const cell = cells[r];
		if (cell === null) setNull(r);
		if (view.type === 'utf8') {
			if (typeof cell === 'string')
				at += encoder.encodeInto(cell, (values as Uint8Array).subarray(at)).written;
			(offsets as Int32Array)[r + 1] = at;
		} else if (view.type === 'bool') {
			if (cell === true) (values as Uint8Array)[r >>> 3] |= 1 << (r & 7);
		} else if (cell !== null) {
			(values as unknown as (number | bigint)[])[r] = cell as number | bigint;
		}
	}
}

/** UTF-8 bytes of a utf8 column's cells. */
export function utf8Length(cells: Cell[]): number {
	let n = 0;
	for (const cell of cells) if (typeof cell === 'string') n += encoder.encode(cell).length;
	return n;
}

/** The cells as a raw ColumnView over fresh non-shared buffers. */
export function columnViewOf(type: ColumnType, cells: Cell[]): ColumnView {
	const rows = cells.length;
	const nullCount = cells.filter((c) => c === null).length;
	const validity = nullCount > 0 ? new Uint8Array((rows + 7) >>> 3).fill(0xff) : null;
	const view: ColumnView = {
		type,
		length: rows,
		nullCount,
		validity,
		offsets: type === 'utf8' ? new Int32Array(rows + 1) : null,
		values: newValues(type, type === 'utf8' ? utf8Length(cells) : rows)
	};
	fillColumn(view, cells, (r) => {
		if (validity !== null) validity[r >>> 3] &= ~(1 << (r & 7));
	});
	return view;
}

function newValues(type: ColumnType, n: number): ColumnView['values'] {
	const buffer = new ArrayBuffer(Math.max(8, n * 8));
	return type === 'bool'
		? new Uint8Array(buffer, 0, (n + 7) >>> 3)
		: (valuesOf(type, buffer, n) as ColumnView['values']);
}

function valuesOf(type: ColumnType, buffer: ArrayBuffer, n: number) {
	switch (type) {
		case 'int8':
			return new Int8Array(buffer, 0, n);
		case 'int16':
			return new Int16Array(buffer, 0, n);
		case 'int32':
		case 'date32':
			return new Int32Array(buffer, 0, n);
		case 'int64':
		case 'timestamp':
			return new BigInt64Array(buffer, 0, n);
		case 'uint16':
			return new Uint16Array(buffer, 0, n);
		case 'uint32':
			return new Uint32Array(buffer, 0, n);
		case 'uint64':
			return new BigUint64Array(buffer, 0, n);
		case 'float32':
			return new Float32Array(buffer, 0, n);
		case 'float64':
			return new Float64Array(buffer, 0, n);
		default:
			return new Uint8Array(buffer, 0, n);
	}
}

/** The columns as an Arrow RecordBatch (built over the same non-shared buffers). */
export function recordBatchOf(schema: FrameSchema, views: ColumnView[], rows: number): RecordBatch {
	const arrow = toArrowSchema(schema);
	const children = views.map(
		(v, i) =>
			new Data(arrow.fields[i].type, 0, v.length, v.nullCount, {
				0: v.offsets ?? undefined,
				1: v.values,
				2: v.validity ?? new Uint8Array(0)
			})
	);
	const struct = makeData({ type: new Struct(arrow.fields), length: rows, nullCount: 0, children });
	return new RecordBatch(arrow, struct);
}

/** What Arrow's `Vector.get` returns for a cell: date32 and timestamp as ms numbers. */
export function arrowValueOf(type: ColumnType, cell: Cell): unknown {
	if (cell === null) return null;
	if (type === 'date32') return (cell as number) * 86_400_000;
	if (type === 'timestamp') return Number(cell);
	return cell;
}

/** The cell an Arrow `get` value stands for (inverse of arrowValueOf). */
export function cellOfArrow(type: ColumnType, value: unknown): Cell {
	if (value === null || value === undefined) return null;
	if (type === 'date32') return (value as number) / 86_400_000;
	if (type === 'timestamp') return BigInt(value as number);
	return value as Cell;
}

function mix(h: number, n: number): number {
	return Math.imul(h ^ n, 16777619) >>> 0;
}

/** A hash of every cell in column-major order; equal data gives equal checksums. */
export function checksumCells(columns: Iterable<Cell>[]): number {
	let h = 2166136261;
	for (const cells of columns) {
		h = mix(h, 0x5eed);
		for (const cell of cells) {
			const s =
				cell === null
					? '\u0001null'
					: `${typeof cell}:${Object.is(cell, -0) ? '-0' : String(cell)}`;
			for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
		}
	}
	return h;
}

/** checksumCells over a raw BatchView, read with valueAt. */
export function checksumView(batch: BatchView): number {
	return checksumCells(
		batch.columns.map((col) => Array.from({ length: batch.length }, (_, r) => valueAt(col, r)))
	);
}

/** checksumCells over an Arrow RecordBatch, read with Arrow's own getters. */
export function checksumArrow(schema: FrameSchema, batch: RecordBatch): number {
	return checksumCells(
		schema.types.map((type, i) => {
			const vector = batch.getChildAt(i) as Vector;
			return Array.from({ length: batch.numRows }, (_, r) => cellOfArrow(type, vector.get(r)));
		})
	);
}
