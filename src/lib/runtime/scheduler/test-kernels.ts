// Kernels for testing and benchmarking the engine itself (not user-facing node kinds).
// They move an int32 sequence so a consumer can check nothing was lost, duplicated or reordered.
import type { FrameSchema } from '../batch/types';
import {
	kernelName,
	kernelTable,
	type Kernel,
	type KernelName,
	type KernelSetup,
	type KernelTable
} from './kernel';

export const SEQUENCE_SCHEMA: FrameSchema = { names: ['x'], types: ['int32'] };

interface SequenceParams {
	/** Batches to emit in all (split across instances). */
	batches: number;
	rows: number;
}

/** Source: batch b holds x = b * rows + i for i < rows. Instance k emits batches k, k+n, ... */
function sequence({ params, instance, instances }: KernelSetup): Kernel {
	const { batches, rows } = params as SequenceParams;
	let b = instance;
	return {
		produce(ctx) {
			if (b >= batches) return 'done';
			const writer = ctx.allocate(0, rows);
			if (!writer) return 'blocked';
			const x = writer.column(0).values as Int32Array;
			const base = b * rows;
			for (let i = 0; i < rows; i++) x[i] = (base + i) | 0;
			ctx.emitWriter(0, writer, rows);
			b += instances;
			return b >= batches ? 'done' : 'more';
		}
	};
}

interface VerifyResult {
	batches: number;
	rows: number;
	sum: number;
	/** Batches whose first value was not after the previous batch's last (per input port). */
	outOfOrder: number;
	/** Batches whose values were not consecutive inside the batch. */
	corrupt: number;
}

/** Sink: counts, sums and checks order within and across batches. */
function verify(): Kernel {
	const result: VerifyResult = { batches: 0, rows: 0, sum: 0, outOfOrder: 0, corrupt: 0 };
	const lastByPort: number[] = [];
	return {
		consume(input) {
			const x = input.view.columns[0].values as Int32Array;
			const n = input.rows;
			result.batches++;
			result.rows += n;
			if (n === 0) return 'more';
			for (let i = 0; i < n; i++) {
				result.sum += x[i];
				if (i > 0 && x[i] !== x[i - 1] + 1) {
					result.corrupt++;
					break;
				}
			}
			const last = lastByPort[input.port];
			if (last !== undefined && x[0] <= last) result.outOfOrder++;
			lastByPort[input.port] = x[n - 1];
			return 'more';
		},
		result: () => result
	};
}

/** Transform: forwards each batch zero-copy. */
function pass(): Kernel {
	return {
		consume(input, ctx) {
			ctx.forward(0, input);
			return 'more';
		}
	};
}

/** Transform: copies each batch into a new block, adding 1 to x. */
function increment(): Kernel {
	return {
		consume(input, ctx) {
			const writer = ctx.allocate(0, input.rows);
			if (!writer) return 'blocked';
			const from = input.view.columns[0].values as Int32Array;
			const to = writer.column(0).values as Int32Array;
			for (let i = 0; i < input.rows; i++) to[i] = (from[i] + 1) | 0;
			ctx.emitWriter(0, writer, input.rows);
			return 'more';
		}
	};
}

/** Transform: throws on its `at`-th batch (0-based). */
function throwAt({ params }: KernelSetup): Kernel {
	const { at, message } = params as { at: number; message: string };
	let seen = 0;
	return {
		consume(input, ctx) {
			if (seen++ === at) throw new Error(message);
			ctx.forward(0, input);
			return 'more';
		}
	};
}

/** The one Int32 cell of `sleeper`; nothing ever stores to it, so a wait on it only times out. */
const SLEEPER_CELL = 0;
/** Made on first use (undefined until then), null where SharedArrayBuffer does not exist. */
let sleeper: Int32Array | null | undefined;

/**
 * Blocks this thread for `ms`. Where SharedArrayBuffer exists the thread parks in Atomics.wait;
 * a worker of a page that is not cross-origin isolated has no SharedArrayBuffer and so no way to
 * block, and spins on performance.now() instead. Spinning burns its core, which is acceptable
 * only because these are test kernels (deliberately slow, hung or dying stages): kernels that
 * users run must never call this. Made lazily, so a worker that imports this table starts
 * without shared memory.
 */
function blockFor(ms: number): void {
	if (sleeper === undefined) {
		sleeper =
			typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;
	}
	if (sleeper) {
		Atomics.wait(sleeper, SLEEPER_CELL, 0, ms);
		return;
	}
	const until = performance.now() + ms;
	while (performance.now() < until) {
		// spin: no shared memory, so nothing to park on
	}
}

/** Transform or sink: waits `ms` per batch (a deliberately slow stage), then forwards if it has an output. */
function sleep({ params, outputSchemas }: KernelSetup): Kernel {
	const { ms } = params as { ms: number };
	return {
		consume(input, ctx) {
			blockFor(ms);
			if (outputSchemas.length > 0) ctx.forward(0, input);
			return 'more';
		}
	};
}

/** Transform: never returns from its `at`-th batch (a hung worker). */
function hang({ params }: KernelSetup): Kernel {
	const { at } = params as { at: number };
	let seen = 0;
	return {
		consume(input, ctx) {
			if (seen++ === at) for (;;) blockFor(1000);
			ctx.forward(0, input);
			return 'more';
		}
	};
}

/** Transform: ends its own worker on its `at`-th batch (a worker that dies). */
function exitAt({ params }: KernelSetup): Kernel {
	const { at } = params as { at: number };
	let seen = 0;
	return {
		consume(input, ctx) {
			if (seen++ === at) {
				const scope = globalThis as { process?: { exit(code: number): never }; close?: () => void };
				if (scope.process?.exit) scope.process.exit(3);
				if (scope.close) {
					// A browser worker's close() only drops *later* tasks: this one would run on,
					// finish the run and post its result. Stay in this task until terminated.
					scope.close();
					for (;;) blockFor(1000);
				}
			}
			ctx.forward(0, input);
			return 'more';
		}
	};
}

/**
 * Source: emits frames already in the pool (a table loaded before the run), instance k taking
 * frames k, k + n, ... Each frame is retained before it is emitted, so it survives the run.
 */
function frames({ params, instance, instances }: KernelSetup): Kernel {
	const { blocks } = params as { blocks: { block: number; byteLength: number; rows: number }[] };
	let i = instance;
	return {
		produce(ctx) {
			if (i >= blocks.length) return 'done';
			const f = blocks[i];
			ctx.pool.retain(f.block, 1);
			ctx.emit(0, f.block, f.byteLength, f.rows);
			i += instances;
			return i >= blocks.length ? 'done' : 'more';
		}
	};
}

const FACTORIES = {
	sequence,
	verify,
	pass,
	increment,
	throw: throwAt,
	sleep,
	hang,
	exit: exitAt,
	frames
};

export type TestKernel = keyof typeof FACTORIES;

const IDS = Object.keys(FACTORIES) as TestKernel[];

/** The test kernels' names: a stage runs `TEST_KERNEL.verify`. */
export const TEST_KERNEL = Object.fromEntries(
	IDS.map((id) => [id, kernelName('test', id)])
) as Readonly<Record<TestKernel, KernelName>>;

export const TEST_KERNELS: KernelTable = kernelTable(
	IDS.map((id) => [TEST_KERNEL[id], FACTORIES[id]])
);
