import { describe, expect, it } from 'vitest';
import { checkDocument } from './check';
import type { Diagnostic } from './diagnostics';
import { doc, edge, fakeKinds, node, validDocument } from './fixtures.spec-support';
import { loadDocument } from './load';

function withCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
	return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

describe('checkDocument', () => {
	it('finds nothing wrong with a valid pipeline', () => {
		expect(checkDocument(validDocument(), fakeKinds())).toEqual([]);
	});

	it('reports a node id used twice and an edge id used twice, once each', () => {
		const document = doc(
			[node('a', 'csv', { url: 'u' }), node('a', 'table'), node('b', 'table')],
			[edge('a', 'b', { id: 'e' }), edge('a', 'b', { id: 'e', toPort: 'other' })]
		);
		expect(withCode(checkDocument(document), 'duplicate-id')).toEqual([
			{
				severity: 'error',
				code: 'duplicate-id',
				message: "2 nodes share the id 'a'; ids must be unique",
				node: 'a'
			},
			{
				severity: 'error',
				code: 'duplicate-id',
				message: "2 edges share the id 'e'; ids must be unique",
				edge: 'e'
			}
		]);
	});

	it('names the edge and the missing node of a dangling edge, at either end', () => {
		const document = doc(
			[node('a')],
			[edge('ghost', 'a', { id: 'in' }), edge('a', 'void', { id: 'out' })]
		);
		expect(withCode(checkDocument(document), 'dangling-edge')).toEqual([
			{
				severity: 'error',
				code: 'dangling-edge',
				message: "edge 'in' starts at node 'ghost', which does not exist",
				edge: 'in'
			},
			{
				severity: 'error',
				code: 'dangling-edge',
				message: "edge 'out' ends at node 'void', which does not exist",
				edge: 'out'
			}
		]);
	});

	it('suggests the closest known kind for an unknown one, and none when nothing is close', () => {
		const document = doc([node('a', 'fliter'), node('b', 'quantum-sort')]);
		const unknown = withCode(checkDocument(document, fakeKinds()), 'unknown-kind');
		expect(unknown.map((item) => [item.node, item.message])).toEqual([
			['a', "node 'a': unknown kind 'fliter'; did you mean 'filter'?"],
			['b', "node 'b': unknown kind 'quantum-sort'"]
		]);
	});

	it('checks nothing about kinds, ports or params without a catalogue', () => {
		const document = doc([node('a', 'fliter', { nonsense: 1 })], []);
		expect(checkDocument(document)).toEqual([]);
	});

	it('reports ports the kind does not have, listing the ones it does', () => {
		const document = doc(
			[node('s', 'csv', { url: 'u' }), node('j', 'join')],
			[
				edge('s', 'j', { id: 'e1', fromPort: 'result', toPort: 'left' }),
				edge('s', 'j', { id: 'e2', toPort: 'middle' })
			]
		);
		const ports = withCode(checkDocument(document, fakeKinds()), 'unknown-port');
		expect(ports).toEqual([
			{
				severity: 'error',
				code: 'unknown-port',
				message: "edge 'e1': node 's' (csv) has no output 'result'; its outputs are 'out'",
				edge: 'e1'
			},
			{
				severity: 'error',
				code: 'unknown-port',
				message: "edge 'e2': node 'j' (join) has no input 'middle'; its inputs are 'left', 'right'",
				edge: 'e2'
			}
		]);
	});

	it('gives one bad-param diagnostic per problem, with the param path', () => {
		const document = doc(
			[node('s', 'csv', { url: '' }), node('f', 'filter', {})],
			[edge('s', 'f')]
		);
		expect(withCode(checkDocument(document, fakeKinds()), 'bad-param')).toEqual([
			{
				severity: 'error',
				code: 'bad-param',
				message: "node 's': param 'url': must be a non-empty string",
				node: 's',
				param: 'url'
			},
			{
				severity: 'error',
				code: 'bad-param',
				message: "node 'f': param 'expr': must be a non-empty string",
				node: 'f',
				param: 'expr'
			}
		]);
	});

	it('turns a validateParams that throws into a diagnostic on its node', () => {
		const document = doc([node('s', 'csv', { url: 'u' }), node('b', 'broken')], [edge('s', 'b')]);
		const [diagnostic] = withCode(checkDocument(document, fakeKinds()), 'bad-param');
		expect(diagnostic.node).toBe('b');
		expect(diagnostic.message).toContain('catalogue bug');
	});

	it('reports a second edge into the same input, naming both edges', () => {
		const document = doc(
			[node('a', 'csv', { url: 'u' }), node('b', 'csv', { url: 'u' }), node('t', 'table')],
			[edge('a', 't', { id: 'first' }), edge('b', 't', { id: 'second' })]
		);
		expect(withCode(checkDocument(document, fakeKinds()), 'input-taken')).toEqual([
			{
				severity: 'error',
				code: 'input-taken',
				message:
					"edge 'second': input 'in' of node 't' already has edge 'first'; an input takes one edge",
				node: 't',
				edge: 'second'
			}
		]);
	});

	it('lets two edges feed two different inputs of a join', () => {
		const document = doc(
			[node('a', 'csv', { url: 'u' }), node('b', 'csv', { url: 'u' }), node('j', 'join')],
			[edge('a', 'j', { toPort: 'left' }), edge('b', 'j', { toPort: 'right' })]
		);
		expect(checkDocument(document, fakeKinds())).toEqual([]);
	});

	it('warns about each unconnected input', () => {
		const document = doc(
			[node('a', 'csv', { url: 'u' }), node('j', 'join')],
			[edge('a', 'j', { toPort: 'left' })]
		);
		expect(checkDocument(document, fakeKinds())).toEqual([
			{
				severity: 'warning',
				code: 'missing-input',
				message: "node 'j': input 'right' is not connected",
				node: 'j'
			}
		]);
	});
});

