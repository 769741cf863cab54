import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { chain, node } from './fixtures.spec-support';
import { cappedSourceParams, previewDocument, upstreamOf } from './preview-doc';

const LIMITS = { previewRows: 500, tableRows: 7 };

function fork(): PipelineDocument {
	// cities -> flt -> tbl, and cities -> drv (a second consumer); gen -> st elsewhere.
	const doc = chain(
		node('cities', 'sample-dataset', { name: 'cities' }),
		node('flt', 'filter', { expression: 'true' }),
		node('tbl', 'table')
	);
	return {
		...doc,
		nodes: [
			...doc.nodes,
			node('drv', 'derive', { column: 'x', expression: '1' }),
			node('gen', 'generator', { rows: 10_000 }),
			node('st', 'statistics')
		],
		edges: [
			...doc.edges,
			{ id: 'e3', from: { node: 'cities', port: 'out' }, to: { node: 'drv', port: 'in' } },
			{ id: 'e4', from: { node: 'gen', port: 'out' }, to: { node: 'st', port: 'in' } }
		]
	};
}

describe('previewDocument', () => {
	it('keeps only the nodes upstream of those asked about', () => {
		expect([...upstreamOf(fork(), ['flt'])].sort()).toEqual(['cities', 'flt']);
		const pd = previewDocument(fork(), ['flt'], LIMITS, (id) => id);
		const origins = new Set(pd.doc.nodes.map((n) => pd.originOf(n.id)));
		expect([...origins].sort()).toEqual(['cities', 'flt']);
	});

	it('puts a hidden limit after a source without a row count, feeding every consumer', () => {
		const pd = previewDocument(fork(), ['flt', 'drv'], LIMITS, (id) => `name of ${id}`);
		const limits = pd.doc.nodes.filter((n) => n.kind === 'limit');
		expect(limits.length).toBe(1);
		expect(limits[0].params).toEqual({ rows: 500, offset: 0 });
		expect(limits[0].label).toBe('name of cities');
		expect(pd.originOf(limits[0].id)).toBe('cities');
		const fromCities = pd.doc.edges.filter((e) => e.from.node === 'cities');
		expect(fromCities.map((e) => e.to.node)).toEqual([limits[0].id]);
		const intoFlt = pd.doc.edges.find((e) => e.to.node === 'flt')!;
		expect(intoFlt.id).toBe('e1');
		expect(intoFlt.from.node).toBe(limits[0].id);
	});

	it('caps the row count of a generator instead of adding a limit', () => {
		const pd = previewDocument(fork(), ['st'], LIMITS, (id) => id);
		expect(pd.doc.nodes.find((n) => n.id === 'gen')!.params).toEqual({ rows: 500 });
		expect(pd.doc.nodes.some((n) => n.kind === 'limit')).toBe(false);
		expect(pd.sinkOf.get('st')).toBe('st');
		expect(cappedSourceParams(node('g', 'generator', { rows: 20 }), 500)).toEqual({ rows: 20 });
		expect(cappedSourceParams(node('t', 'sample-dataset', {}), 500)).toEqual({ rows: 500 });
		expect(cappedSourceParams(node('c', 'sample-dataset', { name: 'cities' }), 500)).toBeNull();
	});

	it('hangs a hidden table on each non-sink asked about, named after it', () => {
		const pd = previewDocument(fork(), ['flt', 'cities'], LIMITS, (id) => `name of ${id}`);
		for (const id of ['flt', 'cities']) {
			const table = pd.doc.nodes.find((n) => n.id === pd.sinkOf.get(id))!;
			expect(table.kind).toBe('table');
			expect(table.params).toEqual({ limit: 7 });
			expect(table.label).toBe(`name of ${id}`);
			const edge = pd.doc.edges.find((e) => e.to.node === table.id)!;
			expect(pd.hiddenEdges.get(edge.id)).toBe(id);
		}
		// The source's own table reads through the limit, not the uncut source.
		const sourceTable = pd.sinkOf.get('cities')!;
		const into = pd.doc.edges.find((e) => e.to.node === sourceTable)!;
		expect(pd.doc.nodes.find((n) => n.id === into.from.node)!.kind).toBe('limit');
	});

	it('picks a prefix for hidden ids that no id of the document starts with', () => {
		const doc = fork();
		doc.nodes[1] = { ...doc.nodes[1], id: '~preview~table:x' };
		doc.edges = doc.edges.map((e) =>
			e.to.node === 'flt' ? { ...e, to: { ...e.to, node: '~preview~table:x' } } : e
		);
		const pd = previewDocument(doc, ['~preview~table:x'], LIMITS, (id) => id);
		const hidden = pd.doc.nodes.filter((n) => pd.originOf(n.id) !== n.id);
		expect(hidden.length).toBe(2);
		for (const n of hidden) expect(n.id.startsWith('~~preview~')).toBe(true);
	});
});
