import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { DatasetRegistry } from '../../nodes/datasets';
import type { FrameSchema } from '../../runtime/batch/types';
import { Analyser } from './analysis';

const URL = 'https://example.com/sales.csv';
const SALES: FrameSchema = { names: ['id', 'amount'], types: ['int32', 'float64'] };

function salesDoc(): PipelineDocument {
	const nodes = [
		{ id: 'sales', kind: 'csv', params: { source: URL } },
		{ id: 'big', kind: 'filter', params: { expression: 'amount > 20' } },
		{ id: 'sink', kind: 'table', params: {} }
	];
	return {
		version: 1,
		id: 'd',
		name: 'sales',
		nodes: nodes.map((n, i) => ({ ...n, position: { x: i * 300, y: 0 } })),
		edges: [
			{ id: 'e1', from: { node: 'sales', port: 'out' }, to: { node: 'big', port: 'in' } },
			{ id: 'e2', from: { node: 'big', port: 'out' }, to: { node: 'sink', port: 'in' } }
		]
	};
}

/** The editor's datasets in small: a registry and a version bumped on each registration. */
class VersionedDatasets extends DatasetRegistry {
	version = 0;
	override registerDatasetSchema(ref: string, schema: FrameSchema): void {
		super.registerDatasetSchema(ref, schema);
		this.version++;
	}
}

describe('Analyser', () => {
	it('compiles the same document again once a schema its source waited for arrives', () => {
		const datasets = new VersionedDatasets();
		const analyser = new Analyser({ workers: 2 }, datasets);
		const doc = salesDoc();
		const before = analyser.analyse(doc);
		expect(before.byNode.get('sales')?.[0].message).toBe(
			`CSV (sales): schema of '${URL}' is not known yet — load it first`
		);
		expect(before.compiled.plan).toBeNull();

		datasets.registerDatasetSchema(URL, SALES);
		const after = analyser.analyse(doc);
		expect(after.diagnostics).toEqual([]);
		expect(after.compiled.plan).not.toBeNull();
	});

	it('reuses the last compile when only positions changed and no schema arrived', () => {
		const datasets = new VersionedDatasets();
		datasets.registerDatasetSchema(URL, SALES);
		const analyser = new Analyser({ workers: 2 }, datasets);
		const doc = salesDoc();
		const first = analyser.analyse(doc);
		const moved = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })) };
		expect(analyser.analyse(moved)).toBe(first);
	});
});
