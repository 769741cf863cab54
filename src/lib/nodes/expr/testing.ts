// Test fixtures: ColumnViews and batches built from plain JS arrays, and back. Not for
// production paths (allocates freely).

import type { BatchView, ColumnType, ColumnView, ColumnValues } from '../../runtime/contracts';
import { parseDateLiteral, parseTimestampLiteral } from './dates';
import { checkExpression, evaluate } from './evaluate';
import { getBit } from './vectors';

export type Cell = number | bigint | boolean | string | null;

const ARRAYS: Partial<
	Record<
		ColumnType,
		{ BYTES_PER_ELEMENT: number; new (b: ArrayBufferLike, o: number, n: number): ColumnValues }
	>
> = {
	int8: Int8Array,
	int16: Int16Array,
	int32: Int32Array,
	int64: BigInt64Array,
	uint8: Uint8Array,
	uint16: Uint16Array,
	uint32: Uint32Array,
	uint64: BigUint64Array,
	float32: Float32Array,
	float64: Float64Array,
	date32: Int32Array,
	timestamp: BigInt64Array
};

function buffer(bytes: number, shared: boolean): ArrayBufferLike {
	const size = Math.max(8, Math.ceil(bytes / 8) * 8);
	return shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
}

function cellNumber(type: ColumnType, cell: Cell): number {
	if (typeof cell === 'string' && type === 'date32') return parseDateLiteral(cell) ?? NaN;
	if (typeof cell === 'string' && type === 'timestamp') return parseTimestampLiteral(cell) ?? NaN;
	return Number(cell);
}

/**
 * A column of `type` holding `cells` (null = null). Dates may be given as days or "YYYY-MM-DD",
 * timestamps as ms or ISO text. `shared` puts every buffer in a SharedArrayBuffer.
 */
export function makeColumn(type: ColumnType, cells: readonly Cell[], shared = false): ColumnView {
	const n = cells.length;
	const nullCount = cells.filter((c) => c === null).length;
	let validity: Uint8Array | null = null;
	if (nullCount > 0) {
		validity = new Uint8Array(buffer((n + 7) >>> 3, shared), 0, (n + 7) >>> 3);
		cells.forEach((c, i) => {
			if (c !== null) validity![i >>> 3] |= 1 << (i & 7);
		});
	}
	const base = { type, length: n, nullCount, validity };
	if (type === 'bool') {
		const bits = new Uint8Array(buffer((n + 7) >>> 3, shared), 0, (n + 7) >>> 3);
		cells.forEach((c, i) => {
			if (c === true) bits[i >>> 3] |= 1 << (i & 7);
		});
		return { ...base, offsets: null, values: bits };
	}
	if (type === 'utf8') {
		const encoded = cells.map((c) => new TextEncoder().encode(c === null ? '' : String(c)));
		const total = encoded.reduce((s, e) => s + e.length, 0);
		const bytes = new Uint8Array(buffer(total, shared), 0, total);
		const offsets = new Int32Array(buffer(4 * (n + 1), shared), 0, n + 1);
		encoded.forEach((e, i) => {
			bytes.set(e, offsets[i]);
			offsets[i + 1] = offsets[i] + e.length;
		});
		return { ...base, offsets, values: bytes };
	}
	const Ctor = ARRAYS[type]!;
	const values = new Ctor(buffer(n * Ctor.BYTES_PER_ELEMENT, shared), 0, n);
	cells.forEach((c, i) => {
		if (
			typeof c === 'bigint' &&
			(values instanceof BigInt64Array || values instanceof BigUint64Array)
		) {
			values[i] = c;
			return;
		}
		const x = c === null ? 0 : cellNumber(type, c);
		if (values instanceof BigInt64Array || values instanceof BigUint64Array)
			values[i] = BigInt(Math.trunc(x));
		else values[i] = x;
	});
	return { ...base, offsets: null, values };
}

export function makeBatch(...columns: ColumnView[]): BatchView {
	return { length: columns.length ? columns[0].length : 0, columns };
}

/**
 * The column's cells as JS values: numbers (64-bit ints of 2^53 or more as bigint, exactly),
 * booleans, strings, null.
 */
export function columnCells(col: ColumnView): (number | bigint | boolean | string | null)[] {
	const out: (number | bigint | boolean | string | null)[] = [];
	const decoder = new TextDecoder();
	for (let i = 0; i < col.length; i++) {
		if (col.validity !== null && col.nullCount > 0 && !getBit(col.validity, i)) out.push(null);
		else if (col.type === 'bool') out.push(getBit(col.values as Uint8Array, i));
		else if (col.type === 'utf8') {
			const bytes = (col.values as Uint8Array).slice(col.offsets![i], col.offsets![i + 1]);
			out.push(decoder.decode(bytes));
		} else {
			const x = col.values[i];
			const wide = typeof x === 'bigint' && (x > SAFE_BIG || x < -SAFE_BIG);
			out.push(wide ? x : Number(x));
		}
	}
	return out;
}

const SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** Named test columns: `{ amount: ['float64', [1.5, null]] }`. All must have the same length. */
export type TableSpec = Record<string, [ColumnType, readonly Cell[]]>;

export function fieldsOf(table: TableSpec): { name: string; type: ColumnType }[] {
	return Object.entries(table).map(([name, [type]]) => ({ name, type }));
}

export function batchOf(table: TableSpec, shared = false): BatchView {
	const columns = Object.values(table).map(([type, cells]) => makeColumn(type, cells, shared));
	const length = columns.length ? columns[0].length : 0;
	return { length, columns };
}

/** Checks, evaluates and decodes `source` over `table`; throws with the messages on errors. */
export function evaluateCells(
	source: string,
	table: TableSpec,
	shared = false
): (number | bigint | boolean | string | null)[] {
	const r = checkExpression(source, fieldsOf(table));
	if (!r.ok) throw new Error(`${source}: ${r.errors.map((e) => e.message).join('; ')}`);
	return columnCells(evaluate(r.program, batchOf(table, shared)));
}
