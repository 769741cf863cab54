// fast-check arbitraries of the stateful steps of a random pipeline: group-by anywhere in a
// chain, and sort, top-k and limit as the last step of a branch (what follows them is only
// sinks, since which rows a limit or top-k passes on may depend on arrival order).
import fc from 'fast-check';
import type { GenField } from './expressions-arb';
import { exprTypeOfColumn } from './expression';
import { groupBySchema } from './kinds';

export interface Step {
	kind: string;
	params: Record<string, unknown>;
	out: GenField[];
}

const OPS = ['count', 'sum', 'mean', 'min', 'max', 'count_distinct'] as const;

export function fresh(taken: Set<string>, base: string): string {
	let name = base;
	while (taken.has(name)) name += '2';
	taken.add(name);
	return name;
}

/**
 * A group-by over `fields`. `floatSums`: allow sum/mean of float columns, whose last bits depend
 * on the order rows are added in (so only for runs that keep one order).
 */
export function groupByArb(fields: GenField[], floatSums: boolean): fc.Arbitrary<Step> {
	const numeric = fields.filter((f) => {
		const t = exprTypeOfColumn(f.type);
		return t === 'int' || (floatSums && t === 'float');
	});
	const aggregate = fc
		.tuple(fc.constantFrom(...OPS), fc.constantFrom(...fields), fc.boolean())
		.map(([op, f, rowCount]) => {
			if (op === 'count') return rowCount ? { op } : { op, column: f.name };
			if ((op === 'sum' || op === 'mean') && !numeric.includes(f)) {
				return numeric.length ? { op, column: numeric[0].name } : { op: 'count' as const };
			}
			return { op, column: f.name };
		});
	return fc
		.tuple(
			fc.shuffledSubarray(fields, { maxLength: Math.min(2, fields.length) }),
			fc.array(aggregate, { minLength: 1, maxLength: 3 })
		)
		.map(([keyFields, aggs]): Step => {
			const keys = keyFields.map((f) => f.name);
			const taken = new Set(keys);
			const aggregates = aggs.map((a) => {
				const name = 'column' in a ? `${a.op}_${a.column}` : a.op;
				const as = fresh(taken, name);
				return as === name ? a : { ...a, as };
			});
			const params = { keys, aggregates };
			const schema = groupBySchema(
				{ names: fields.map((f) => f.name), types: fields.map((f) => f.type) },
				params
			);
			const out = schema.names.map((name, i) => ({ name, type: schema.types[i] }));
			return { kind: 'group-by', params, out };
		});
}

const sortKeys = (fields: GenField[]) =>
	fc
		.shuffledSubarray(fields, { minLength: 1, maxLength: Math.min(3, fields.length) })
		.chain((keys) =>
			fc.tuple(
				...keys.map((f) =>
					fc
						.record({ descending: fc.boolean(), nulls: fc.constantFrom('first', 'last') })
						.map((k) => ({ column: f.name, ...k }))
				)
			)
		);

/** sort, top-k or limit: a step that only sinks may follow. */
export function lastStepArb(fields: GenField[]): fc.Arbitrary<Step> {
	const sort = sortKeys(fields).map((by): Step => ({ kind: 'sort', params: { by }, out: fields }));
	const topK = fc
		.tuple(
			sortKeys(fields),
			fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 3000 }))
		)
		.map(([by, k]): Step => ({ kind: 'top-k', params: { by, k }, out: fields }));
	const limit = fc
		.record({
			rows: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3000 })),
			offset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2000 }))
		})
		.map((params): Step => ({ kind: 'limit', params, out: fields }));
	return fc.oneof(sort, topK, limit);
}
