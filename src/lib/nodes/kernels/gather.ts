// Writes the live rows of a chain batch (a selection of a batch's columns) into a frame.
// Used where a fused chain must hand its output to a ring. One pass per column; no per-row
// allocation. Single-threaded, in the stage's worker.
import type { ColumnView } from '../../runtime/contracts';
import type { FrameWriter } from '../../runtime/batch/writer';
import type { ChainBatch } from '../types';

/** utf8 bytes each column needs for the live rows (0 for other types), indexed by column. */
export function liveUtf8Bytes(batch: ChainBatch): number[] {
	const { view, selection, count } = batch;
	return view.columns.map((col) => {
		if (col.type !== 'utf8') return 0;
		const offsets = col.offsets!;
		if (!selection) return offsets[view.length] - offsets[0];
		let total = 0;
		for (let i = 0; i < count; i++) {
			const r = selection[i];
			total += offsets[r + 1] - offsets[r];
		}
		return total;
	});
}

/** Copies the live rows into `writer` (begun with room for `batch.count` rows). */
export function gatherInto(batch: ChainBatch, writer: FrameWriter): void {
	const { view, selection, count } = batch;
	for (let c = 0; c < view.columns.length; c++) {
		gatherColumn(view.columns[c], selection, count, writer.column(c), writer, c);
	}
}

function gatherColumn(
	from: ColumnView,
	selection: Uint32Array | null,
	count: number,
	to: ColumnView,
	writer: FrameWriter,
	c: number
): void {
	const validity = from.nullCount > 0 ? from.validity : null;
	if (from.type === 'utf8') {
		const fo = from.offsets!;
		const fv = from.values as Uint8Array;
		const to_ = to.offsets!;
		const tv = to.values as Uint8Array;
		if (!selection) {
			// Rows 0..count-1 are one byte range: one copy, then the offsets shifted.
			const first = fo[0];
			tv.set(fv.subarray(first, fo[count]), to_[0]);
			const shift = to_[0] - first;
			for (let i = 1; i <= count; i++) to_[i] = fo[i] + shift;
		} else {
			let at = to_[0];
			for (let i = 0; i < count; i++) {
				const r = selection[i];
				const start = fo[r];
				const end = fo[r + 1];
				tv.set(fv.subarray(start, end), at);
				at += end - start;
				to_[i + 1] = at;
			}
		}
	} else if (from.type === 'bool') {
		const fv = from.values as Uint8Array;
		const tv = to.values as Uint8Array;
		for (let i = 0; i < count; i++) {
			const r = selection ? selection[i] : i;
			if ((fv[r >> 3] >> (r & 7)) & 1) tv[i >> 3] |= 1 << (i & 7);
		}
	} else {
		const fv = from.values as unknown as { [i: number]: number | bigint };
		const tv = to.values as unknown as { [i: number]: number | bigint };
		if (selection) for (let i = 0; i < count; i++) tv[i] = fv[selection[i]];
		else (to.values as Int32Array).set(from.values.subarray(0, count) as Int32Array);
	}
	if (validity) {
		for (let i = 0; i < count; i++) {
			const r = selection ? selection[i] : i;
			if (!((validity[r >> 3] >> (r & 7)) & 1)) writer.setNull(c, i);
		}
	}
}
