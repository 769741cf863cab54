// ColumnStore: rows copied out of batch frames into growable typed arrays, for kernels that must
// keep their input after the host releases its pool block (sort, top-k, the build side of a
// join). Each column is a ColumnView in the frame layout (validity and bool values as LSB-first
// bitmaps, utf8 as offsets + bytes), so code that reads frame columns reads a store's columns
// the same way, and `gatherInto` can write store rows straight into an output frame.
//
// Thread: the one worker running the kernel; a store lives on that worker's JS heap, never in
// the pool. Arrays grow by doubling (copying the rows held); the views' `values`, `validity`
// and `offsets` are replaced when they grow, so hold the ColumnView, not its arrays, across
// appends. Every column has a validity bitmap (all ones for valid rows); `nullCount` says
// whether any bit is clear.
import type { BatchView, ColumnType, ColumnValues, ColumnView } from '../../runtime/contracts';
import { elementBytes } from '../../runtime/batch/types';

const MIN_ROWS = 1024;
/** utf8 offsets are int32: a column's bytes must stay below 2 GiB. */
const MAX_UTF8_BYTES = 0x7fffffff;

type TypedCtor = new (length: number) => ColumnValues;

function ctorOf(type: ColumnType): TypedCtor {
	switch (type) {
		case 'int8':
			return Int8Array;
		case 'int16':
			return Int16Array;
		case 'int32':
		case 'date32':
			return Int32Array;
		case 'int64':
		case 'timestamp':
			return BigInt64Array;
		case 'uint16':
			return Uint16Array;
		case 'uint32':
			return Uint32Array;
		case 'uint64':
			return BigUint64Array;
		case 'float32':
			return Float32Array;
		case 'float64':
			return Float64Array;
		case 'uint8':
		case 'bool':
		case 'utf8':
			return Uint8Array;
	}
}

function grown<T extends ColumnValues>(old: T, length: number, keep: number): T {
	const next = new (old.constructor as new (n: number) => T)(length);
	(next as unknown as Int32Array).set((old as unknown as Int32Array).subarray(0, keep));
	return next;
}

export class ColumnStore {
	readonly columns: ColumnView[];
	rows = 0;
	private capacity = 0;

	constructor(readonly types: readonly ColumnType[]) {
		this.columns = types.map((type) => ({
			type,
			length: 0,
			nullCount: 0,
			validity: new Uint8Array(0),
			offsets: type === 'utf8' ? new Int32Array(1) : null,
			values: new (ctorOf(type))(0)
		}));
	}

	/** The rows held, as a batch (the views are the store's own; valid until the next append). */
	get view(): BatchView {
		return { length: this.rows, columns: this.columns };
	}

	/** Bytes the rows occupy (values, validity, offsets); capacity slack is not counted. */
	bytes(): number {
		const rows = this.rows;
		const bitmap = (rows + 7) >>> 3;
		let total = 0;
		for (const col of this.columns) {
			total += bitmap;
			if (col.type === 'utf8') total += (rows + 1) * 4 + col.offsets![rows];
			else if (col.type === 'bool') total += bitmap;
			else total += rows * elementBytes(col.type);
		}
		return total;
	}

	/** Copies `count` live rows of `view` (rows `selection[i]`, or 0..count-1 when null). */
	append(view: BatchView, selection: Uint32Array | null, count: number): void {
		if (view.columns.length !== this.columns.length)
			throw new RangeError(
				`batch has ${view.columns.length} columns, the store ${this.columns.length}`
			);
		if (count === 0) return;
		this.reserve(this.rows + count);
		const at = this.rows;
		for (let c = 0; c < this.columns.length; c++)
			this.appendColumn(view.columns[c], this.columns[c], selection, count, at);
		this.rows += count;
		for (const col of this.columns) col.length = this.rows;
	}

	/** Drops every row (keeps the arrays for reuse). */
	clear(): void {
		this.rows = 0;
		for (const col of this.columns) {
			col.length = 0;
			col.nullCount = 0;
		}
	}

