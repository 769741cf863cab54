import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { layeredLayout } from './layout';

function doc(ids: string[], links: [string, string][]): PipelineDocument {
	return {
		version: 1,
		id: 'doc',
		name: 'Layout',
		nodes: ids.map((id, index) => ({
			id,
			kind: 'filter',
			params: {},
			position: { x: 100, y: 10 * index }
		})),
		edges: links.map(([from, to]) => ({
			id: `${from}-${to}`,
			from: { node: from, port: 'out' },
			to: { node: to, port: 'in' }
		}))
	};
}

describe('layeredLayout', () => {
	it('puts each node one column after its deepest feeder, centring shorter columns', () => {
		const positions = layeredLayout(
			doc(
				['a', 'b', 'c', 'd'],
				[
					['a', 'c'],
					['b', 'c'],
					['c', 'd'],
					['a', 'd']
				]
			),
			{ columnWidth: 100, rowHeight: 50 }
		);
		expect(positions.get('a')).toEqual({ x: 100, y: 0 });
		expect(positions.get('b')).toEqual({ x: 100, y: 50 });
		expect(positions.get('c')).toEqual({ x: 200, y: 25 });
		expect(positions.get('d')).toEqual({ x: 300, y: 25 });
	});

	it('places nodes caught in or after a cycle in one column after the rest, each on its own row', () => {
		const positions = layeredLayout(
			doc(
				['a', 'b', 'c', 'd'],
				[
					['b', 'c'],
					['c', 'b'],
					['c', 'd']
				]
			),
			{ columnWidth: 100, rowHeight: 50 }
		);
		expect(positions.size).toBe(4);
		const last = ['b', 'c', 'd'].map((id) => positions.get(id)!);
		expect(new Set(last.map((point) => point.x))).toEqual(new Set([200]));
		expect(new Set(last.map((point) => point.y)).size).toBe(3);
	});

	it('gives an empty document no positions', () => {
		expect(layeredLayout(doc([], [])).size).toBe(0);
	});
});

describe('layeredLayout of nodes with no edges', () => {
	it('puts them in rows below the pipeline, as wide as it is, never stacked', () => {
		const positions = layeredLayout(
			doc(
				['a', 'b', 'c', 'x1', 'x2', 'x3', 'x4'],
				[
					['a', 'b'],
					['b', 'c']
				]
			),
			{ columnWidth: 100, rowHeight: 50 }
		);
		const at = (id: string) => positions.get(id)!;
		expect(['a', 'b', 'c'].map((id) => at(id).y)).toEqual([0, 0, 0]);
		// Three columns wide: x1 x2 x3 in the first row under the pipeline, x4 in the next.
		expect(['x1', 'x2', 'x3', 'x4'].map(at)).toEqual([
			{ x: 100, y: 50 },
			{ x: 200, y: 50 },
			{ x: 300, y: 50 },
			{ x: 100, y: 100 }
		]);
	});

	it('lays out a canvas of only unconnected nodes as a square grid, not a column', () => {
		const ids = Array.from({ length: 9 }, (_, i) => `n${i}`);
		const positions = layeredLayout(doc(ids, []), { columnWidth: 100, rowHeight: 50 });
		const xs = new Set(ids.map((id) => positions.get(id)!.x));
		const ys = new Set(ids.map((id) => positions.get(id)!.y));
		expect(xs.size).toBe(3);
		expect(ys.size).toBe(3);
		const spots = new Set(ids.map((id) => JSON.stringify(positions.get(id))));
		expect(spots.size).toBe(9);
	});
});
