// Where keyboard focus goes after Delete removed what had it, so a keyboard user keeps their
// place on the canvas instead of falling back to the page: an edge's source node (else its
// target), a node's upstream neighbour (else downstream), else the first node left.
import type { PipelineDocument } from '../../graph/document';

export function focusAfterDelete(
	doc: PipelineDocument,
	removed: { nodes: readonly string[]; edges: readonly string[] }
): string | null {
	const gone = new Set(removed.nodes);
	const left = (id: string) => !gone.has(id) && doc.nodes.some((n) => n.id === id);
	for (const id of removed.edges) {
		const edge = doc.edges.find((e) => e.id === id);
		if (!edge) continue;
		if (left(edge.from.node)) return edge.from.node;
		if (left(edge.to.node)) return edge.to.node;
	}
	for (const id of removed.nodes) {
		const upstream = doc.edges.find((e) => e.to.node === id && left(e.from.node));
		if (upstream) return upstream.from.node;
		const downstream = doc.edges.find((e) => e.from.node === id && left(e.to.node));
		if (downstream) return downstream.to.node;
	}
	return doc.nodes.find((n) => !gone.has(n.id))?.id ?? null;
}
