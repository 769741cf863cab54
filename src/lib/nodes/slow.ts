// Debug transform: passes every batch through unchanged after sleeping `msPerBatch` ms, to try
// and test backpressure (Flink's BackPressureITCase uses the same trick). It is a kernel, not a
// fusable step, so it always runs as its own stage: the edges into and out of it are real
// rings, and its sleep shows as busy time of that stage alone.
//
// The sleep parks the worker thread with `Atomics.wait` on a private shared cell nobody
// notifies (no CPU burnt), in slices of at most SLICE_MS so a cancel is seen within a slice.
// Where no SharedArrayBuffer exists (a page that is not cross-origin isolated) or the thread
// may not wait, it spins on the clock instead: the delay is the same, the CPU is not spared.
import * as v from 'valibot';
import type { Kernel, KernelContext, KernelSetup } from '../runtime/scheduler/kernel';
import { gatherInto, liveUtf8Bytes } from './kernels/gather';
import type { NodeDefinition } from './types';
import { passThrough } from './used-columns';
import { sameColumns } from './row-conditions';

const SLICE_MS = 25;
export const SLOW_MAX_MS = 10_000;

const params = v.object({
	msPerBatch: v.optional(
		v.pipe(
			v.number('msPerBatch must be a number of milliseconds'),
			v.minValue(0, 'msPerBatch must be 0 or more'),
			v.maxValue(SLOW_MAX_MS, `msPerBatch must be at most ${SLOW_MAX_MS} (10 s)`)
		),
		20
	)
});
type Params = v.InferOutput<typeof params>;

/** A sleep of `ms` that parks the thread when it can; returns early once `stop()` is true. */
export function makeSleeper(): (ms: number, stop: () => boolean) => void {
	let cell: Int32Array | null =
		typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;
	return (ms, stop) => {
		const end = performance.now() + ms;
		for (;;) {
			const left = end - performance.now();
			if (left <= 0 || stop()) return;
			const slice = Math.min(left, SLICE_MS);
			if (cell) {
				try {
					// Nobody notifies this cell: the wait always times out after `slice` ms.
					Atomics.wait(cell, 0, 0, slice);
					continue;
				} catch {
					cell = null; // this thread may not block (a browser main thread)
				}
			}
			const until = performance.now() + slice;
			while (performance.now() < until) {
				// spin: no way to park this thread
			}
		}
	};
}

function slowKernel({ params: raw }: KernelSetup): Kernel {
	const { msPerBatch } = raw as Params;
	const sleep = makeSleeper();
	/** Set once the current input was slept on, so a 'blocked' retry does not sleep again. */
	let slept = false;
	return {
		consume(input, ctx: KernelContext) {
			if (!slept) {
				sleep(msPerBatch, () => ctx.stopRequested?.() ?? false);
				slept = true;
			}
			if (input.selection === null) {
				ctx.forward(0, input);
			} else {
				const writer = ctx.allocate(0, input.count, liveUtf8Bytes(input));
				if (!writer) return 'blocked';
				gatherInto(input, writer);
				ctx.emitWriter(0, writer, input.count);
			}
			slept = false;
			return 'more';
		}
	};
}

export const slow: NodeDefinition<Params> = {
	kind: 'slow',
	title: 'Slow (debug)',
	category: 'transform',
	description:
		'Passes rows through unchanged, sleeping a set time per batch: a deliberate bottleneck ' +
		'for trying out backpressure and the metrics panel.',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { msPerBatch: 20 },
	fields: [
		{
			name: 'msPerBatch',
			label: 'Sleep per batch (ms)',
			control: 'number',
			help: `0 to ${SLOW_MAX_MS.toLocaleString('en-US')} ms; the worker sleeps without using the CPU`
		}
	],
	traits: { stateless: false, blocking: false, partitionable: false, debug: true },
	summary: (p) => `sleeps ${p.msPerBatch.toLocaleString('en-US')} ms per batch`,
	inferSchema: ([input]) => ({ ok: true, outputs: [input] }),
	usedColumns: (_inputs, _p, [used]) => [passThrough(used, [])],
	carriesRows: ([input]) => sameColumns(input.names),
	kernel: slowKernel
};
