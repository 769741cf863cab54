// Batches a source kernel has decoded (raw BatchViews in plain memory, or apache-arrow
// RecordBatches from an Arrow IPC stream) waiting to be copied into pool blocks.
//
// `writeNext` copies the first waiting batch (or its first slice that fits a frame of
// `frameLimit(budget)` bytes) into a fresh block and emits it; 'blocked' when the pool has no
// block now (the host calls again later). Used by the CSV, JSON, Arrow IPC and Parquet sources;
// `frameLimit` and `sliceBatch` are the frame size and row slicing they share.
import { RecordBatch } from 'apache-arrow';
import { NO_BLOCK, type BatchView, type ColumnView } from '../../runtime/contracts';
import { countZeroBits } from '../../runtime/batch/bits';
import type { FrameSchema } from '../../runtime/batch/types';
import { measureBatch, writeBatch } from '../../runtime/batch/write-batch';
import type { KernelContext, KernelStep } from '../../runtime/scheduler/kernel';

/** frameLimit's cap: no budget makes a source's frames larger. */
const MAX_SOURCE_FRAME = 4 * 1024 * 1024;

export type SourceBatch = BatchView | RecordBatch;

/** Largest frame a source writes for a run of `budgetBytes` (half the smallest max block class). */
export function frameLimit(budgetBytes: number): number {
	return Math.max(32 * 1024, Math.min(MAX_SOURCE_FRAME, Math.floor(budgetBytes / 16)));
}

/** Rows [start, end) of a column as views over the same arrays; `start` is a multiple of 8. */
export function sliceColumn(col: ColumnView, start: number, end: number): ColumnView {
	const rows = end - start;
	const validity = col.validity?.subarray(start >>> 3, (end + 7) >>> 3) ?? null;
	const nullCount = validity === null ? 0 : countZeroBits(validity, rows);
	if (col.type === 'utf8')
		return {
			...col,
			length: rows,
			nullCount,
			validity,
			offsets: col.offsets!.subarray(start, end + 1)
		};
	const values =
		col.type === 'bool'
			? col.values.subarray(start >>> 3, (end + 7) >>> 3)
			: col.values.subarray(start, end);
	return { ...col, length: rows, nullCount, validity, values };
}

/** Rows [start, end) of a batch as views over the same arrays; `start` is a multiple of 8. */
export function sliceBatch(view: BatchView, start: number, end: number): BatchView {
	return { length: end - start, columns: view.columns.map((c) => sliceColumn(c, start, end)) };
}

function rowsOf(batch: SourceBatch): number {
	return batch instanceof RecordBatch ? batch.numRows : batch.length;
}

function slice(batch: SourceBatch, start: number, end: number): SourceBatch {
	return batch instanceof RecordBatch ? batch.slice(start, end) : sliceBatch(batch, start, end);
}

export class PendingBatches {
	private readonly queue: SourceBatch[] = [];
	/** Rows waiting. */
	rows = 0;

	constructor(
		private readonly schema: FrameSchema,
		private readonly limit: number,
		/** The source as the user wrote it, for messages. */
		private readonly source: string
	) {}

	get length(): number {
		return this.queue.length;
	}

	push(batch: SourceBatch): void {
		const rows = rowsOf(batch);
		if (rows === 0) return;
		this.queue.push(batch);
		this.rows += rows;
	}

	clear(): void {
		this.queue.length = 0;
		this.rows = 0;
	}

	/** Writes the first waiting batch (or a slice of it) into a block and emits it. */
	writeNext(ctx: KernelContext): KernelStep {
		const first = this.queue[0];
		const total = rowsOf(first);
		let batch = first;
		let rows = total;
		let bytes = measureBatch(batch, this.schema);
		while (bytes > this.limit) {
			if (rows <= 8)
				throw new Error(
					this.limit >= MAX_SOURCE_FRAME
						? `a row of '${this.source}' is larger than a frame can hold (${this.limit} bytes): split its largest field`
						: `a row of '${this.source}' is too large for a ${this.limit}-byte frame: raise the memory budget`
				);
			rows = Math.max(8, (rows >>> 1) & ~7);
			batch = slice(first, 0, rows);
			bytes = measureBatch(batch, this.schema);
		}
		const pool = ctx.pool;
		const block = pool.tryAcquire(bytes);
		if (block === NO_BLOCK) return 'blocked';
		const written = writeBatch(
			batch,
			this.schema,
			pool.bufferOf(block),
			pool.offsetOf(block),
			pool.capacityOf(block)
		);
		if (written < 0) {
			pool.release(block);
			throw new Error(
				`a frame of ${bytes} bytes did not fit its ${pool.capacityOf(block)}-byte block`
			);
		}
		ctx.emit(0, block, written, rows);
		this.rows -= rows;
		if (rows === total) this.queue.shift();
		else this.queue[0] = slice(first, rows, total);
		return 'more';
	}
}
