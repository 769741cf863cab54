// Transform: keeps the rows for which an expression is true (null and false drop the row).
import * as v from 'valibot';
import { checkExpression, evaluateFilter, type CompiledExpr } from './expr';
import type { NodeDefinition } from './types';
import { passThrough } from './used-columns';
import { sameColumns } from './row-conditions';
import { columnConditions } from './expr/conditions';

const params = v.object({ expression: v.optional(v.string(), 'true') });
type Params = v.InferOutput<typeof params>;

export const filter: NodeDefinition<Params> = {
	kind: 'filter',
	title: 'Filter',
	category: 'transform',
	description: 'Keep the rows where an expression is true.',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { expression: 'true' },
	fields: [
		{
			name: 'expression',
			label: 'Keep rows where',
			control: 'expression',
			placeholder: 'amount > 100 and region == "EU"'
		}
	],
	// A string literal is repeated in every row where an operator needs it as a vector; its
	// UTF-8 takes at most 3 bytes per character of the expression's text.
	stepRowBytes: (p) => 3 * p.expression.length,
	traits: { stateless: true, blocking: false, partitionable: true },
	summary: (p) => p.expression,
	inferSchema([input], p) {
		const checked = checkExpression(p.expression, input);
		if (!checked.ok)
			return { ok: false, problems: checked.errors.map((e) => ({ ...e, param: 'expression' })) };
		if (checked.type !== 'bool' && checked.type !== 'null') {
			return {
				ok: false,
				problems: [
					{
						param: 'expression',
						message: `a filter needs a true/false expression, but this one gives ${checked.type}`,
						start: 0,
						end: p.expression.length
					}
				]
			};
		}
		return { ok: true, outputs: [input] };
	},
	usedColumns([input], p, [used]) {
		const checked = checkExpression(p.expression, input);
		return [checked.ok ? passThrough(used, checked.columns) : null];
	},
	rowConditions: ([input], p) => columnConditions(p.expression, input),
	carriesRows: ([input]) => sameColumns(input.names),
	step({ params: p, inputSchema }) {
		const checked = checkExpression(p.expression, inputSchema);
		if (!checked.ok) throw new Error(checked.errors[0].message);
		const program: CompiledExpr = checked.program;
		return (batch) => {
			const sel = batch.selection ? batch.selection.subarray(0, batch.count) : undefined;
			const { selection, count } = evaluateFilter(program, batch.view, sel);
			return { view: batch.view, selection, count };
		};
	}
};
