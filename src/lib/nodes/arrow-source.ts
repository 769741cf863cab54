// Source: an Arrow IPC file (.arrow, .feather v2) or stream (.arrows) from a URL, a same-origin
// path, a local path (headless Node) or a built-in sample, streamed batch by batch into frames.
// The schema comes from the dataset registry (datasets.ts reads the schema message first).
// Dictionary-encoded text is decoded; types a frame cannot carry are refused naming the column.
import * as v from 'valibot';
import type { KernelSetup } from '../runtime/scheduler/kernel';
import type { NodeDefinition } from './types';
import { datasetOf, sourceField } from './formats/source-param';
import { arrowReadKernel } from './kernels/source-arrow';

const params = v.object({
	/** 'https://…/data.arrow', '/data/part.arrows', '/home/me/data.arrow' or 'sample:<name>'. */
	source: v.optional(v.string(), '')
});
export type ArrowSourceParams = v.InferOutput<typeof params>;

export const arrowSource: NodeDefinition<ArrowSourceParams> = {
	kind: 'arrow',
	title: 'Arrow IPC',
	category: 'source',
	description:
		'Stream an Arrow IPC file or stream into columns, batch by batch. Dictionary-encoded text ' +
		'is decoded; timestamps of any unit become milliseconds (UTC); lists, structs and other ' +
		'nested types are refused with the column named.',
	inputs: [],
	outputs: [{ name: 'out' }],
	params,
	defaults: v.parse(params, {}),
	fields: [sourceField('data.arrow')],
	traits: { stateless: false, blocking: false, partitionable: false },
	summary: (p) => p.source.trim() || 'no source yet',
	inferSchema(_inputs, p, ctx) {
		const dataset = datasetOf('arrow', p.source, {}, ctx);
		return dataset.ok
			? { ok: true, outputs: [dataset.schema] }
			: { ok: false, problems: [dataset.problem] };
	},
	kernel: (setup: KernelSetup) => {
		const p = setup.params as ArrowSourceParams;
		return arrowReadKernel({ source: p.source.trim(), schema: setup.outputSchemas[0] }, setup);
	}
};
