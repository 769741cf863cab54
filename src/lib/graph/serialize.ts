// Writes a document as stable, diffable JSON: the same document always gives the same bytes, so
// a saved pipeline diffs in git one changed field at a time.

import type { PipelineDocument, PipelineEdge, PipelineNode } from './document';

/** Indentation of saved pipeline files. */
export const JSON_INDENT = 2;

/** Positions are saved to a tenth of a pixel: finer is noise from dragging, not intent. */
function roundPosition(value: number): number {
	const rounded = Math.round(value * 10) / 10;
	return rounded === 0 ? 0 : rounded; // never write -0
}

// Each builder lists keys in the order they are written; JSON.stringify keeps insertion order.
function orderedNode(node: PipelineNode): Record<string, unknown> {
	const ordered: Record<string, unknown> = { id: node.id, kind: node.kind };
	if (node.label !== undefined) ordered.label = node.label;
	ordered.position = { x: roundPosition(node.position.x), y: roundPosition(node.position.y) };
	// Params keep their own key order: some kinds give it meaning (e.g. the order of output columns).
	ordered.params = node.params;
	return ordered;
}

function orderedEdge(edge: PipelineEdge): Record<string, unknown> {
	return {
		id: edge.id,
		from: { node: edge.from.node, port: edge.from.port },
		to: { node: edge.to.node, port: edge.to.port }
	};
}

/**
 * The document as JSON text ending in a newline: keys in a fixed order (version, id, name, nodes,
 * edges; a node's id, kind, label, position, params; an edge's id, from, to), nodes and edges in
 * document order, positions rounded to 0.1, fields outside the document type left out.
 */
export function serializeDocument(document: PipelineDocument): string {
	const ordered = {
		version: document.version,
		id: document.id,
		name: document.name,
		nodes: document.nodes.map(orderedNode),
		edges: document.edges.map(orderedEdge)
	};
	return `${JSON.stringify(ordered, null, JSON_INDENT)}\n`;
}
