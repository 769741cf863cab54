// Emits rows of a ColumnStore in a given order (a permutation of its row indices) as output
// frames of at most `batchRows` rows, one frame per call, sized so each fits a pool block.
// Used by the finish() of sort and top-k. Thread: the kernel's worker; allocates the frames'
// index views and a utf8 byte count per column per frame.
import { frameBytes } from '../../runtime/batch/layout';
import type { FrameSchema } from '../../runtime/batch/types';
import type { KernelContext, KernelStep } from '../../runtime/scheduler/kernel';
import { gatherInto } from './gather';
import type { ColumnStore } from './sort-columns';
import { sortMessages } from './sort-messages';

/**
 * Bytes an output frame may take: half the largest block the run's pool carves. The pool's
 * largest block is a quarter of the budget, clamped to 64 KiB..16 MiB (runtime/scheduler/run.ts
 * `poolOptions`); a frame that needs more than any block would wait for memory forever.
 */
export function frameByteLimit(budgetBytes: number): number {
	let maxBlockBytes = 16 << 20;
	while (maxBlockBytes > 64 << 10 && maxBlockBytes * 4 > budgetBytes) maxBlockBytes /= 2;
	return maxBlockBytes / 2;
}

/** utf8 value bytes of rows `order[from..from+count)` of each column (0 for other types). */
export function utf8BytesOf(
	store: ColumnStore,
	order: ArrayLike<number>,
	from: number,
	count: number
): number[] {
	return store.columns.map((col) => {
		if (col.type !== 'utf8') return 0;
		const offsets = col.offsets!;
		let total = 0;
		for (let i = from; i < from + count; i++) total += offsets[order[i] + 1] - offsets[order[i]];
		return total;
	});
}

export class SortedEmitter {
	private position = 0;
	private readonly validity: boolean[];

	constructor(
		private readonly kind: string,
		private readonly node: string,
		private readonly schema: FrameSchema,
		private readonly store: ColumnStore,
		/** Row indices of the store in output order. */
		private readonly order: Uint32Array,
		/** How many of `order` to emit. */
		private readonly count: number,
		private readonly limitBytes: number
	) {
		this.validity = schema.types.map(() => true);
	}

	/** Emits the next frame: 'more' while rows remain, 'done' after the last, 'blocked' on no memory. */
	step(ctx: KernelContext): KernelStep {
		const from = this.position;
		let rows = Math.min(ctx.batchRows, this.count - from);
		if (rows <= 0) return 'done';
		let utf8 = utf8BytesOf(this.store, this.order, from, rows);
		let bytes = frameBytes(this.schema, rows, utf8, this.validity);
		while (bytes > this.limitBytes) {
			if (rows === 1) {
				throw new Error(sortMessages.rowTooLarge(this.kind, this.node, bytes, this.limitBytes));
			}
			rows = Math.ceil(rows / 2);
			utf8 = utf8BytesOf(this.store, this.order, from, rows);
			bytes = frameBytes(this.schema, rows, utf8, this.validity);
		}
		const writer = ctx.allocate(0, rows, utf8);
		if (!writer) return 'blocked';
		gatherInto(
			{ view: this.store.view, selection: this.order.subarray(from, from + rows), count: rows },
			writer
		);
		ctx.emitWriter(0, writer, rows);
		this.position = from + rows;
		return this.position >= this.count ? 'done' : 'more';
	}
}
