// Transform: groups rows by key columns and computes aggregates per group (SQL GROUP BY).
//
// Params: keys (0 or more columns; none = one group over all rows, which exists even for an
// empty input, as in SQL) and aggregates [{ op, column?, as? }] with op count (rows, or the
// non-null values of `column`), sum, mean, min, max, count_distinct. Output: the key columns,
// then one column per aggregate, named `as` or `<op>_<column>` ('count' for count of rows).
// Types and partial state: kernels/group-plan.ts. Null keys form one group; aggregates skip
// nulls, and a group with no values gets null from sum, mean, min and max, 0 from counts.
// Order: groups in first-seen order on one instance; after a parallel merge, arrival order.
import * as v from 'valibot';
import { groupKernel } from './kernels/group-kernel';
import { AGG_OPS, defaultAggName, planGroupBy, type GroupByParams } from './kernels/group-plan';
import type { NodeDefinition } from './types';

const aggregate = v.object({
	op: v.picklist(AGG_OPS, `op must be one of ${AGG_OPS.join(', ')}`),
	column: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'column must not be empty'))),
	as: v.optional(v.string())
});

const params = v.object({
	keys: v.optional(v.array(v.string()), []),
	aggregates: v.optional(v.array(aggregate), [{ op: 'count' as const }])
});

const describe = (a: GroupByParams['aggregates'][number]): string => {
	const call = a.column === undefined ? `${a.op}()` : `${a.op}(${a.column})`;
	const name = a.as?.trim();
	return name && name !== defaultAggName(a) ? `${call} as ${name}` : call;
};

export const groupBy: NodeDefinition<GroupByParams> = {
	kind: 'group-by',
	title: 'Group by',
	category: 'transform',
	description: 'Group rows by key columns and compute counts, sums, means, minima and maxima.',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params: params as v.GenericSchema<unknown, GroupByParams>,
	defaults: { keys: [], aggregates: [{ op: 'count' }] },
	fields: [
		{ name: 'keys', label: 'Group by', control: 'columns', help: 'None: one group of all rows.' },
		{
			name: 'aggregates',
			label: 'Aggregates',
			control: 'json',
			help: '[{ op: count|sum|mean|min|max|count_distinct, column, as }]'
		}
	],
	traits: { stateless: false, blocking: true, partitionable: true },
	summary: (p) =>
		`${p.keys.length ? `by ${p.keys.join(', ')}` : 'all rows'}: ${p.aggregates.map(describe).join(', ')}`,
	inferSchema([input], p) {
		const planned = planGroupBy(input, p);
		return planned.ok ? { ok: true, outputs: [planned.plan.output] } : planned;
	},
	usedColumns: (_inputs, p) => [
		new Set([...p.keys, ...p.aggregates.flatMap((a) => (a.column === undefined ? [] : [a.column]))])
	],
	partialSchema(input, p) {
		const planned = planGroupBy(input, p);
		if (!planned.ok) throw new Error(planned.problems[0].message);
		return planned.plan.partial;
	},
	acceptsSelection: true,
	kernel: groupKernel('final'),
	partitioned: { partial: groupKernel('partial'), merge: groupKernel('merge') }
};
