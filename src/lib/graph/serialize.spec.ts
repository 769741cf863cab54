import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from './document';
import { edge, fakeKinds, validDocument } from './fixtures.spec-support';
import { loadDocument } from './load';
import { serializeDocument } from './serialize';

const SEED = 0x5e71a1;

describe('serializeDocument', () => {
	it('writes keys in a fixed order whatever order the object had them in', () => {
		const shuffled = {
			edges: [{ to: { port: 'in', node: 'b' }, from: { port: 'out', node: 'a' }, id: 'e' }],
			nodes: [{ params: { z: 1, a: 2 }, position: { y: 2, x: 1 }, label: 'L', kind: 'k', id: 'a' }],
			name: 'N',
			id: 'D',
			version: 1
		} as PipelineDocument;
		expect(serializeDocument(shuffled)).toBe(
			[
				'{',
				'  "version": 1,',
				'  "id": "D",',
				'  "name": "N",',
				'  "nodes": [',
				'    {',
				'      "id": "a",',
				'      "kind": "k",',
				'      "label": "L",',
				'      "position": {',
				'        "x": 1,',
				'        "y": 2',
				'      },',
				'      "params": {',
				'        "z": 1,',
				'        "a": 2',
				'      }',
				'    }',
				'  ],',
				'  "edges": [',
				'    {',
				'      "id": "e",',
				'      "from": {',
				'        "node": "a",',
				'        "port": "out"',
				'      },',
				'      "to": {',
				'        "node": "b",',
				'        "port": "in"',
				'      }',
				'    }',
				'  ]',
				'}',
				''
			].join('\n')
		);
	});

	it('rounds positions to a tenth and never writes -0', () => {
		const document = validDocument();
		document.nodes[0].position = { x: 10.04999, y: -0.04 };
		document.nodes[1].position = { x: 1 / 3, y: 2.25 };
		const saved = JSON.parse(serializeDocument(document));
		expect(saved.nodes[0].position).toEqual({ x: 10, y: 0 });
		expect(Object.is(saved.nodes[0].position.y, -0)).toBe(false);
		expect(saved.nodes[1].position).toEqual({ x: 0.3, y: 2.3 });
	});

	it('keeps nodes and edges in document order and leaves out fields outside the type', () => {
		const document = validDocument();
		document.edges.reverse();
		(document.nodes[0] as unknown as Record<string, unknown>).selected = true;
		const saved = JSON.parse(serializeDocument(document));
		expect(saved.edges.map((item: { id: string }) => item.id)).toEqual([
			'keep-view',
			'source-keep'
		]);
		expect(saved.nodes.map((item: { id: string }) => item.id)).toEqual(['source', 'keep', 'view']);
		expect('selected' in saved.nodes[0]).toBe(false);
	});

	it('changes one line when one param changes, so diffs stay small', () => {
		const before = serializeDocument(validDocument()).split('\n');
		const changed = validDocument();
		changed.nodes[1].params.expr = 'x > 2';
		const after = serializeDocument(changed).split('\n');
		expect(after).toHaveLength(before.length);
		expect(after.filter((line, index) => line !== before[index])).toEqual([
			'        "expr": "x > 2"'
		]);
	});

	it('loads back to the same document (fixture with a label and an edge)', () => {
		const document = validDocument();
		document.edges.push(edge('source', 'view', { id: 'extra', toPort: 'in2' }));
		expect(loadDocument(serializeDocument(document)).document).toEqual(document);
	});

	it('loads back to the same document for random valid documents', () => {
		const id = fc.string({ minLength: 1, maxLength: 12 });
		const tenth = fc.integer({ min: -100_000, max: 100_000 }).map((value) => value / 10);
		const nodeArb = fc.record(
			{
				id,
				kind: id,
				params: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
				position: fc.record({ x: tenth, y: tenth }),
				label: fc.string({ maxLength: 20 })
			},
			{ requiredKeys: ['id', 'kind', 'params', 'position'] }
		);
		const endpoint = fc.record({ node: id, port: id });
		const edgeArb = fc.record({ id, from: endpoint, to: endpoint });
		const documentArb = fc.record({
			version: fc.constant(1),
			id,
			name: fc.string({ maxLength: 30 }),
			nodes: fc.array(nodeArb, { maxLength: 6 }),
			edges: fc.array(edgeArb, { maxLength: 6 })
		});
		fc.assert(
			fc.property(documentArb, (document) => {
				const text = serializeDocument(document);
				const loaded = loadDocument(text, fakeKinds());
				expect(loaded.document).toEqual(document);
				expect(serializeDocument(loaded.document!)).toBe(text);
			}),
			{ seed: SEED, numRuns: 300 }
		);
	});
});
