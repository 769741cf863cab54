// Small fixture builders for the graph tests: documents, nodes, edges and a fake node catalogue.

import type { KindInfo, KindLookup } from './diagnostics';
import type { PipelineDocument, PipelineEdge, PipelineNode } from './document';

export function node(
	id: string,
	kind = 'filter',
	params: Record<string, unknown> = kind === 'filter' ? { expr: 'x > 1' } : {},
	position = { x: 0, y: 0 }
): PipelineNode {
	return { id, kind, params, position };
}

/** An edge `from:fromPort -> to:toPort`, id defaulting to 'from-to'. */
export function edge(
	from: string,
	to: string,
	{ id = `${from}-${to}`, fromPort = 'out', toPort = 'in' } = {}
): PipelineEdge {
	return { id, from: { node: from, port: fromPort }, to: { node: to, port: toPort } };
}

export function doc(nodes: PipelineNode[], edges: PipelineEdge[] = []): PipelineDocument {
	return { version: 1, id: 'doc-1', name: 'Test pipeline', nodes, edges };
}

/** csv -> filter -> table: valid against `fakeKinds()`. */
export function validDocument(): PipelineDocument {
	return doc(
		[
			node('source', 'csv', { url: 'data.csv' }, { x: 10, y: 20.5 }),
			{ ...node('keep', 'filter', { expr: 'x > 1' }, { x: 200, y: 20 }), label: 'Big ones' },
			node('view', 'table', {}, { x: 400, y: 20 })
		],
		[edge('source', 'keep'), edge('keep', 'view')]
	);
}

function kind(
	inputs: string[],
	outputs: string[],
	validateParams: KindInfo['validateParams'] = () => []
): KindInfo {
	return {
		inputs: inputs.map((name) => ({ name })),
		outputs: outputs.map((name) => ({ name })),
		validateParams
	};
}

function requireString(key: string): KindInfo['validateParams'] {
	return (params) => {
		const value = (params as Record<string, unknown>)[key];
		return typeof value === 'string' && value !== ''
			? []
			: [{ path: key, message: 'must be a non-empty string' }];
	};
}

/** A stand-in for the node catalogue: csv, filter, join, table, and 'broken' (its check throws). */
export function fakeKinds(): KindLookup {
	const table: Record<string, KindInfo> = {
		csv: kind([], ['out'], requireString('url')),
		filter: kind(['in'], ['out'], requireString('expr')),
		join: kind(['left', 'right'], ['out']),
		table: kind(['in'], []),
		broken: kind(['in'], ['out'], () => {
			throw new Error('catalogue bug');
		})
	};
	const lookup = (name: string): KindInfo | undefined =>
		Object.hasOwn(table, name) ? table[name] : undefined;
	return Object.assign(lookup, { kinds: () => Object.keys(table) });
}
