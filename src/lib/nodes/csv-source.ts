// Source: a CSV file from a URL, a same-origin path, a local path (headless Node) or a built-in
// sample, streamed through the CSV parser into frames. The output schema comes from the dataset
// registry (see datasets.ts: the caller probes the file before compiling), with `types`
// overriding inferred column types (param and overrides shared with the other file sources in
// formats/source-param.ts).
//
// Partitionable: paired with a partitioned chain (e.g. filter → group-by with several workers)
// the source runs one instance per worker. A local file read in Node is then split by byte
// ranges, one per instance (kernels/source-range.ts); anything else, or `parallel: false`, is
// read by instance 0 alone. In a split file, a bad row past the first range is reported with
// the file's line number (the instance re-reads the bytes before its range to count them).
import * as v from 'valibot';
import type { KernelSetup } from '../runtime/scheduler/kernel';
import type { NodeDefinition } from './types';
import { datasetRef, sampleSchema } from './datasets';
import { badRowsParam, columnTypesParam, sourceMessages, withTypes } from './formats/source-param';
import { csvReadKernel } from './kernels/source-csv';
import { SAMPLE_FILES, SAMPLE_PREFIX, locateSource } from './kernels/source-locate';

const BAD_ROWS = ['fail', 'skip', 'null'] as const;

const params = v.object({
	/** 'https://…/data.csv', '/samples/cities.csv', '/home/me/data.csv' (headless) or 'sample:cities'. */
	source: v.optional(v.string(), ''),
	delimiter: v.optional(
		v.pipe(v.string(), v.length(1, 'delimiter must be one character, e.g. , or ; or a tab')),
		','
	),
	header: v.optional(v.boolean(), true),
	badRows: badRowsParam(BAD_ROWS),
	/**
	 * Split a local file between workers by byte ranges when the plan runs several instances.
	 * false: one worker reads it all (needed for files with line breaks inside quoted fields
	 * beyond their first 64 KiB).
	 */
	parallel: v.optional(v.boolean(), true),
	/** Column name -> type, winning over inference. */
	types: columnTypesParam()
});
export type CsvSourceParams = v.InferOutput<typeof params>;

function csvSourceKernel(setup: KernelSetup) {
	const p = setup.params as CsvSourceParams;
	return csvReadKernel(
		{
			source: p.source.trim(),
			options: { delimiter: p.delimiter, header: p.header, badRows: p.badRows },
			schema: setup.outputSchemas[0],
			parallel: p.parallel
		},
		setup
	);
}

export const csvSource: NodeDefinition<CsvSourceParams> = {
	kind: 'csv',
	title: 'CSV',
	category: 'source',
	description: 'Stream a CSV file from a URL, a path or a built-in sample into typed columns.',
	inputs: [],
	outputs: [{ name: 'out' }],
	params,
	defaults: v.parse(params, {}),
	fields: [
		{
			name: 'source',
			label: 'Source',
			control: 'text',
			placeholder: 'https://example.com/data.csv or sample:cities',
			help: 'A URL, a path on this site, a local path (headless runs) or sample:<name>'
		},
		{ name: 'delimiter', label: 'Delimiter', control: 'text' },
		{ name: 'header', label: 'First row is a header', control: 'boolean' },
		{
			name: 'badRows',
			label: 'Bad rows',
			control: 'select',
			options: BAD_ROWS,
			help: 'fail: stop the run; skip: drop the row; null: keep it with nulls'
		},
		{
			name: 'types',
			label: 'Column types',
			control: 'json',
			help: '{ "price": "float64", "when": "timestamp:%Y/%m/%d %H:%M" }'
		},
		{
			name: 'parallel',
			label: 'Split between workers',
			control: 'boolean',
			help: 'Local files are parsed by several workers at once; turn off for files whose quoted fields span lines'
		}
	],
	traits: { stateless: false, blocking: false, partitionable: true },
	// Only local files are read by byte range; anything else is read once and dealt out.
	splits(p) {
		if (!p.parallel) return false;
		try {
			return locateSource(p.source).kind === 'file';
		} catch {
			return false;
		}
	},
	summary: (p) => {
		const source = p.source.trim();
		if (source === '') return 'no source yet';
		return p.delimiter === ',' ? source : `${source} (delimiter ${JSON.stringify(p.delimiter)})`;
	},
	inferSchema(_inputs, p, ctx) {
		const source = p.source.trim();
		if (source === '')
			return {
				ok: false,
				problems: [{ param: 'source', message: sourceMessages.noSource('CSV') }]
			};
		if (source.startsWith(SAMPLE_PREFIX)) {
			const name = source.slice(SAMPLE_PREFIX.length);
			if (!(name in SAMPLE_FILES))
				return {
					ok: false,
					problems: [{ param: 'source', message: sourceMessages.unknownSample(name) }]
				};
		}
		const options = { delimiter: p.delimiter, header: p.header };
		const dataset = ctx.datasetSchema(datasetRef(source, options)) ?? sampleSchema(source, options);
		if (!dataset)
			return {
				ok: false,
				problems: [{ param: 'source', message: sourceMessages.notLoaded(source) }]
			};
		const result = withTypes(dataset, p.types, source);
		return result.ok
			? { ok: true, outputs: [result.schema] }
			: { ok: false, problems: [result.problem] };
	},
	kernel: csvSourceKernel
};
