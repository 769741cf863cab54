// Small builders for the self-test's physical plans (the same shapes as the scheduler's
// run.spec.ts) and the assertions its checks make. A failed assertion throws an Error whose
// message says what was expected and what came back; the page shows it as the check's detail.
import type { PhysicalPlan, PhysicalStage } from '$lib/runtime/scheduler/run';
import { SEQUENCE_SCHEMA } from '$lib/runtime/scheduler/test-kernels';

const S = SEQUENCE_SCHEMA;
export const MiB = 1 << 20;

/** test.sequence: `batches` batches of `rows` int32 rows, x = 0, 1, 2, ... */
export function source(batches: number, rows: number, worker: number): PhysicalStage {
	return {
		name: 'source',
		kernel: 'test.sequence',
		params: { batches, rows },
		inputSchemas: [],
		outputSchemas: [S],
		worker
	};
}

export function stage(
	name: string,
	kernel: string,
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

/** What test.verify returns for an intact, in-order stream. */
export function intact(batches: number, rows: number, offset = 0) {
	return {
		batches,
		rows: batches * rows,
		sum: expectedSum(batches, rows, offset),
		outOfOrder: 0,
		corrupt: 0
	};
}

/** Throws unless `actual` and `expected` are the same JSON (key order included). */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
	const a = JSON.stringify(actual);
	const e = JSON.stringify(expected);
	if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Throws with `what` unless `ok`. */
export function expectTrue(ok: boolean, what: string): void {
	if (!ok) throw new Error(what);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** "1,234" style, for row counts in details. */
export function count(n: number): string {
	return n.toLocaleString('en-US');
}
