// FrameWriter: a kernel fills its output columns straight into a frame (layout.ts) in a pool
// block, then publishes the block on a ring.
//
// Thread: the one worker running the stage; a writer is not shared. Sequence per batch:
//   begin(block)  ->  fill column(i) views, setNull(...)  ->  finish(rows)  ->  ring push.
// begin() reserves rowCapacity rows for every column (validity bitmap for every column, set
// all-valid; bool values zeroed; utf8 offsets[0] = 0), finish(rows) counts the nulls and writes
// the directory and header with plain stores. The ring push publishes them (its Atomics.store);
// nothing may write the frame after finish.
//
// Kernel contract for utf8: write row r's bytes at values[offsets[r]..] and set offsets[r + 1]
// (also for null rows: offsets[r + 1] = offsets[r]); never write past values.length.
//
// Allocation: the constructor allocates everything the writer keeps. Per batch, begin()
// allocates only the typed-array views it hands out (2-3 per column) and, when the buffer
// differs from the previous call's, two whole-buffer views. Columns without nulls are written
// with no validity bitmap (its reserved bytes stay in the frame: nothing is compacted).
import type { ColumnType, ColumnView } from '../contracts';
import { countZeroBits, valuesView } from './bits';
import {
	D_NULL_COUNT,
	D_OFFSETS_BYTES,
	D_OFFSETS_OFFSET,
	D_VALIDITY_BYTES,
	D_VALIDITY_OFFSET,
	D_VALUES_BYTES,
	D_VALUES_OFFSET,
	DIR_SLOTS,
	FRAME_ALIGN,
	FRAME_MAGIC,
	FRAME_VERSION,
	H_BYTE_LENGTH,
	H_COLUMNS,
	H_MAGIC,
	H_ROWS,
	H_VERSION,
	HEADER_SLOTS,
	MAX_FRAME_BYTES,
	planFrame
} from './layout';
import { checkFrameSchema, type FrameSchema } from './types';

export class FrameWriter {
	readonly schema: FrameSchema;
	private readonly types: readonly ColumnType[];
	/** The planned directory of the frame being written. */
	private readonly dir: Int32Array;
	/** Value-byte capacity per column (utf8 columns only). */
	private readonly utf8Capacity: number[];
	private readonly views: ColumnView[];
	private readonly utf8Count: number;
	private buffer: ArrayBufferLike | null = null;
	private bytes: Uint8Array = new Uint8Array(0);
	private words: Int32Array = new Int32Array(0);
	private base = 0;
	private rowCapacity = 0;
	private frameLength = 0;
	private open = false;

	constructor(schema: FrameSchema) {
		checkFrameSchema(schema);
		this.schema = schema;
		this.types = schema.types.slice();
		const n = this.types.length;
		this.dir = new Int32Array(n * DIR_SLOTS);
		this.utf8Capacity = new Array<number>(n).fill(0);
		this.utf8Count = this.types.filter((t) => t === 'utf8').length;
		this.views = this.types.map((type) => ({
			type,
			length: 0,
			nullCount: 0,
			validity: null,
			offsets: null,
			values: new Uint8Array(0)
		}));
	}

