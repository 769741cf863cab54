// Source: a built-in dataset that works with no network. 'taxi' is generated (any number of
// rows, the same table for any worker count); 'cities' is static/samples/cities.csv, read like a
// CSV source (fetched from /samples/cities.csv in a browser, read from disk in Node). Both
// schemas are known without reading anything.
import * as v from 'valibot';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { CITIES_SCHEMA } from './datasets';
import { csvReadKernel } from './kernels/source-csv';
import { taxiKernel, TAXI_SCHEMA } from './kernels/source-taxi';
import type { NodeDefinition } from './types';

export const SAMPLE_DATASETS = ['taxi', 'cities'] as const;

const params = v.object({
	name: v.optional(
		v.picklist(SAMPLE_DATASETS, `name must be one of ${SAMPLE_DATASETS.join(', ')}`),
		'taxi'
	),
	/** Rows of the generated 'taxi' table (ignored by 'cities'). */
	rows: v.optional(
		v.pipe(
			v.number(),
			v.integer(),
			v.minValue(0),
			v.maxValue(100_000_000, 'at most 100 million taxi rows')
		),
		1_000_000
	)
});
type Params = v.InferOutput<typeof params>;

function sampleKernel(setup: KernelSetup): Kernel {
	const p = setup.params as Params;
	if (p.name === 'taxi') return taxiKernel(setup, p.rows);
	// A file has one reader: instance 0 reads it, other instances have nothing to add.
	if (setup.instance > 0) return { produce: () => 'done' };
	return csvReadKernel({ source: 'sample:cities', options: {}, schema: CITIES_SCHEMA }, setup);
}

export const sampleDataset: NodeDefinition<Params> = {
	kind: 'sample-dataset',
	title: 'Sample dataset',
	category: 'source',
	description: 'A built-in dataset: generated taxi trips (any size) or a table of world cities.',
	inputs: [],
	outputs: [{ name: 'out' }],
	params,
	defaults: v.parse(params, {}),
	fields: [
		{ name: 'name', label: 'Dataset', control: 'select', options: SAMPLE_DATASETS },
		{ name: 'rows', label: 'Rows (taxi)', control: 'integer' }
	],
	traits: { stateless: false, blocking: false, partitionable: true },
	summary: (p) =>
		p.name === 'taxi' ? `taxi trips, ${p.rows.toLocaleString('en-US')} rows` : 'world cities',
	inferSchema: (_inputs, p) => {
		const schema = p.name === 'taxi' ? TAXI_SCHEMA : CITIES_SCHEMA;
		return { ok: true, outputs: [{ names: [...schema.names], types: [...schema.types] }] };
	},
	kernel: sampleKernel
};
