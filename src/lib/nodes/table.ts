// Sink: keeps the first N rows for display, counts them all, and reports the schema.
import * as v from 'valibot';
import { valueAt } from '../runtime/batch/values';
import type { FrameSchema } from '../runtime/batch/types';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import type { NodeDefinition } from './types';

const params = v.object({
	limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)), 1000)
});
type Params = v.InferOutput<typeof params>;

export type Cell = number | bigint | string | boolean | null;

export interface TableResult {
	kind: 'table';
	schema: FrameSchema;
	/**
	 * First `limit` rows, row-major; int64, uint64 and timestamps (ms) as numbers while a double
	 * holds them exactly (|v| <= 2^53), else as bigints: print them with value-text.ts.
	 */
	rows: Cell[][];
	total: number;
}

/** A value as the table keeps it: a bigint becomes a number when that is exact. */
export function cell(value: number | bigint | boolean | string | null): Cell {
	if (typeof value !== 'bigint') return value;
	const n = Number(value);
	return Number.isSafeInteger(n) ? n : value;
}

function tableKernel({ params: raw, inputSchemas }: KernelSetup): Kernel {
	const { limit } = raw as Params;
	const result: TableResult = { kind: 'table', schema: inputSchemas[0], rows: [], total: 0 };
	return {
		consume(input) {
			const { view, selection, count } = input;
			for (let i = 0; i < count && result.rows.length < limit; i++) {
				const r = selection ? selection[i] : i;
				result.rows.push(view.columns.map((col) => cell(valueAt(col, r))));
			}
			result.total += count;
			return 'more';
		},
		result: () => result
	};
}

export const table: NodeDefinition<Params> = {
	kind: 'table',
	title: 'Table',
	category: 'sink',
	description: 'Show the first rows of the result and count them all.',
	inputs: [{ name: 'in' }],
	outputs: [],
	params,
	defaults: { limit: 1000 },
	fields: [{ name: 'limit', label: 'Rows kept for display', control: 'integer' }],
	traits: { stateless: false, blocking: false, partitionable: false },
	summary: (p) => `first ${p.limit.toLocaleString('en-US')} rows`,
	inferSchema: () => ({ ok: true, outputs: [] }),
	kernel: tableKernel,
	acceptsSelection: true
};
