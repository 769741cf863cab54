// The join's output rows before they are written: (left row, right row or -1) pairs, turned
// into a frame when `batchRows` pairs or about a frame's worth of bytes are pending (see
// sort-emit.ts `frameByteLimit`: a frame larger than any pool block would wait forever).
// Thread: the join kernel's worker. Allocates its pair arrays once and, per frame, the utf8
// byte counts and a view list of the left columns.
import type { BatchView, ColumnView } from '../../runtime/contracts';
import { frameBytes } from '../../runtime/batch/layout';
import { elementBytes, type FrameSchema } from '../../runtime/batch/types';
import type { FrameWriter } from '../../runtime/batch/writer';
import type { KernelContext } from '../../runtime/scheduler/kernel';
import { gatherInto } from './gather';
import { sortMessages } from './sort-messages';

export class JoinOutput {
	private leftRows = new Uint32Array(0);
	private rightRows = new Int32Array(0);
	private pairs = 0;
	private pendingBytes = 0;
	private readonly validity: boolean[];
	/** Bytes a row takes in a frame besides its strings: values, offsets, validity bits. */
	readonly fixedRowBytes: number;

	constructor(
		private readonly node: string,
		private readonly schema: FrameSchema,
		/** Output columns 0..leftColumns-1 are the left input's columns. */
		private readonly leftColumns: number,
		/** Build-side column of each later output column. */
		private readonly rightOut: readonly number[],
		private readonly frameLimit: number
	) {
		this.validity = schema.types.map(() => true);
		this.fixedRowBytes = schema.types.reduce(
			(sum, t) => sum + 0.125 + (t === 'utf8' ? 4 : t === 'bool' ? 0.125 : elementBytes(t)),
			0
		);
	}

	/** Whether a pair of `bytes` fits the pending frame (an empty frame takes any pair). */
	room(bytes: number, batchRows: number): boolean {
		if (this.leftRows.length < batchRows) {
			this.leftRows = new Uint32Array(batchRows);
			this.rightRows = new Int32Array(batchRows);
		}
		if (this.pairs === 0) return true;
		return this.pairs < batchRows && this.pendingBytes + bytes <= this.frameLimit;
	}

	push(left: number, right: number, bytes: number): void {
		this.leftRows[this.pairs] = left;
		this.rightRows[this.pairs] = right;
		this.pairs++;
		this.pendingBytes += bytes;
	}

	/** Writes the pending pairs as one frame; false when the pool has no block now. */
	flush(left: BatchView, build: readonly ColumnView[], ctx: KernelContext): boolean {
		const n = this.pairs;
		if (n === 0) return true;
		const { leftRows, rightRows, leftColumns } = this;
		const utf8 = this.schema.types.map(() => 0);
		for (let c = 0; c < leftColumns; c++) {
			if (left.columns[c].type !== 'utf8') continue;
			const offsets = left.columns[c].offsets!;
			for (let k = 0; k < n; k++) utf8[c] += offsets[leftRows[k] + 1] - offsets[leftRows[k]];
		}
		this.rightOut.forEach((c, j) => {
			if (build[c].type !== 'utf8') return;
			const offsets = build[c].offsets!;
			for (let k = 0; k < n; k++) {
				const b = rightRows[k];
				if (b >= 0) utf8[leftColumns + j] += offsets[b + 1] - offsets[b];
			}
		});
		const bytes = frameBytes(this.schema, n, utf8, this.validity);
		// Only a lone pair can pass the limit (room() starts a new frame before that).
		if (bytes > 2 * this.frameLimit)
			throw new Error(sortMessages.rowTooLarge('join', this.node, bytes, 2 * this.frameLimit));
		const writer = ctx.allocate(0, n, utf8);
		if (!writer) return false;
		const leftView = { length: left.length, columns: left.columns.slice(0, leftColumns) };
		gatherInto({ view: leftView, selection: leftRows, count: n }, writer);
		this.rightOut.forEach((c, j) => writeRight(build[c], rightRows, n, writer, leftColumns + j));
		ctx.emitWriter(0, writer, n);
		this.pairs = 0;
		this.pendingBytes = 0;
		return true;
	}
}

/** Writes rows `rows[0..count)` of a build column into output column `c`; -1 writes a null. */
function writeRight(
	from: ColumnView,
	rows: Int32Array,
	count: number,
	writer: FrameWriter,
	c: number
): void {
	const to = writer.column(c);
	const validity = from.nullCount > 0 ? from.validity : null;
	if (from.type === 'utf8') {
		const fo = from.offsets!;
		const fv = from.values as Uint8Array;
		const offsets = to.offsets!;
		const bytes = to.values as Uint8Array;
		let at = offsets[0];
		for (let k = 0; k < count; k++) {
			const b = rows[k];
			if (b >= 0) {
				bytes.set(fv.subarray(fo[b], fo[b + 1]), at);
				at += fo[b + 1] - fo[b];
			}
			offsets[k + 1] = at;
		}
	} else if (from.type === 'bool') {
		const fv = from.values as Uint8Array;
		const tv = to.values as Uint8Array;
		for (let k = 0; k < count; k++) {
			const b = rows[k];
			if (b >= 0 && (fv[b >>> 3] >>> (b & 7)) & 1) tv[k >>> 3] |= 1 << (k & 7);
		}
	} else {
		const fv = from.values as unknown as { [i: number]: number | bigint };
		const tv = to.values as unknown as { [i: number]: number | bigint };
		for (let k = 0; k < count; k++) {
			const b = rows[k];
			if (b >= 0) tv[k] = fv[b];
		}
	}
	for (let k = 0; k < count; k++) {
		const b = rows[k];
		if (b < 0 || (validity && !((validity[b >>> 3] >>> (b & 7)) & 1))) writer.setNull(c, k);
	}
}
