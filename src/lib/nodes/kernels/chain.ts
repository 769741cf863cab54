// The kernel of a fused stage: a chain of stateless steps (filter, derive, select, cast, ...)
// applied to each input batch, then either handed to a terminal kernel that reads selections
// (a group-by, a sink) or written into a new frame for the next ring. Fusing saves a ring hop,
// a frame write and a frame read per step (operator chaining).
import type { FrameSchema } from '../../runtime/batch/types';
import type {
	InputBatch,
	Kernel,
	KernelContext,
	KernelName,
	KernelSetup
} from '../../runtime/scheduler/kernel';
import type { ChainBatch, Step } from '../types';
import { gatherInto, liveUtf8Bytes } from './gather';

/**
 * One step of a chain. It carries no schemas: the worker infers each step's output from its
 * input, starting from the stage's input schema. Shipping every step's schemas would cost
 * steps × columns (a chain of 10,000 derives that each add a column would clone 10^8 names).
 */
export interface ChainStepSpec {
	kind: string;
	name: string;
	params: unknown;
}

export interface ChainParams {
	steps: ChainStepSpec[];
	/** Kernel key and params of the terminal node, or null to write frames out. */
	terminal: {
		kernel: KernelName;
		name: string;
		params: unknown;
		outputSchemas: FrameSchema[];
	} | null;
}

/**
 * Builds a step function from its spec and input schema, with the schema it outputs; provided
 * by the catalogue (which knows the kinds).
 */
export type StepFactory = (
	spec: ChainStepSpec,
	inputSchema: FrameSchema
) => { step: Step; outputSchema: FrameSchema };

export function chainKernelFactory(makeStep: StepFactory) {
	return (setup: KernelSetup): Kernel => {
		const { steps, terminal } = setup.params as ChainParams;
		// Each step's input is the one before's output; only the running schema is kept.
		let schema = setup.inputSchemas[0];
		const fns: Step[] = [];
		for (const spec of steps) {
			const made = makeStep(spec, schema);
			fns.push(made.step);
			schema = made.outputSchema;
		}
		const names = steps.map((s) => s.name);
		const inner = terminal
			? setup.kernels.get(terminal.kernel)?.({
					...setup,
					params: terminal.params,
					stageName: terminal.name,
					inputSchemas: [schema],
					outputSchemas: terminal.outputSchemas
				})
			: undefined;
		if (terminal && !inner) throw new Error(`unknown kernel '${terminal.kernel}'`);
		let pending: ChainBatch | null = null;

		function run(input: InputBatch): ChainBatch {
			let batch: ChainBatch = { view: input.view, selection: input.selection, count: input.count };
			for (let i = 0; i < fns.length; i++) {
				try {
					batch = fns[i](batch);
				} catch (error) {
					// Name the node inside the fused stage that failed.
					const message = error instanceof Error ? error.message : String(error);
					throw new Error(`${names[i]}: ${message}`, { cause: error });
				}
			}
			return batch;
		}

		function write(batch: ChainBatch, ctx: KernelContext): 'more' | 'blocked' {
			if (batch.count === 0) return 'more';
			const writer = ctx.allocate(0, batch.count, liveUtf8Bytes(batch));
			if (!writer) return 'blocked';
			gatherInto(batch, writer);
			ctx.emitWriter(0, writer, batch.count);
			return 'more';
		}

		return {
			consume(input, ctx) {
				if (inner) {
					const batch = run(input);
					return inner.consume!(
						{ ...input, view: batch.view, selection: batch.selection, count: batch.count },
						ctx
					);
				}
				// A batch whose output could not get a block is kept, not recomputed.
				pending ??= run(input);
				const step = write(pending, ctx);
				if (step === 'more') pending = null;
				return step;
			},
			finish: inner?.finish ? (ctx) => inner.finish!(ctx) : undefined,
			result: inner?.result ? () => inner.result!() : undefined,
			dispose: (pool) => inner?.dispose?.(pool)
		};
	};
}
