import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { DEFAULT_LAYOUT } from './layout';
import { freeOffset, spotRightOf } from './placement';

function doc(points: [string, number, number][]): PipelineDocument {
	return {
		version: 1,
		id: 'doc',
		name: 'Placement',
		nodes: points.map(([id, x, y]) => ({ id, kind: 'filter', params: {}, position: { x, y } })),
		edges: []
	};
}

describe('spotRightOf', () => {
	it('takes the next column on the same row when it is free', () => {
		const d = doc([['a', 0, 0]]);
		expect(spotRightOf(d, d.nodes[0])).toEqual({ x: DEFAULT_LAYOUT.columnWidth, y: 0 });
	});

	it('moves down a row at a time past nodes already there', () => {
		const { columnWidth: w, rowHeight: h } = DEFAULT_LAYOUT;
		const d = doc([
			['a', 0, 0],
			['b', w, 0],
			['c', w + 10, h]
		]);
		expect(spotRightOf(d, d.nodes[0])).toEqual({ x: w, y: 2 * h });
	});
});

describe('freeOffset', () => {
	const step = { x: 40, y: 40 };
	it('is one step when that lands on nothing', () => {
		const d = doc([['a', 0, 0]]);
		expect(freeOffset(d, d.nodes, step)).toEqual(step);
	});

	it('takes more steps so a second paste does not land on the first', () => {
		const d = doc([
			['a', 0, 0],
			['a-copy', 40, 40]
		]);
		expect(freeOffset(d, [d.nodes[0]], step)).toEqual({ x: 80, y: 80 });
	});
});
