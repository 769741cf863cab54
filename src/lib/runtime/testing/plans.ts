// Builders of small physical plans over the engine's test kernels, shared by the scheduler's
// and the fallback's tests and by the browser self-test, so all three check the same shapes.
import type { KernelName } from '../scheduler/kernel';
import type { PhysicalPlan, PhysicalStage } from '../scheduler/run';
import { SEQUENCE_SCHEMA, TEST_KERNEL } from '../scheduler/test-kernels';

const S = SEQUENCE_SCHEMA;
export const MiB = 1 << 20;

/** test.sequence: `batches` batches of `rows` int32 rows, x = 0, 1, 2, ... */
export function source(batches: number, rows: number, worker = 0): PhysicalStage {
	return {
		name: 'source',
		kernel: TEST_KERNEL.sequence,
		params: { batches, rows },
		inputSchemas: [],
		outputSchemas: [S],
		worker
	};
}

/** A stage over the sequence schema; `sink` stages have no output. */
export function stage(
	name: string,
	kernel: KernelName,
	worker: number,
	params: unknown = {},
	sink = false
): PhysicalStage {
	return { name, kernel, params, inputSchemas: [S], outputSchemas: sink ? [] : [S], worker };
}

/** A straight chain: ring i joins stage i to stage i + 1. */
export function chain(stages: PhysicalStage[], capacity = 8, budgetBytes = 64 * MiB): PhysicalPlan {
	const rings = stages.slice(1).map((s, i) => ({
		name: `${stages[i].name} → ${s.name}`,
		from: { stage: i, port: 0 },
		to: { stage: i + 1, port: 0 },
		capacity
	}));
	return { stages, rings, budgetBytes, batchRows: 1024 };
}

/** Sum of x over `batches * rows` sequence rows, each plus `offset`. */
export function expectedSum(batches: number, rows: number, offset = 0): number {
	const n = batches * rows;
	return (n * (n - 1)) / 2 + offset * n;
}
