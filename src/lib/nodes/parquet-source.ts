// Source: a Parquet file from a URL, a same-origin path, a local path (headless Node) or a
// built-in sample, read one row group at a time with only the chosen columns' bytes fetched
// (Range requests over HTTP), so a large file is never read whole. The schema comes from the
// dataset registry (datasets.ts reads the footer); `columns` chooses and orders the columns.
//
// Partitionable: paired with a partitioned chain (e.g. filter → group-by with several workers)
// the source runs one instance per worker, each reading its share of the row groups
// (parquet/row-group-split.ts) — for a local file, a URL and a sample alike, since every
// location is read by ranges. No `splits`: the plan is made from params, before any footer is
// read, so a file with fewer row groups than workers is split too, and the instances given no
// group emit nothing (such a file is at most a few row groups' worth of rows: quick to read).
import * as v from 'valibot';
import type { KernelSetup } from '../runtime/scheduler/kernel';
import type { NodeDefinition } from './types';
import type { ColumnCondition } from './row-conditions';
import { datasetOf, sourceField, sourceMessages } from './formats/source-param';
import { parquetReadKernel } from './kernels/source-parquet';

const params = v.object({
	/** 'https://…/data.parquet', '/samples/trips.parquet', '/home/me/x.parquet' or 'sample:trips'. */
	source: v.optional(v.string(), ''),
	/** Columns to read, in output order; empty: every column Sluice can read. */
	columns: v.optional(v.array(v.string()), [])
});
export type ParquetSourceParams = v.InferOutput<typeof params>;

/** What the kernel runs with: the params, and the conditions of the filters it feeds. */
type RunParams = ParquetSourceParams & { where?: ColumnCondition[] };

export const parquetSource: NodeDefinition<ParquetSourceParams> = {
	kind: 'parquet',
	title: 'Parquet',
	category: 'source',
	description:
		'Read a Parquet file row group by row group, fetching only the chosen columns. Integers, ' +
		'floats, decimals (as float64), booleans, text, dates and timestamps (as milliseconds, UTC) ' +
		'are read; nested, binary, interval and time columns are left out, and the card says which.',
	inputs: [],
	outputs: [{ name: 'out' }],
	params,
	defaults: v.parse(params, {}),
	fields: [
		sourceField('data.parquet'),
		{
			name: 'columns',
			label: 'Columns',
			control: 'json',
			help: 'Read only these columns (fewer bytes fetched), e.g. ["fare", "borough"]; [] reads them all'
		}
	],
	traits: { stateless: false, blocking: false, partitionable: true },
	// The kernel reads the columns of its stage's schema: the compiler leaves out those no node
	// downstream reads, and their bytes are never fetched.
	readsGivenColumns: true,
	// Row groups whose min/max statistics rule out a filter downstream are not read.
	withConditions: (p, where): RunParams => ({ ...p, where }),
	summary: (p) => {
		const source = p.source.trim();
		if (source === '') return 'no source yet';
		return p.columns.length === 0 ? source : `${source} (${p.columns.length} columns)`;
	},
	inferSchema(_inputs, p, ctx) {
		const dataset = datasetOf('parquet', p.source, {}, ctx);
		if (!dataset.ok) return { ok: false, problems: [dataset.problem] };
		const { names, types } = dataset.schema;
		if (p.columns.length === 0) return { ok: true, outputs: [dataset.schema] };
		const missing = p.columns.find((c) => !names.includes(c));
		if (missing !== undefined)
			return {
				ok: false,
				problems: [
					{
						param: 'columns',
						message: sourceMessages.unknownColumn('columns', missing, p.source.trim(), names)
					}
				]
			};
		return {
			ok: true,
			outputs: [{ names: [...p.columns], types: p.columns.map((c) => types[names.indexOf(c)]) }]
		};
	},
	kernel: (setup: KernelSetup) => {
		const p = setup.params as RunParams;
		const spec = {
			source: p.source.trim(),
			schema: setup.outputSchemas[0],
			readsAll: p.columns.length === 0,
			where: p.where
		};
		return parquetReadKernel(spec, setup);
	}
};
