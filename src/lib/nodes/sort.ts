// Transform: sorts all rows by one or more columns (stable; nulls last unless told otherwise).
// Blocking and single-instance: it copies every input row onto its worker's heap (the pool
// block of each batch is released after consume), sorts a permutation of row indices once the
// input ended, and emits the rows in order in batches of at most `batchRows`. A sort whose
// input outgrows the run's memory budget fails with a message naming the node.
import * as v from 'valibot';
import type { FrameSchema } from '../runtime/batch/types';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { ColumnStore } from './kernels/sort-columns';
import { resolveKeys, type SortKey } from './kernels/sort-compare';
import { sortedPermutation } from './kernels/sort-radix';
import { frameByteLimit, SortedEmitter } from './kernels/sort-emit';
import { sortMessages } from './kernels/sort-messages';
import type { NodeDefinition, NodeProblem } from './types';
import { passThrough } from './used-columns';
import { sameColumns } from './row-conditions';

export const sortKey = v.object({
	column: v.string(),
	descending: v.optional(v.boolean(), false),
	nulls: v.optional(v.picklist(['first', 'last'], "nulls must be 'first' or 'last'"), 'last')
});

/** The `by` param of sort and top-k: keys in priority order. */
export const sortKeys = v.optional(v.array(sortKey), []);

const params = v.object({ by: sortKeys });
type Params = v.InferOutput<typeof params>;

/** Problems of sort keys against the input schema: none, unknown columns, or no keys. */
export function sortKeyProblems(input: FrameSchema, by: readonly SortKey[]): NodeProblem[] {
	if (by.length === 0) return [{ param: 'by', message: 'choose at least one column to sort by' }];
	return by
		.filter((key) => !input.names.includes(key.column))
		.map((key) => ({
			param: 'by',
			message: `unknown column '${key.column}' (columns: ${input.names.join(', ')})`
		}));
}

/** "value desc, key nulls first" */
export function sortKeySummary(by: readonly SortKey[]): string {
	if (by.length === 0) return 'no sort keys';
	return by
		.map(
			(k) => `${k.column}${k.descending ? ' desc' : ''}${k.nulls === 'first' ? ' nulls first' : ''}`
		)
		.join(', ');
}

/** A copy of every input row is held; fails once they pass the run's budget. */
function sortKernel(setup: KernelSetup): Kernel {
	const { by } = setup.params as Params;
	const schema = setup.inputSchemas[0];
	const keys = resolveKeys(schema, by);
	let store = new ColumnStore(schema.types);
	let emitter: SortedEmitter | null = null;
	return {
		consume(input) {
			store.append(input.view, input.selection, input.count);
			// The permutation sorted at the end takes 4 bytes a row.
			if (store.bytes() + 4 * store.rows > setup.budgetBytes) {
				throw new Error(
					sortMessages.overBudget('sort', setup.stageName, setup.budgetBytes, store.rows)
				);
			}
			return 'more';
		},
		finish(ctx) {
			emitter ??= new SortedEmitter(
				'sort',
				setup.stageName,
				schema,
				store,
				sortedPermutation(store.columns, store.rows, keys),
				store.rows,
				frameByteLimit(setup.budgetBytes)
			);
			return emitter.step(ctx);
		},
		dispose() {
			// Drop the copies now rather than when the kernel object is collected.
			store = new ColumnStore([]);
			emitter = null;
		}
	};
}

export const sort: NodeDefinition<Params> = {
	kind: 'sort',
	title: 'Sort',
	category: 'transform',
	description:
		'Order all rows by one or more columns. Holds the whole input in memory; runs as one instance.',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { by: [] },
	fields: [
		{
			name: 'by',
			label: 'Sort by',
			control: 'json',
			help: '[{ column, descending: false, nulls: "last" | "first" }], first key first'
		}
	],
	// Not partitionable: one instance sees every row. It reads selections but does not set
	// acceptsSelection, so a filter chain before it stays a separate, parallel stage rather than
	// being fused into this single instance.
	traits: { stateless: false, blocking: true, partitionable: false },
	summary: (p) => `by ${sortKeySummary(p.by)}`,
	inferSchema([input], p) {
		const problems = sortKeyProblems(input, p.by);
		return problems.length ? { ok: false, problems } : { ok: true, outputs: [input] };
	},
	carriesRows: ([input]) => sameColumns(input.names),
	usedColumns: (_inputs, p, [used]) => [
		passThrough(
			used,
			p.by.map((k) => k.column)
		)
	],
	kernel: sortKernel
};
