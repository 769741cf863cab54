// Transform: keeps, reorders and renames columns (no data is copied).
import * as v from 'valibot';
import { columnIndex } from './schema-util';
import type { NodeDefinition } from './types';
import { passThrough } from './used-columns';
import { sameColumns } from './row-conditions';

const params = v.object({
	/** Columns to keep, in output order; `old as new` renames. Empty keeps all. */
	columns: v.optional(v.array(v.string()), [])
});
type Params = v.InferOutput<typeof params>;

interface Pick {
	from: string;
	to: string;
}

export function parsePicks(columns: string[]): Pick[] {
	return columns.map((c) => {
		const m = /^\s*(.+?)\s+as\s+(.+?)\s*$/i.exec(c);
		return m ? { from: m[1], to: m[2] } : { from: c.trim(), to: c.trim() };
	});
}

export const select: NodeDefinition<Params> = {
	kind: 'select',
	title: 'Select / rename',
	category: 'transform',
	description: 'Keep, reorder and rename columns. Write `old as new` to rename.',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { columns: [] },
	fields: [
		{
			name: 'columns',
			label: 'Columns (in order)',
			control: 'columns',
			help: 'Write `old as new` to rename.'
		}
	],
	traits: { stateless: true, blocking: false, partitionable: true },
	summary: (p) => (p.columns.length ? p.columns.join(', ') : 'all columns'),
	inferSchema([input], p) {
		if (p.columns.length === 0) return { ok: true, outputs: [input] };
		const picks = parsePicks(p.columns);
		const problems = picks
			.filter((k) => columnIndex(input, k.from) < 0)
			.map((k) => ({
				param: 'columns',
				message: `unknown column '${k.from}' (columns: ${input.names.join(', ')})`
			}));
		const seen = new Set<string>();
		for (const k of picks) {
			if (seen.has(k.to))
				problems.push({ param: 'columns', message: `column '${k.to}' appears twice` });
			seen.add(k.to);
		}
		if (problems.length) return { ok: false, problems };
		return {
			ok: true,
			outputs: [
				{
					names: picks.map((k) => k.to),
					types: picks.map((k) => input.types[columnIndex(input, k.from)])
				}
			]
		};
	},
	usedColumns(_inputs, p, [used]) {
		if (p.columns.length === 0) return [passThrough(used, [])];
		const picks = parsePicks(p.columns);
		return [new Set(picks.filter((k) => used === null || used.has(k.to)).map((k) => k.from))];
	},
	carriesRows: ([input], p) =>
		p.columns.length === 0
			? sameColumns(input.names)
			: new Map(parsePicks(p.columns).map((k) => [k.to, k.from])),
	step({ params: p, inputSchema }) {
		if (p.columns.length === 0) return (batch) => batch;
		const indices = parsePicks(p.columns).map((k) => columnIndex(inputSchema, k.from));
		return (batch) => ({
			view: { length: batch.view.length, columns: indices.map((i) => batch.view.columns[i]) },
			selection: batch.selection,
			count: batch.count
		});
	}
};
