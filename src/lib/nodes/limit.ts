// Transform: keeps rows [offset, offset + rows) of its input, in arrival order.
// One instance (arrival order is the only order it knows). A batch wholly inside the window is
// forwarded zero copy; a batch the window cuts is copied in part. Once offset + rows rows have
// arrived it answers 'done' (early termination, runtime/scheduler/kernel.ts): the stage
// abandons its input, and upstream stages — down to the sources, which stop reading — stop
// making rows nobody wants. `csv → limit 10` reads a batch or so, not the whole file.
import * as v from 'valibot';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { gatherInto, liveUtf8Bytes } from './kernels/gather';
import type { NodeDefinition } from './types';
import { passThrough } from './used-columns';

const count = (what: string) =>
	v.pipe(
		v.number(),
		v.integer(`${what} must be a whole number`),
		v.minValue(0, `${what} must be 0 or more`)
	);

const params = v.object({
	rows: v.optional(count('rows'), 100),
	offset: v.optional(count('offset'), 0)
});
type Params = v.InferOutput<typeof params>;

function limitKernel({ params: raw }: KernelSetup): Kernel {
	const { rows, offset } = raw as Params;
	const end = offset + rows;
	/** Live rows that arrived before the current batch. */
	let seen = 0;
	let slice = new Uint32Array(0);
	return {
		consume(input, ctx) {
			const n = input.count;
			const from = Math.max(seen, offset) - seen;
			const to = Math.min(seen + n, end) - seen;
			if (to <= from) {
				seen += n;
				return seen >= end ? 'done' : 'more';
			}
			if (from === 0 && to === n && input.selection === null) {
				ctx.forward(0, input);
				seen += n;
				return seen >= end ? 'done' : 'more';
			}
			const k = to - from;
			if (slice.length < k) slice = new Uint32Array(k);
			for (let i = 0; i < k; i++)
				slice[i] = input.selection === null ? from + i : input.selection[from + i];
			const part = { view: input.view, selection: slice, count: k };
			const writer = ctx.allocate(0, k, liveUtf8Bytes(part));
			if (!writer) return 'blocked';
			gatherInto(part, writer);
			ctx.emitWriter(0, writer, k);
			seen += n;
			// Every row of the window has arrived: no more input is wanted.
			return seen >= end ? 'done' : 'more';
		}
	};
}

export const limit: NodeDefinition<Params> = {
	kind: 'limit',
	title: 'Limit',
	category: 'transform',
	description: 'Keep the first rows (after skipping `offset` rows), in arrival order.',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { rows: 100, offset: 0 },
	fields: [
		{ name: 'rows', label: 'Rows', control: 'integer' },
		{ name: 'offset', label: 'Skip first', control: 'integer' }
	],
	traits: { stateless: false, blocking: false, partitionable: false },
	summary: (p) =>
		`${p.rows.toLocaleString('en-US')} rows` +
		(p.offset ? ` after ${p.offset.toLocaleString('en-US')}` : ''),
	inferSchema: ([input]) => ({ ok: true, outputs: [input] }),
	usedColumns: (_inputs, _p, [used]) => [passThrough(used, [])],
	kernel: limitKernel
};
