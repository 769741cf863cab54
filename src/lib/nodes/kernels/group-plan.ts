// What a group-by computes, worked out once from its params and input schema: key columns,
// aggregates with their source columns and output types, the output schema, and the schema
// of the partial state that parallel instances send to the merge stage.
//
// Output types: count and count_distinct int64; sum of 8-32-bit ints int64 (summed in float64:
// exact while |sum| < 2^53, rounded beyond, never wrapped), of int64/uint64 the same type
// (summed exactly in 64 bits; a sum past the type's range fails the run, as SQL engines do, and is
// never wrapped), of floats
// float64; mean float64; min and max the column's type.
//
// Partial schema (one row per group, "state rows", plus "distinct rows"):
//   key columns..., __part int8 (0 = state row, j + 1 = a distinct value of aggregate j),
//   then per aggregate its state columns:
//     count:  n float64          sum:  s (float64, or int64/uint64 for 64-bit ints; null = none)
//     mean:   s float64, n float64                min/max: m (column type; null = none)
//     count_distinct: v (column type): null in state rows, one distinct value per distinct row.
// Distinct rows carry one (group, value) pair each, deduplicated per instance, so any number
// of distinct values travels in ordinary batches and the merge just unions them.
import type { ColumnType } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import { isNumeric } from '../schema-util';
import type { NodeProblem } from '../types';

export const AGG_OPS = ['count', 'sum', 'mean', 'min', 'max', 'count_distinct'] as const;
export type AggOp = (typeof AGG_OPS)[number];

export interface AggregateParam {
	op: AggOp;
	column?: string;
	as?: string;
}

export interface GroupByParams {
	keys: string[];
	aggregates: AggregateParam[];
}

export interface AggPlan {
	op: AggOp;
	/** Source column index in the input, -1 for count of rows. */
	column: number;
	/** Type the aggregate reads: the source column's (or, in a merge, what its state implies). */
	srcType: ColumnType;
	name: string;
	outType: ColumnType;
	/** Index of its first state column in the partial schema. */
	partialAt: number;
	partialTypes: ColumnType[];
}

export interface GroupPlan {
	keyColumns: number[];
	keyTypes: ColumnType[];
	aggs: AggPlan[];
	output: FrameSchema;
	partial: FrameSchema;
}

const BIG_INTS: readonly ColumnType[] = ['int64', 'uint64'];

export function defaultAggName(a: AggregateParam): string {
	return a.column === undefined ? a.op : `${a.op}_${a.column}`;
}

function outTypeOf(op: AggOp, src: ColumnType): ColumnType {
	if (op === 'count' || op === 'count_distinct') return 'int64';
	if (op === 'mean') return 'float64';
	if (op === 'sum') {
		if (BIG_INTS.includes(src)) return src;
		return src === 'float32' || src === 'float64' ? 'float64' : 'int64';
	}
	return src;
}

function stateTypesOf(op: AggOp, src: ColumnType): ColumnType[] {
	if (op === 'count') return ['float64'];
	if (op === 'sum') return [BIG_INTS.includes(src) ? src : 'float64'];
	if (op === 'mean') return ['float64', 'float64'];
	return [src];
}

/** The plan, or the problems with the params (each naming the column or aggregate). */
export function planGroupBy(
	input: FrameSchema,
	p: GroupByParams
): { ok: true; plan: GroupPlan } | { ok: false; problems: NodeProblem[] } {
	const problems: NodeProblem[] = [];
	const known = `(columns: ${input.names.join(', ')})`;
	const keyColumns = p.keys.map((k) => input.names.indexOf(k));
	p.keys.forEach((k, i) => {
		if (keyColumns[i] < 0)
			problems.push({ param: 'keys', message: `unknown column '${k}' ${known}` });
		else if (p.keys.indexOf(k) !== i)
			problems.push({ param: 'keys', message: `key '${k}' is listed twice` });
	});
	if (p.keys.length === 0 && p.aggregates.length === 0)
		problems.push({ param: 'aggregates', message: 'add a key or an aggregate' });
	const names = [...p.keys];
	const specs = p.aggregates.map((a, j) => {
		const what = `aggregate ${j + 1} (${a.op})`;
		const name = a.as?.trim() || defaultAggName(a);
		if (names.includes(name))
			problems.push({
				param: 'aggregates',
				message: `output column '${name}' appears twice: give ${what} another name with "as"`
			});
		names.push(name);
		if (a.column === undefined) {
			if (a.op !== 'count')
				problems.push({ param: 'aggregates', message: `${what} needs a column` });
			return { op: a.op, column: -1, srcType: 'int64' as ColumnType, name };
		}
		const column = input.names.indexOf(a.column);
		if (column < 0) {
			problems.push({
				param: 'aggregates',
				message: `${what}: unknown column '${a.column}' ${known}`
			});
			return { op: a.op, column, srcType: 'int64' as ColumnType, name };
		}
		const srcType = input.types[column];
		if ((a.op === 'sum' || a.op === 'mean') && !isNumeric(srcType))
			problems.push({
				param: 'aggregates',
				message: `${what} needs a numeric column, but '${a.column}' is ${srcType}`
			});
		return { op: a.op, column, srcType, name };
	});
	if (problems.length) return { ok: false, problems };
	return {
		ok: true,
		plan: assemble(
			keyColumns,
			p.keys,
			keyColumns.map((c) => input.types[c]),
			specs
		)
	};
}

function assemble(
	keyColumns: number[],
	keyNames: string[],
	keyTypes: ColumnType[],
	specs: { op: AggOp; column: number; srcType: ColumnType; name: string; outType?: ColumnType }[]
): GroupPlan {
	const partial: FrameSchema = { names: [...keyNames, '__part'], types: [...keyTypes, 'int8'] };
	const aggs = specs.map((s, j): AggPlan => {
		const partialTypes = stateTypesOf(s.op, s.srcType);
		const partialAt = partial.names.length;
		partialTypes.forEach((t, k) => {
			partial.names.push(`__${j}_${k}`);
			partial.types.push(t);
		});
		return { ...s, outType: s.outType ?? outTypeOf(s.op, s.srcType), partialAt, partialTypes };
	});
	const output: FrameSchema = {
		names: [...keyNames, ...aggs.map((a) => a.name)],
		types: [...keyTypes, ...aggs.map((a) => a.outType)]
	};
	return { keyColumns, keyTypes, aggs, output, partial };
}

/**
 * The plan of a merge stage, which sees only the partial schema and the final output schema:
 * keys are the partial's first columns, and each aggregate reads its own state columns.
 */
export function planMerge(p: GroupByParams, partial: FrameSchema, output: FrameSchema): GroupPlan {
	const k = p.keys.length;
	const keyTypes = partial.types.slice(0, k);
	let at = k + 1;
	const specs = p.aggregates.map((a, j) => {
		const outType = output.types[k + j];
		const state = partial.types[at];
		at += a.op === 'mean' ? 2 : 1;
		// What the state columns hold decides how they combine; the output type how they are shown.
		const srcType: ColumnType = a.op === 'sum' ? (state === 'float64' ? 'float64' : state) : state;
		return { op: a.op, column: -1, srcType, name: output.names[k + j], outType };
	});
	return assemble(
		keyTypes.map((_, i) => i),
		partial.names.slice(0, k),
		keyTypes,
		specs
	);
}