	private reserve(rows: number): void {
		if (rows <= this.capacity) return;
		let capacity = Math.max(MIN_ROWS, this.capacity);
		while (capacity < rows) capacity *= 2;
		const keep = this.rows;
		for (const col of this.columns) {
			col.validity = grown(col.validity!, (capacity + 7) >>> 3, (keep + 7) >>> 3);
			if (col.type === 'utf8') col.offsets = grown(col.offsets!, capacity + 1, keep + 1);
			else if (col.type === 'bool')
				col.values = grown(col.values, (capacity + 7) >>> 3, (keep + 7) >>> 3);
			else col.values = grown(col.values, capacity, keep);
		}
		this.capacity = capacity;
	}

	private appendColumn(
		from: ColumnView,
		to: ColumnView,
		selection: Uint32Array | null,
		count: number,
		at: number
	): void {
		if (from.type === 'utf8') appendUtf8(from, to, selection, count, at);
		else if (from.type === 'bool') {
			const fv = from.values as Uint8Array;
			copyBitsAt(fv, to.values as Uint8Array, selection, count, at);
		} else {
			const fv = from.values as unknown as { [i: number]: number | bigint };
			const tv = to.values as unknown as { [i: number]: number | bigint };
			if (selection) for (let i = 0; i < count; i++) tv[at + i] = fv[selection[i]];
			else (to.values as Int32Array).set(from.values.subarray(0, count) as Int32Array, at);
		}
		// Validity: copy the bits when the batch has nulls, else set them all.
		const validity = to.validity!;
		if (from.nullCount > 0 && from.validity) {
			copyBitsAt(from.validity, validity, selection, count, at);
			let nulls = 0;
			for (let i = 0; i < count; i++) {
				const r = at + i;
				if (!((validity[r >>> 3] >>> (r & 7)) & 1)) nulls++;
			}
			to.nullCount += nulls;
		} else {
			for (let i = 0; i < count; i++) {
				const r = at + i;
				validity[r >>> 3] |= 1 << (r & 7);
			}
		}
	}
}

/** Sets bits at..at+count-1 of `to` from bits `selection[i]` (or i) of `from`. */
function copyBitsAt(
	from: Uint8Array,
	to: Uint8Array,
	selection: Uint32Array | null,
	count: number,
	at: number
): void {
	for (let i = 0; i < count; i++) {
		const r = selection ? selection[i] : i;
		const w = at + i;
		if ((from[r >>> 3] >>> (r & 7)) & 1) to[w >>> 3] |= 1 << (w & 7);
		else to[w >>> 3] &= ~(1 << (w & 7));
	}
}

function appendUtf8(
	from: ColumnView,
	to: ColumnView,
	selection: Uint32Array | null,
	count: number,
	at: number
): void {
	const fo = from.offsets!;
	const fv = from.values as Uint8Array;
	let need = 0;
	if (selection) for (let i = 0; i < count; i++) need += fo[selection[i] + 1] - fo[selection[i]];
	else need = fo[count] - fo[0];
	const offsets = to.offsets!;
	const used = offsets[at];
	if (used + need > MAX_UTF8_BYTES)
		throw new RangeError('a string column of the rows held passes 2 GiB: filter first');
	let bytes = to.values as Uint8Array;
	if (used + need > bytes.length) {
		let length = Math.max(4096, bytes.length);
		while (length < used + need) length *= 2;
		bytes = to.values = grown(bytes, Math.min(length, MAX_UTF8_BYTES), used);
	}
	if (!selection) {
		bytes.set(fv.subarray(fo[0], fo[count]), used);
		const shift = used - fo[0];
		for (let i = 1; i <= count; i++) offsets[at + i] = fo[i] + shift;
		return;
	}
	let w = used;
	for (let i = 0; i < count; i++) {
		const r = selection[i];
		const start = fo[r];
		const end = fo[r + 1];
		bytes.set(fv.subarray(start, end), w);
		w += end - start;
		offsets[at + i + 1] = w;
	}
}
