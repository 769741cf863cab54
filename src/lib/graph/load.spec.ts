import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostics';
import { DOCUMENT_VERSION, emptyDocument } from './document';
import { doc, edge, fakeKinds, node, validDocument } from './fixtures.spec-support';
import { loadDocument, MAX_DOCUMENT_CHARS } from './load';
import { graphMessages } from './messages';
import { MAX_EDGES, MAX_NODES } from './schema';

function only(diagnostics: Diagnostic[]): Diagnostic {
	expect(diagnostics).toHaveLength(1);
	return diagnostics[0];
}

/** A valid document as a loose object, for breaking one field at a time. */
function loose(): Record<string, unknown> & {
	nodes: Record<string, unknown>[];
	edges: Record<string, unknown>[];
} {
	return JSON.parse(JSON.stringify(validDocument()));
}

describe('loadDocument on a good document', () => {
	it('returns the document with no diagnostics and no migratedFrom', () => {
		const result = loadDocument(JSON.stringify(validDocument()), fakeKinds());
		expect(result).toEqual({ document: validDocument(), diagnostics: [] });
		expect('migratedFrom' in result).toBe(false);
	});

	it('accepts an already-parsed object and returns a copy that shares nothing with it', () => {
		const input = validDocument();
		const { document } = loadDocument(input);
		expect(document).toEqual(input);
		document!.nodes[0].params.url = 'changed.csv';
		document!.nodes[0].position.x = 99;
		expect(input.nodes[0].params.url).toBe('data.csv');
		expect(input.nodes[0].position.x).toBe(10);
	});

	it('reads a new empty document', () => {
		const empty = emptyDocument('Blank');
		expect(loadDocument(empty)).toEqual({ document: empty, diagnostics: [] });
	});
});

describe('loadDocument on input that is not a document', () => {
	it('reports text that is not JSON with the line and column of the mistake', () => {
		const text = '{\n  "version": 1,\n  "id": "x",\n}';
		const diagnostic = only(loadDocument(text).diagnostics);
		expect(diagnostic.code).toBe('invalid-document');
		expect(diagnostic.message).toMatch(/^this pipeline is not valid JSON: .* at line 4, column 1$/);
		expect(diagnostic.position).toEqual({ start: text.length - 1, end: text.length });
	});

	it('reports truncated JSON at the end of the text', () => {
		const result = loadDocument('{"version": 1');
		expect(result.document).toBeNull();
		expect(only(result.diagnostics).message).toContain('not valid JSON');
	});

	it.each([
		['a number', 42, 'number 42'],
		['null', null, 'null'],
		['a list', [1, 2], 'a list'],
		['JSON text of a string', '"hello"', 'the text "hello"'],
		['JSON text of a boolean', 'true', 'boolean true'],
		['undefined', undefined, 'a undefined']
	])('says what it got instead of an object when given %s', (_, input, got) => {
		const result = loadDocument(input);
		expect(result.document).toBeNull();
		expect(only(result.diagnostics)).toEqual({
			severity: 'error',
			code: 'invalid-document',
			message: graphMessages.notAnObject(got)
		});
	});

	it('refuses a document from a newer version with the versions in the message', () => {
		const result = loadDocument({ ...validDocument(), version: 3 });
		expect(result.document).toBeNull();
		expect(only(result.diagnostics)).toEqual({
			severity: 'error',
			code: 'future-version',
			message:
				'this pipeline was saved by a newer Sluice (version 3); this one reads up to version 1'
		});
	});

	it.each([['1'], [1.5], [-1], [null]])('refuses version %j as not a whole number', (version) => {
		const result = loadDocument({ ...validDocument(), version });
		expect(result.document).toBeNull();
		expect(only(result.diagnostics).message).toMatch(/^version must be a whole number/);
	});

	it('refuses text longer than the limit before parsing it', () => {
		const text = ' '.repeat(MAX_DOCUMENT_CHARS + 1);
		const diagnostic = only(loadDocument(text).diagnostics);
		expect(diagnostic.message).toBe(graphMessages.tooLarge(text.length, MAX_DOCUMENT_CHARS));
	});

	it('refuses more nodes or edges than the limits with one diagnostic', () => {
		const many = loose();
		many.nodes = Array.from({ length: MAX_NODES + 1 }, (_, index) => ({ ...node(`n${index}`) }));
		const nodesResult = loadDocument(many);
		expect(nodesResult.document).toBeNull();
		expect(only(nodesResult.diagnostics).message).toBe(
			graphMessages.tooMany('nodes', MAX_NODES + 1, MAX_NODES)
		);
		const wired = loose();
		wired.edges = Array.from({ length: MAX_EDGES + 1 }, () => ({ ...edge('source', 'keep') }));
		expect(only(loadDocument(wired).diagnostics).message).toContain(`${MAX_EDGES + 1} edges`);
	});

	it('refuses very deep nesting in params or fields without overflowing the stack', () => {
		const deep = '['.repeat(100_000) + ']'.repeat(100_000);
		const text = JSON.stringify(validDocument()).replace('{"url":"data.csv"}', `{"deep":${deep}}`);
		const inParams = loadDocument(text);
		expect(inParams.document).toBeNull();
		expect(only(inParams.diagnostics).message).toMatch(/^node 'source': params .* nested deeper/);
		const inName = loadDocument(JSON.stringify(validDocument()).replace('"Test pipeline"', deep));
		expect(only(inName.diagnostics).message).toBe('name must be a string');
	});

	it('reads a large valid document (5,000 nodes in a chain) without error', () => {
		const nodes = Array.from({ length: 5000 }, (_, index) => node(`n${index}`, 'step'));
		const edges = nodes.slice(1).map((item, index) => edge(`n${index}`, item.id));
		const result = loadDocument(JSON.stringify(doc(nodes, edges)));
		expect(result.diagnostics).toEqual([]);
		expect(result.document!.nodes).toHaveLength(5000);
	});

	it('turns a throwing getter in an object into a diagnostic instead of a throw', () => {
		const hostile = loose();
		Object.defineProperty(hostile.nodes[0], 'params', {
			enumerable: true,
			get() {
				throw new Error('boom');
			}
		});
		const result = loadDocument(hostile);
		expect(result.document).toBeNull();
		expect(only(result.diagnostics).message).toBe(graphMessages.internal('Error: boom'));
	});
});

