import { describe, expect, it } from 'vitest';
import { DOCUMENT_VERSION } from './document';
import { loadDocument } from './load';
import { graphMessages } from './messages';
import { MIGRATIONS, migrateDocument, type Migration } from './migrations';
import { serializeDocument } from './serialize';

/** A version 0 file as the canvas library saved it, view state and all. */
function v0Document(): Record<string, unknown> {
	return {
		version: 0,
		id: 'p-7',
		name: 'Sales by region',
		nodes: [
			{
				id: 'src',
				type: 'csv',
				data: { url: 'sales.csv', columns: ['region', 'amount'] },
				position: { x: 12.5, y: 40 },
				selected: true,
				measured: { width: 180, height: 60 }
			},
			{
				id: 'sum',
				type: 'aggregate',
				data: { by: 'region' },
				position: { x: 240, y: 40 },
				label: 'Totals'
			},
			{ id: 'out', type: 'table', data: {}, position: { x: 480, y: 40 } }
		],
		edges: [
			{ id: 'e1', source: 'src', sourceHandle: null, target: 'sum', targetHandle: null },
			{ id: 'e2', source: 'sum', sourceHandle: 'out', target: 'out', targetHandle: 'in' }
		],
		viewport: { x: 0, y: 0, zoom: 1.5 }
	};
}

const V1_OF_V0 = {
	version: 1,
	id: 'p-7',
	name: 'Sales by region',
	nodes: [
		{
			id: 'src',
			kind: 'csv',
			params: { url: 'sales.csv', columns: ['region', 'amount'] },
			position: { x: 12.5, y: 40 }
		},
		{
			id: 'sum',
			kind: 'aggregate',
			params: { by: 'region' },
			position: { x: 240, y: 40 },
			label: 'Totals'
		},
		{ id: 'out', kind: 'table', params: {}, position: { x: 480, y: 40 } }
	],
	edges: [
		{ id: 'e1', from: { node: 'src', port: 'out' }, to: { node: 'sum', port: 'in' } },
		{ id: 'e2', from: { node: 'sum', port: 'out' }, to: { node: 'out', port: 'in' } }
	]
};

describe('migrating version 0 documents', () => {
	it('renames type to kind, data to params, source/target to from/to and drops view state', () => {
		const result = loadDocument(JSON.stringify(v0Document()));
		expect(result).toEqual({ document: V1_OF_V0, diagnostics: [], migratedFrom: 0 });
	});

	it('treats a document without a version as version 0', () => {
		const { version: _version, ...unversioned } = v0Document();
		const result = loadDocument(unversioned);
		expect(result.migratedFrom).toBe(0);
		expect(result.document).toEqual(V1_OF_V0);
	});

	it('saves the upgraded document as the current version, which reloads unchanged', () => {
		const upgraded = loadDocument(v0Document()).document!;
		const text = serializeDocument(upgraded);
		const again = loadDocument(text);
		expect(again).toEqual({ document: upgraded, diagnostics: [] });
		expect(JSON.parse(text).version).toBe(DOCUMENT_VERSION);
		expect(serializeDocument(again.document!)).toBe(text);
	});

	it('leaves a version-1-shaped document without a version field as it is', () => {
		const { version: _version, ...current } = V1_OF_V0;
		expect(loadDocument(current)).toEqual({ document: V1_OF_V0, diagnostics: [], migratedFrom: 0 });
	});

	it('passes through what it cannot upgrade, so validation names the problem', () => {
		const broken = v0Document();
		(broken.nodes as Record<string, unknown>[])[1].type = undefined;
		const result = loadDocument(broken);
		expect(result.document).toBeNull();
		expect(result.migratedFrom).toBe(0);
		expect(result.diagnostics.map((item) => item.message)).toEqual(["node 'sum': kind is missing"]);
		expect(
			loadDocument({ version: 0, id: 'x', name: 'n', nodes: 5, edges: [] }).diagnostics[0].message
		).toBe('nodes must be a list');
	});

	it('does not change the object it was given', () => {
		const input = v0Document();
		const before = JSON.stringify(input);
		loadDocument(input);
		expect(JSON.stringify(input)).toBe(before);
	});
});

describe('migrateDocument', () => {
	it('has one step per version, each going up by one, ending at the current version', () => {
		expect(MIGRATIONS.map((step) => [step.from, step.to])).toEqual(
			Array.from({ length: DOCUMENT_VERSION }, (_, from) => [from, from + 1])
		);
	});

	it('reports a missing step instead of looping or throwing', () => {
		expect(migrateDocument({}, 0, [])).toEqual({ ok: false, from: 0 });
		const backwards: Migration[] = [{ from: 0, to: 0, migrate: (document) => document }];
		expect(migrateDocument({}, 0, backwards)).toEqual({ ok: false, from: 0 });
	});

	it('reports a step that throws, with the versions it was between', () => {
		const error = new Error('bad step');
		const throwing: Migration[] = [
			{
				from: 0,
				to: 1,
				migrate: () => {
					throw error;
				}
			}
		];
		expect(migrateDocument({}, 0, throwing)).toEqual({ ok: false, from: 0, to: 1, error });
		expect(graphMessages.migrationFailed(0, 1, String(error))).toBe(
			'could not upgrade this pipeline from version 0 to 1: Error: bad step'
		);
	});
});
