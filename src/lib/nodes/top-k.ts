// Transform: keeps the best `k` rows by the sort keys and emits them in order (what sort
// followed by a limit gives, without holding the whole input).
//
// The kernel appends rows to a store and, once it holds k + max(k, 4096) rows, sorts it and
// keeps the first k. After that the k-th row is a cutoff: a new row that does not sort before
// it cannot be in the result and is skipped with one comparison, so a large input costs about
// one comparison a row. Ties keep arrival order (stable), as the sort kind does.
//
// Partitionable: each instance keeps its own top k (its `partial` kernel, same schema as the
// input) and a merge stage keeps the top k of those. Across instances arrival order is
// not preserved, so rows that tie on every key may come from any instance.
import * as v from 'valibot';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { ColumnStore } from './kernels/sort-columns';
import { resolveKeys, rowComparator } from './kernels/sort-compare';
import { sortedPermutation } from './kernels/sort-radix';
import { frameByteLimit, SortedEmitter } from './kernels/sort-emit';
import { sortMessages } from './kernels/sort-messages';
import { sortKeyProblems, sortKeys, sortKeySummary } from './sort';
import type { NodeDefinition } from './types';
import { passThrough } from './used-columns';

const params = v.object({
	k: v.optional(
		v.pipe(
			v.number(),
			v.integer('k must be a whole number'),
			v.minValue(1, 'k must be at least 1'),
			v.maxValue(1_000_000, 'k must be at most 1,000,000')
		),
		10
	),
	by: sortKeys
});
type Params = v.InferOutput<typeof params>;

/** Compact once this many rows beyond k have arrived (bounds the sorts of small k). */
const MIN_SLACK = 4096;

function topKKernel(setup: KernelSetup): Kernel {
	const { k, by } = setup.params as Params;
	const schema = setup.inputSchemas[0];
	const keys = resolveKeys(schema, by);
	const cmp = rowComparator(keys);
	const threshold = k + Math.max(k, MIN_SLACK);
	let store = new ColumnStore(schema.types);
	let spare = new ColumnStore(schema.types);
	/** Whether the store's first k rows are the best k so far, in order (row k-1: the cutoff). */
	let full = false;
	let survivors = new Uint32Array(0);
	let emitter: SortedEmitter | null = null;

	/** Sorts the store and keeps its first k rows (in order). */
	function compact(): void {
		const order = sortedPermutation(store.columns, store.rows, keys);
		const keep = Math.min(k, store.rows);
		spare.clear();
		spare.append(store.view, order, keep);
		[store, spare] = [spare, store];
		spare.clear();
		full = store.rows === k;
	}

	return {
		consume(input) {
			const { view } = input;
			let selection = input.selection;
			let count = input.count;
			if (full) {
				// Only rows that sort before the cutoff can still make the top k.
				if (survivors.length < count) survivors = new Uint32Array(count);
				let n = 0;
				const cutoff = k - 1;
				for (let i = 0; i < count; i++) {
					const r = selection ? selection[i] : i;
					if (cmp(view.columns, r, store.columns, cutoff) < 0) survivors[n++] = r;
				}
				selection = survivors;
				count = n;
			}
			store.append(view, selection, count);
			if (store.rows >= threshold) compact();
			if (store.bytes() + spare.bytes() + 4 * store.rows > setup.budgetBytes) {
				throw new Error(
					sortMessages.overBudget('top-k', setup.stageName, setup.budgetBytes, store.rows)
				);
			}
			return 'more';
		},
		finish(ctx) {
			if (!emitter) {
				const order = sortedPermutation(store.columns, store.rows, keys);
				emitter = new SortedEmitter(
					'top-k',
					setup.stageName,
					schema,
					store,
					order,
					Math.min(k, store.rows),
					frameByteLimit(setup.budgetBytes)
				);
			}
			return emitter.step(ctx);
		},
		dispose() {
			store = spare = new ColumnStore([]);
			emitter = null;
		}
	};
}

export const topK: NodeDefinition<Params> = {
	kind: 'top-k',
	title: 'Top k',
	category: 'transform',
	description:
		'Keep the first k rows by one or more columns, in order (sort + limit, in little memory).',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { k: 10, by: [] },
	fields: [
		{ name: 'k', label: 'Rows to keep (k)', control: 'integer' },
		{
			name: 'by',
			label: 'Order by',
			control: 'json',
			help: '[{ column, descending: false, nulls: "last" | "first" }], first key first'
		}
	],
	traits: { stateless: false, blocking: true, partitionable: true },
	summary: (p) => `top ${p.k.toLocaleString('en-US')} by ${sortKeySummary(p.by)}`,
	inferSchema([input], p) {
		const problems = sortKeyProblems(input, p.by);
		return problems.length ? { ok: false, problems } : { ok: true, outputs: [input] };
	},
	usedColumns: (_inputs, p, [used]) => [
		passThrough(
			used,
			p.by.map((k) => k.column)
		)
	],
	kernel: topKKernel,
	acceptsSelection: true,
	partialSchema: (input) => input,
	partitioned: { partial: topKKernel, merge: topKKernel }
};
