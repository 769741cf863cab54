import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { mulberry32 } from '../../runtime/testing/prng';
import { fnv1a64, nodeIdentities } from './identity';

function pipeline(): PipelineDocument {
	return {
		version: 1,
		id: 'p',
		name: 'gen → filter → derive → table, and a join',
		nodes: [
			{ id: 'gen', kind: 'generator', params: { rows: 1000, seed: 3 }, position: { x: 0, y: 0 } },
			{
				id: 'flt',
				kind: 'filter',
				params: { expression: 'value > 0.5' },
				position: { x: 1, y: 0 }
			},
			{
				id: 'drv',
				kind: 'derive',
				params: { column: 'd', expression: 'value * 2' },
				position: { x: 2, y: 0 }
			},
			{ id: 'tbl', kind: 'table', params: {}, position: { x: 3, y: 0 } },
			{ id: 'gen2', kind: 'generator', params: { rows: 10, seed: 4 }, position: { x: 0, y: 1 } },
			{
				id: 'jn',
				kind: 'join',
				params: { on: [{ left: 'key', right: 'key' }] },
				position: { x: 4, y: 1 }
			}
		],
		edges: [
			{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'flt', port: 'in' } },
			{ id: 'e2', from: { node: 'flt', port: 'out' }, to: { node: 'drv', port: 'in' } },
			{ id: 'e3', from: { node: 'drv', port: 'out' }, to: { node: 'tbl', port: 'in' } },
			{ id: 'e4', from: { node: 'flt', port: 'out' }, to: { node: 'jn', port: 'left' } },
			{ id: 'e5', from: { node: 'gen2', port: 'out' }, to: { node: 'jn', port: 'right' } }
		]
	};
}

function withParams(doc: PipelineDocument, id: string, params: Record<string, unknown>) {
	return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, params } : n)) };
}

describe('fnv1a64', () => {
	it('matches the published FNV-1a 64 test vectors', () => {
		expect(fnv1a64('')).toBe('cbf29ce484222325');
		expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
		expect(fnv1a64('foobar')).toBe('85944171f73967e8');
	});

	it('gives different hashes to many random strings (seeded)', () => {
		const seed = 20240611;
		const rand = mulberry32(seed).next;
		const seen = new Map<string, string>();
		for (let i = 0; i < 5000; i++) {
			const text = Array.from({ length: 1 + Math.floor(rand() * 12) }, () =>
				String.fromCharCode(32 + Math.floor(rand() * 300))
			).join('');
			const h = fnv1a64(text);
			const other = seen.get(h);
			if (other !== undefined && other !== text) {
				throw new Error(`seed ${seed}: '${text}' and '${other}' both hash to ${h}`);
			}
			seen.set(h, text);
		}
		expect(seen.size).toBeGreaterThan(4000);
	});
});

describe('nodeIdentities', () => {
	it('gives every node an identity and the same one for the same document', () => {
		const a = nodeIdentities(pipeline());
		const b = nodeIdentities(structuredClone(pipeline()));
		expect([...a.keys()].sort()).toEqual(['drv', 'flt', 'gen', 'gen2', 'jn', 'tbl']);
		expect(b).toEqual(a);
		expect(new Set(a.values()).size).toBe(6);
	});

	it('ignores labels, positions, node order and params written out with their defaults', () => {
		const doc = pipeline();
		const moved: PipelineDocument = {
			...doc,
			nodes: [...doc.nodes]
				.reverse()
				.map((n) => ({ ...n, label: `my ${n.id}`, position: { x: n.position.x * 7, y: 9 } }))
		};
		const defaults = withParams(doc, 'tbl', { limit: 1000 });
		const reordered = withParams(doc, 'drv', { expression: 'value * 2', column: 'd' });
		expect(nodeIdentities(moved)).toEqual(nodeIdentities(doc));
		expect(nodeIdentities(defaults)).toEqual(nodeIdentities(doc));
		expect(nodeIdentities(reordered)).toEqual(nodeIdentities(doc));
	});

	it('changes a node and everything downstream of it when its params change, nothing else', () => {
		const before = nodeIdentities(pipeline());
		const after = nodeIdentities(withParams(pipeline(), 'flt', { expression: 'value > 0.6' }));
		for (const id of ['flt', 'drv', 'tbl', 'jn']) expect(after.get(id)).not.toBe(before.get(id));
		for (const id of ['gen', 'gen2']) expect(after.get(id)).toBe(before.get(id));
	});

	it('tells the inputs of a node apart by port', () => {
		const doc = pipeline();
		const swapped: PipelineDocument = {
			...doc,
			edges: doc.edges.map((e) =>
				e.id === 'e4'
					? { ...e, to: { node: 'jn', port: 'right' } }
					: e.id === 'e5'
						? { ...e, to: { node: 'jn', port: 'left' } }
						: e
			)
		};
		const before = nodeIdentities(doc);
		const after = nodeIdentities(swapped);
		expect(after.get('jn')).not.toBe(before.get('jn'));
		expect(after.get('flt')).toBe(before.get('flt'));
	});

	it('changes when an input is rewired to another node or a kind changes', () => {
		const doc = pipeline();
		const rewired: PipelineDocument = {
			...doc,
			edges: doc.edges.map((e) =>
				e.id === 'e3' ? { ...e, from: { node: 'flt', port: 'out' } } : e
			)
		};
		const kind: PipelineDocument = {
			...doc,
			nodes: doc.nodes.map((n) => (n.id === 'tbl' ? { ...n, kind: 'statistics', params: {} } : n))
		};
		expect(nodeIdentities(rewired).get('tbl')).not.toBe(nodeIdentities(doc).get('tbl'));
		expect(nodeIdentities(kind).get('tbl')).not.toBe(nodeIdentities(doc).get('tbl'));
	});

	it('still gives nodes on a cycle an identity, without looping', () => {
		const doc = pipeline();
		const cyclic: PipelineDocument = {
			...doc,
			edges: [
				...doc.edges,
				{ id: 'back', from: { node: 'drv', port: 'out' }, to: { node: 'flt', port: 'in' } }
			]
		};
		const ids = nodeIdentities(cyclic);
		expect(ids.size).toBe(6);
		expect(ids.get('flt')).not.toBe(ids.get('drv'));
	});
});