describe('loadDocument on a document of the wrong shape', () => {
	function structural(mutate: (raw: ReturnType<typeof loose>) => void): Diagnostic[] {
		const raw = loose();
		mutate(raw);
		const result = loadDocument(JSON.parse(JSON.stringify(raw)));
		expect(result.document).toBeNull();
		for (const diagnostic of result.diagnostics) expect(diagnostic.code).toBe('invalid-document');
		return result.diagnostics;
	}

	it('names the node and the field path of a position that is not a number', () => {
		const diagnostic = only(
			structural((raw) => ((raw.nodes[2].position as { x: unknown }).x = '12'))
		);
		expect(diagnostic).toEqual({
			severity: 'error',
			code: 'invalid-document',
			message: "node 'view': position.x must be a number",
			node: 'view'
		});
	});

	it('says a field is missing rather than of the wrong type', () => {
		const diagnostic = only(structural((raw) => delete raw.nodes[0].kind));
		expect(diagnostic.message).toBe("node 'source': kind is missing");
		expect(diagnostic.node).toBe('source');
	});

	it('names a node without a usable id by its place in the list', () => {
		const diagnostics = structural((raw) => (raw.nodes[1].id = 7));
		expect(only(diagnostics).message).toBe('node #2: id must be a string');
		expect(diagnostics[0].node).toBeUndefined();
	});

	it('names the edge and the endpoint field that is wrong', () => {
		const diagnostic = only(
			structural((raw) => ((raw.edges[1].to as { port: unknown }).port = null))
		);
		expect(diagnostic.message).toBe("edge 'keep-view': to.port must be a string");
		expect(diagnostic.edge).toBe('keep-view');
	});

	it('reports every problem, not just the first', () => {
		const diagnostics = structural((raw) => {
			raw.name = 5;
			raw.nodes[0].params = [];
			raw.edges[0].from = 'source';
		});
		expect(diagnostics.map((item) => item.message)).toEqual([
			'name must be a string',
			"node 'source': params must be an object",
			"edge 'source-keep': from must be an object with node and port"
		]);
	});

	it('refuses nodes or edges that are not lists, and list items that are not objects', () => {
		expect(only(structural((raw) => (raw.nodes = {} as never))).message).toBe(
			'nodes must be a list'
		);
		expect(only(structural((raw) => (raw.edges[0] = 'x' as never))).message).toBe(
			'edge #1 must be an object'
		);
	});

	it('refuses empty ids and non-finite positions', () => {
		expect(only(structural((raw) => (raw.edges[0].id = ''))).message).toBe(
			'edge #1: id must not be empty'
		);
		const raw = loose();
		(raw.nodes[0].position as { y: number }).y = Infinity;
		expect(only(loadDocument(raw).diagnostics).message).toBe(
			"node 'source': position.y must be a finite number"
		);
	});

	it('refuses params that would not survive saving as JSON, naming the param', () => {
		const raw = loose();
		raw.nodes[1].params = { expr: 'x', limits: { low: NaN } };
		expect(only(loadDocument(raw).diagnostics).message).toBe(
			"node 'keep': params must hold only JSON values, but 'limits.low' is NaN"
		);
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		raw.nodes[1].params = circular;
		expect(only(loadDocument(raw).diagnostics).message).toMatch(/nested deeper than 64 levels/);
		raw.nodes[1].params = { when: new Date(0) };
		expect(only(loadDocument(raw).diagnostics).message).toMatch(/'when' is a Date object/);
	});
});

describe('loadDocument keeps the document when only its meaning is wrong', () => {
	it('drops unknown fields with a warning naming where they were', () => {
		const raw = loose();
		raw.viewport = { zoom: 2 };
		raw.nodes[0].selected = true;
		(raw.edges[0].from as Record<string, unknown>).handle = 'h';
		const result = loadDocument(raw);
		expect(result.document).toEqual(validDocument());
		expect(result.diagnostics).toEqual([
			{
				severity: 'warning',
				code: 'unknown-field',
				message: "unknown field 'viewport' is ignored"
			},
			{
				severity: 'warning',
				code: 'unknown-field',
				message: "node 'source': unknown field 'selected' is ignored",
				node: 'source'
			},
			{
				severity: 'warning',
				code: 'unknown-field',
				message: "edge 'source-keep': unknown field 'from.handle' is ignored",
				edge: 'source-keep'
			}
		]);
	});

	it('returns the document together with semantic errors', () => {
		const broken = validDocument();
		broken.nodes[1].kind = 'fliter';
		broken.edges.push(edge('view', 'ghost', { id: 'lost' }));
		const result = loadDocument(JSON.stringify(broken), fakeKinds());
		expect(result.document).toEqual(broken);
		const codes = result.diagnostics.map((item) => item.code);
		expect(codes).toContain('unknown-kind');
		expect(codes).toContain('dangling-edge');
	});

	it('reads the current version number as current', () => {
		expect(loadDocument(validDocument()).document!.version).toBe(DOCUMENT_VERSION);
	});
});