describe('cycle diagnostics', () => {
	function cycles(document: ReturnType<typeof doc>): Diagnostic[] {
		return withCode(checkDocument(document), 'cycle');
	}

	it('reports a two-node cycle on both nodes', () => {
		const found = cycles(doc([node('a'), node('b')], [edge('a', 'b'), edge('b', 'a')]));
		const message = "nodes 'a' → 'b' → 'a' form a cycle";
		expect(found).toEqual([
			{ severity: 'error', code: 'cycle', message, node: 'a' },
			{ severity: 'error', code: 'cycle', message, node: 'b' }
		]);
	});

	it('reports a three-node cycle on all three nodes, in edge order', () => {
		const document = doc(
			[node('c'), node('a'), node('b'), node('free')],
			[edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('free', 'a', { toPort: 'x' })]
		);
		const found = cycles(document);
		expect(found.map((item) => item.node)).toEqual(['c', 'a', 'b']);
		for (const item of found) expect(item.message).toBe("nodes 'c' → 'a' → 'b' → 'c' form a cycle");
	});

	it('reports a self-loop on its node', () => {
		expect(
			cycles(doc([node('a'), node('me')], [edge('a', 'me'), edge('me', 'me', { toPort: 'again' })]))
		).toEqual([
			{ severity: 'error', code: 'cycle', message: "node 'me' → 'me' feeds itself", node: 'me' }
		]);
	});

	it('warns on each node downstream of a cycle, naming the cycle it waits on', () => {
		const document = doc(
			[node('a'), node('b'), node('c'), node('d')],
			[edge('a', 'b'), edge('b', 'a'), edge('b', 'c'), edge('c', 'd')]
		);
		const downstream = cycles(document).filter((item) => item.severity === 'warning');
		expect(downstream.map((item) => [item.node, item.message])).toEqual([
			['c', "node 'c' cannot run: it waits on the cycle 'a' → 'b' → 'a'"],
			['d', "node 'd' cannot run: it waits on the cycle 'a' → 'b' → 'a'"]
		]);
	});

	it('names every node of a tangled group, even those off its shortest loop', () => {
		const document = doc(
			[node('a'), node('b'), node('c')],
			[edge('a', 'b'), edge('b', 'a'), edge('b', 'c'), edge('c', 'a', { toPort: 'x' })]
		);
		const found = cycles(document);
		expect(found.map((item) => item.node)).toEqual(['a', 'b', 'c']);
		expect(found[0].message).toBe(
			"nodes 'a' → 'b' → 'a' form a cycle, and 'c' is caught in it too"
		);
	});

	it('is reported by loadDocument with the document kept', () => {
		const result = loadDocument(doc([node('a'), node('b')], [edge('a', 'b'), edge('b', 'a')]));
		expect(result.document).not.toBeNull();
		expect(withCode(result.diagnostics, 'cycle')).toHaveLength(2);
	});
});
