// Source: JSON records — NDJSON (one object per line) or a JSON array of objects, told apart by
// the file's first non-space byte — streamed from a URL, a same-origin path, a local path
// (headless Node) or a built-in sample into typed columns. A large file is never read whole: the
// kernel splits records as bytes arrive (json/json-split.ts) and parses one record at a time.
//
// The output schema comes from the dataset registry (datasets.ts probes the first records, see
// json/json-infer.ts for the flattening and type rules), with `types` overriding inferred types.
import * as v from 'valibot';
import type { KernelSetup } from '../runtime/scheduler/kernel';
import type { NodeDefinition } from './types';
import {
	badRowsParam,
	columnTypesParam,
	datasetOf,
	sourceField,
	withTypes
} from './formats/source-param';
import { DEFAULT_JSON_DEPTH } from './json/json-infer';
import { jsonReadKernel } from './kernels/source-json';

const BAD_ROWS = ['fail', 'skip'] as const;
export const MAX_JSON_DEPTH = 8;

const params = v.object({
	/** 'https://…/data.ndjson', '/samples/events.ndjson', '/home/me/data.json' or 'sample:events'. */
	source: v.optional(v.string(), ''),
	/** Levels of nested objects flattened into `a.b` columns; deeper objects stay JSON text. */
	depth: v.optional(
		v.pipe(
			v.number(),
			v.integer(),
			v.minValue(0, 'depth must be 0 or more'),
			v.maxValue(MAX_JSON_DEPTH, `depth must be at most ${MAX_JSON_DEPTH}`)
		),
		DEFAULT_JSON_DEPTH
	),
	badRows: badRowsParam(BAD_ROWS),
	/** Column name -> type, winning over inference. */
	types: columnTypesParam()
});
export type JsonSourceParams = v.InferOutput<typeof params>;

export const jsonSource: NodeDefinition<JsonSourceParams> = {
	kind: 'json',
	title: 'JSON',
	category: 'source',
	description:
		'Stream JSON records — one object per line (NDJSON) or an array of objects — into typed ' +
		'columns. Nested objects become a.b columns up to the flattening depth (default 1); arrays ' +
		'and deeper objects are kept as JSON text. Types are inferred from the first 1,000 records: ' +
		'whole numbers int64, other numbers float64, true/false bool, ISO dates date32, ISO ' +
		'date-times timestamp, anything else or mixed text.',
	inputs: [],
	outputs: [{ name: 'out' }],
	params,
	defaults: v.parse(params, {}),
	fields: [
		sourceField('events.ndjson'),
		{
			name: 'depth',
			label: 'Flatten depth',
			control: 'integer',
			help: '1: {"a":{"b":1}} gives column a.b; 0: column a holds the object as JSON text'
		},
		{
			name: 'badRows',
			label: 'Bad records',
			control: 'select',
			options: BAD_ROWS,
			help: 'fail: stop the run naming the line; skip: drop the record'
		},
		{ name: 'types', label: 'Column types', control: 'json', help: '{ "amount": "float64" }' }
	],
	traits: { stateless: false, blocking: false, partitionable: false },
	summary: (p) => {
		const source = p.source.trim();
		if (source === '') return 'no source yet';
		return p.depth === DEFAULT_JSON_DEPTH ? source : `${source} (depth ${p.depth})`;
	},
	inferSchema(_inputs, p, ctx) {
		const dataset = datasetOf('json', p.source, { depth: p.depth }, ctx);
		if (!dataset.ok) return { ok: false, problems: [dataset.problem] };
		const typed = withTypes(dataset.schema, p.types, p.source.trim());
		return typed.ok
			? { ok: true, outputs: [typed.schema] }
			: { ok: false, problems: [typed.problem] };
	},
	kernel: (setup: KernelSetup) => {
		const p = setup.params as JsonSourceParams;
		return jsonReadKernel(
			{
				source: p.source.trim(),
				schema: setup.outputSchemas[0],
				depth: p.depth,
				badRows: p.badRows
			},
			setup
		);
	}
};
