import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { focusAfterDelete } from './delete-focus';

const node = (id: string) => ({ id, kind: 'filter', params: {}, position: { x: 0, y: 0 } });
const edge = (id: string, from: string, to: string) => ({
	id,
	from: { node: from, port: 'out' },
	to: { node: to, port: 'in' }
});
/** a → b → c, and d alone. */
const doc = {
	version: 1,
	id: 'p',
	name: 'p',
	nodes: ['a', 'b', 'c', 'd'].map(node),
	edges: [edge('e1', 'a', 'b'), edge('e2', 'b', 'c')]
} as unknown as PipelineDocument;

describe('focus after a keyboard delete', () => {
	it("goes to a deleted edge's source node", () => {
		expect(focusAfterDelete(doc, { nodes: [], edges: ['e2'] })).toBe('b');
	});
	it('goes to its target when the source goes too', () => {
		expect(focusAfterDelete(doc, { nodes: ['a'], edges: ['e1'] })).toBe('b');
	});
	it("goes to a deleted node's upstream neighbour, else downstream", () => {
		expect(focusAfterDelete(doc, { nodes: ['b'], edges: [] })).toBe('a');
		expect(focusAfterDelete(doc, { nodes: ['a'], edges: [] })).toBe('b');
	});
	it('goes to the first node left when nothing is connected, or nowhere when none is', () => {
		expect(focusAfterDelete(doc, { nodes: ['d'], edges: [] })).toBe('a');
		expect(focusAfterDelete(doc, { nodes: ['a', 'b', 'c', 'd'], edges: ['e1', 'e2'] })).toBeNull();
	});
});
