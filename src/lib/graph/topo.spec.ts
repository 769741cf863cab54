import { describe, expect, it } from 'vitest';
import { doc, edge, node } from './fixtures.spec-support';
import { topologicalOrder } from './topo';

describe('topologicalOrder', () => {
	it('puts every node after the nodes that feed it, breaking ties in document order', () => {
		const document = doc(
			[node('sink'), node('b'), node('a'), node('mid')],
			[edge('a', 'mid'), edge('b', 'mid', { toPort: 'x' }), edge('mid', 'sink')]
		);
		expect(topologicalOrder(document)).toEqual({
			order: ['b', 'a', 'mid', 'sink'],
			cyclic: [],
			blocked: []
		});
	});

	it('orders an empty document as empty', () => {
		expect(topologicalOrder(doc([]))).toEqual({ order: [], cyclic: [], blocked: [] });
	});

	it('groups a two-node cycle', () => {
		const result = topologicalOrder(doc([node('a'), node('b')], [edge('a', 'b'), edge('b', 'a')]));
		expect(result).toEqual({ order: [], cyclic: [['a', 'b']], blocked: [] });
	});

	it('groups a three-node cycle in edge order, starting from its first node in the document', () => {
		const document = doc(
			[node('x'), node('c'), node('b'), node('a')],
			[edge('x', 'a'), edge('a', 'b', { toPort: 'loop' }), edge('b', 'c'), edge('c', 'a')]
		);
		expect(topologicalOrder(document)).toEqual({
			order: ['x'],
			cyclic: [['c', 'a', 'b']],
			blocked: []
		});
	});

	it('groups a self-loop as a cycle of one', () => {
		const result = topologicalOrder(doc([node('a'), node('b')], [edge('a', 'b'), edge('b', 'b')]));
		expect(result).toEqual({ order: ['a'], cyclic: [['b']], blocked: [] });
	});

	it('keeps separate cycles apart and lists the nodes they block', () => {
		const document = doc(
			[node('p'), node('q'), node('r'), node('s'), node('t'), node('u')],
			[
				edge('p', 'q'),
				edge('q', 'p'),
				edge('r', 'r'),
				edge('q', 's'),
				edge('s', 't'),
				edge('r', 't', { toPort: 'y' })
			]
		);
		expect(topologicalOrder(document)).toEqual({
			order: ['u'],
			cyclic: [['p', 'q'], ['r']],
			blocked: ['s', 't']
		});
	});

	it('ignores edges to missing nodes and counts a repeated node id once', () => {
		const document = doc(
			[node('a'), node('b'), node('a')],
			[edge('a', 'ghost'), edge('ghost', 'b'), edge('a', 'b')]
		);
		expect(topologicalOrder(document).order).toEqual(['a', 'b']);
	});

	it('counts two edges between the same pair of nodes as two, and releases after both', () => {
		const document = doc(
			[node('b'), node('a')],
			[edge('a', 'b', { id: '1', toPort: 'left' }), edge('a', 'b', { id: '2', toPort: 'right' })]
		);
		expect(topologicalOrder(document).order).toEqual(['a', 'b']);
	});

	it('orders a 10,000-node chain given in reverse without recursing', () => {
		const count = 10_000;
		const nodes = Array.from({ length: count }, (_, index) => node(`n${count - 1 - index}`));
		const edges = Array.from({ length: count - 1 }, (_, index) =>
			edge(`n${index}`, `n${index + 1}`)
		);
		const { order } = topologicalOrder(doc(nodes, edges));
		expect(order).toEqual(Array.from({ length: count }, (_, index) => `n${index}`));
	});

	it('finds a 10,000-node ring as one cycle without recursing', () => {
		const count = 10_000;
		const nodes = Array.from({ length: count }, (_, index) => node(`n${index}`));
		const edges = nodes.map((item, index) => edge(item.id, `n${(index + 1) % count}`));
		const { cyclic } = topologicalOrder(doc(nodes, edges));
		expect(cyclic).toHaveLength(1);
		expect(cyclic[0]).toEqual(nodes.map((item) => item.id));
	});
});
