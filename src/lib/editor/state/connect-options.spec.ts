import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { checkConnection } from './connection';
import { connectOptions } from './connect-options';

function doc(nodes: [string, string][], edges: [string, string, string][] = []): PipelineDocument {
	return {
		version: 1,
		id: 'doc',
		name: 'Connect',
		nodes: nodes.map(([id, kind]) => ({ id, kind, params: {}, position: { x: 0, y: 0 } })),
		edges: edges.map(([from, to, port]) => ({
			id: `${from}-${to}`,
			from: { node: from, port: 'out' },
			to: { node: to, port }
		}))
	};
}

const options = (d: PipelineDocument, subject: string) =>
	connectOptions(d, subject, (c) => checkConnection(d, c)).map(
		(o) => `${o.direction} ${o.node}${o.ports ? ` (${o.ports})` : ''}`
	);

describe('connectOptions', () => {
	it('offers every node a source may feed, and nothing into a source', () => {
		const d = doc([
			['gen', 'generator'],
			['f', 'filter'],
			['t', 'table']
		]);
		expect(options(d, 'gen')).toEqual(['to f', 'to t']);
	});

	it('offers both directions for a transform, downstream first', () => {
		const d = doc([
			['gen', 'generator'],
			['f', 'filter'],
			['t', 'table']
		]);
		expect(options(d, 'f')).toEqual(['to t', 'from gen']);
	});

	it('leaves out what a drag would be refused: a taken input and a loop', () => {
		const d = doc(
			[
				['gen', 'generator'],
				['a', 'filter'],
				['b', 'filter'],
				['t', 'table']
			],
			[
				['gen', 'a', 'in'],
				['a', 'b', 'in']
			]
		);
		// b's input is taken (by a); a → b → a would be a loop; t is free.
		expect(options(d, 'b')).toEqual(['to t']);
		expect(options(d, 'a')).toEqual(['to t']);
	});

	it('names the ports of a node with more than one input', () => {
		const d = doc([
			['gen', 'generator'],
			['j', 'join']
		]);
		expect(options(d, 'gen')).toEqual(['to j (input left)', 'to j (input right)']);
	});

	it('offers nothing for a node that is not there', () => {
		expect(options(doc([['gen', 'generator']]), 'nope')).toEqual([]);
	});
});