	/**
	 * Starts a frame at `byteOffset` (a multiple of 8) with room for `rowCapacity` rows.
	 * `utf8ByteCapacity[i]` is the value-byte room of utf8 column i (indexed by column); without
	 * it the utf8 columns share whatever room the fixed-width buffers leave, equally.
	 * Returns false, writing nothing, when the frame would not fit in `capacity` bytes.
	 */
	begin(
		buffer: ArrayBufferLike,
		byteOffset: number,
		capacity: number,
		rowCapacity: number,
		utf8ByteCapacity?: number[]
	): boolean {
		if (byteOffset % FRAME_ALIGN !== 0 || byteOffset < 0)
			throw new RangeError(`byteOffset must be a non-negative multiple of 8, got ${byteOffset}`);
		if (!Number.isInteger(rowCapacity) || rowCapacity < 0)
			throw new RangeError(`rowCapacity must be a non-negative integer, got ${rowCapacity}`);
		if (capacity < 0 || byteOffset + capacity > buffer.byteLength)
			throw new RangeError(
				`capacity ${capacity} at byteOffset ${byteOffset} runs past the buffer's ${buffer.byteLength} bytes`
			);
		const room = Math.min(capacity, MAX_FRAME_BYTES);
		const caps = this.utf8Capacity;
		for (let i = 0; i < caps.length; i++)
			caps[i] = this.types[i] === 'utf8' ? (utf8ByteCapacity?.[i] ?? 0) : 0;
		let total = planFrame(this.types, rowCapacity, caps, true, null);
		if (total > room) return false;
		if (utf8ByteCapacity === undefined && this.utf8Count > 0) {
			// Share the rest equally; each share a multiple of 8 so the padding cannot overflow.
			const share = Math.floor((room - total) / this.utf8Count / FRAME_ALIGN) * FRAME_ALIGN;
			for (let i = 0; i < caps.length; i++) if (this.types[i] === 'utf8') caps[i] = share;
		}
		total = planFrame(this.types, rowCapacity, caps, true, this.dir);

		if (buffer !== this.buffer) {
			this.buffer = buffer;
			this.bytes = new Uint8Array(buffer);
			this.words = new Int32Array(buffer, 0, Math.floor(buffer.byteLength / 4));
		}
		this.base = byteOffset;
		this.rowCapacity = rowCapacity;
		this.frameLength = total;
		const validityBytes = (rowCapacity + 7) >>> 3;
		for (let i = 0; i < this.types.length; i++) {
			const type = this.types[i];
			const view = this.views[i];
			const e = i * DIR_SLOTS;
			const validityAt = byteOffset + this.dir[e + D_VALIDITY_OFFSET];
			const valuesAt = byteOffset + this.dir[e + D_VALUES_OFFSET];
			view.length = rowCapacity;
			view.nullCount = 0;
			view.validity = new Uint8Array(buffer, validityAt, validityBytes);
			this.bytes.fill(0xff, validityAt, validityAt + validityBytes);
			if (type === 'utf8') {
				view.offsets = new Int32Array(
					buffer,
					byteOffset + this.dir[e + D_OFFSETS_OFFSET],
					rowCapacity + 1
				);
				view.offsets[0] = 0;
				view.values = new Uint8Array(buffer, valuesAt, caps[i]);
			} else {
				view.offsets = null;
				const length = type === 'bool' ? validityBytes : rowCapacity;
				view.values = valuesView(type, buffer, valuesAt, length);
				if (type === 'bool') this.bytes.fill(0, valuesAt, valuesAt + validityBytes);
			}
		}
		this.open = true;
		return true;
	}

	/** Views of column `i` in the frame being written (reused objects; views replaced by begin). */
	column(i: number): ColumnView {
		return this.views[i];
	}

	/** Marks row `row` of column `col` null (clears its validity bit). */
	setNull(col: number, row: number): void {
		const validity = this.views[col].validity;
		if (validity !== null) validity[row >>> 3] &= ~(1 << (row & 7));
	}

	/**
	 * Ends the frame with `rows` rows (at most rowCapacity): counts each column's nulls, writes
	 * the directory and header, and returns the frame's byteLength for the ring descriptor.
	 */
	finish(rows: number): number {
		if (!this.open) throw new Error('finish() called without a successful begin()');
		if (!Number.isInteger(rows) || rows < 0 || rows > this.rowCapacity)
			throw new RangeError(`rows must be an integer in 0..${this.rowCapacity}, got ${rows}`);
		this.open = false;
		const words = this.words;
		const dirAt = (this.base >>> 2) + HEADER_SLOTS;
		for (let i = 0; i < this.types.length; i++) {
			const view = this.views[i];
			const e = i * DIR_SLOTS;
			const nulls = countZeroBits(view.validity as Uint8Array, rows);
			this.dir[e + D_NULL_COUNT] = nulls;
			if (nulls === 0) this.dir[e + D_VALIDITY_OFFSET] = this.dir[e + D_VALIDITY_BYTES] = 0;
			else this.dir[e + D_VALIDITY_BYTES] = (rows + 7) >>> 3;
			if (view.type === 'utf8') {
				const used = (view.offsets as Int32Array)[rows];
				if (!(used >= 0 && used <= view.values.length))
					throw new RangeError(
						`column ${i} '${this.schema.names[i]}': offsets[${rows}] = ${used} is outside its ${view.values.length} value bytes`
					);
				this.dir[e + D_VALUES_BYTES] = used;
				this.dir[e + D_OFFSETS_BYTES] = (rows + 1) * 4;
			} else {
				this.dir[e + D_VALUES_BYTES] =
					view.type === 'bool' ? (rows + 7) >>> 3 : rows * view.values.BYTES_PER_ELEMENT;
			}
			view.length = rows;
			view.nullCount = nulls;
			if (nulls === 0) view.validity = null;
		}
		words.set(this.dir, dirAt);
		const h = this.base >>> 2;
		words[h + H_MAGIC] = FRAME_MAGIC;
		words[h + H_VERSION] = FRAME_VERSION;
		words[h + H_ROWS] = rows;
		words[h + H_COLUMNS] = this.types.length;
		words[h + H_BYTE_LENGTH] = this.frameLength;
		for (let s = H_BYTE_LENGTH + 1; s < HEADER_SLOTS; s++) words[h + s] = 0; // reserved
		return this.frameLength;
	}
}
