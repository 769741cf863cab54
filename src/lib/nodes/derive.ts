// Transform: adds (or replaces) a column computed from an expression.
import * as v from 'valibot';
import { checkExpression, evaluate, ExprOverflowError } from './expr';
import { columnIndex, withColumn } from './schema-util';
import type { NodeDefinition } from './types';
import { passThrough } from './used-columns';
import { sameColumns } from './row-conditions';

const params = v.object({
	column: v.optional(
		v.pipe(v.string(), v.trim(), v.minLength(1, 'give the new column a name')),
		'result'
	),
	expression: v.optional(v.string(), '1')
});
type Params = v.InferOutput<typeof params>;

export const derive: NodeDefinition<Params> = {
	kind: 'derive',
	title: 'Derive',
	category: 'transform',
	description: 'Add a column computed from an expression (or replace one with the same name).',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { column: 'result', expression: '1' },
	fields: [
		{ name: 'column', label: 'Column', control: 'text' },
		{ name: 'expression', label: 'Expression', control: 'expression', placeholder: 'price * qty' }
	],
	// A string literal is repeated in every row where an operator needs it as a vector; its
	// UTF-8 takes at most 3 bytes per character of the expression's text.
	stepRowBytes: (p) => 3 * p.expression.length,
	traits: { stateless: true, blocking: false, partitionable: true },
	summary: (p) => `${p.column} = ${p.expression}`,
	inferSchema([input], p) {
		const checked = checkExpression(p.expression, input);
		if (!checked.ok)
			return { ok: false, problems: checked.errors.map((e) => ({ ...e, param: 'expression' })) };
		return { ok: true, outputs: [withColumn(input, p.column, checked.outputColumnType)] };
	},
	usedColumns([input], p, [used]) {
		const checked = checkExpression(p.expression, input);
		if (!checked.ok || used === null) return [null];
		// The column it writes comes from the expression, not from the input.
		const rest = new Set(used);
		rest.delete(p.column);
		return [passThrough(rest, checked.columns)];
	},
	carriesRows: ([input], p) => sameColumns(input.names, p.column),
	step({ params: p, inputSchema }) {
		const checked = checkExpression(p.expression, inputSchema);
		if (!checked.ok) throw new Error(checked.errors[0].message);
		const program = checked.program;
		const at = columnIndex(inputSchema, p.column);
		return (batch) => {
			let column;
			try {
				column = evaluate(program, batch.view);
			} catch (error) {
				// The runtime adds the node's name; the message names the row by its values.
				if (error instanceof ExprOverflowError)
					throw new RangeError(`column '${p.column}': ${error.message}`, { cause: error });
				throw error;
			}
			const columns = [...batch.view.columns];
			if (at >= 0) columns[at] = column;
			else columns.push(column);
			return {
				view: { length: batch.view.length, columns },
				selection: batch.selection,
				count: batch.count
			};
		};
	}
};
