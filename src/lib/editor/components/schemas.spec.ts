import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler';
import type { PipelineDocument } from '../../graph/document';
import { DatasetRegistry } from '../../nodes/datasets';
import { schemaIndex } from './schemas';

const FILE = 'local:k1/airports.csv';
const AIRPORTS = {
	names: ['iata', 'name', 'latitude', 'longitude'],
	types: ['utf8', 'utf8', 'float64', 'float64']
} as const;

/** generator (alone) · csv (a local file) → chart. */
function doc(): PipelineDocument {
	const at = { x: 0, y: 0 };
	return {
		version: 1,
		id: 'schemas',
		name: 'schemas',
		nodes: [
			{ id: 'gen', kind: 'generator', params: {}, position: at },
			{ id: 'csv', kind: 'csv', params: { source: FILE }, position: at },
			{ id: 'chart', kind: 'chart', params: {}, position: at }
		],
		edges: [{ id: 'e1', from: { node: 'csv', port: 'out' }, to: { node: 'chart', port: 'in' } }]
	};
}

function datasets(): DatasetRegistry {
	const registry = new DatasetRegistry();
	registry.registerDatasetSchema(FILE, { names: [...AIRPORTS.names], types: [...AIRPORTS.types] });
	return registry;
}

describe('schemaIndex', () => {
	it('gives a local file source its schema, and the chart it feeds its input schema', () => {
		const ctx = datasets();
		const { diagnostics } = compile(doc(), {}, ctx);
		const index = schemaIndex(doc(), diagnostics, ctx);
		expect(index.get('csv')?.outputs[0]?.names).toEqual(AIRPORTS.names);
		expect(index.get('chart')?.inputs[0]?.names).toEqual(AIRPORTS.names);
		expect(index.get('gen')?.outputs[0]?.names).toContain('value');
	});

	it('keeps the schema of nodes unrelated to a source whose schema it cannot know', () => {
		// Diagnostics from a compile that knew the file, an index built without it: the file node
		// and the chart lose their schemas, the generator keeps its own.
		const { diagnostics } = compile(doc(), {}, datasets());
		const index = schemaIndex(doc(), diagnostics);
		expect(index.get('gen')?.outputs[0]?.names).toContain('value');
		expect(index.get('csv')?.outputs).toEqual([]);
		expect(index.get('chart')?.inputs).toEqual([undefined]);
	});
});
