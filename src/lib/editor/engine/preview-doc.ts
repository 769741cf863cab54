// The document a preview runs: the nodes upstream of the ones asked about, every source cut to
// its first rows, and a hidden table sink on each node asked about that is not a sink itself.
//
// Cutting a source: kinds whose params say how many rows they make (the generator, the taxi
// sample) get that number capped, so they make only the rows the preview reads — the same first
// rows, since their values depend on the row number alone. Any other source gets a hidden
// `limit` node right after it. Once the limit has its rows it abandons its input, and the stop
// travels back to the source, which stops reading: a preview of a 2 GB CSV reads about the first
// rows' worth of bytes plus what the rings held (see ring.ts, STATE_ABANDONED).
//
// Hidden nodes and edges carry ids under a prefix no id of the document starts with, and the
// labels of the nodes they stand for, so messages never show them; `originOf` maps them back.
import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../graph/document';
import { nodeKind, parseParams } from '../../nodes/catalogue';

export interface PreviewLimits {
	/** Rows each source contributes. */
	previewRows: number;
	/** Rows a hidden table keeps for display (it counts them all). */
	tableRows: number;
}

export interface PreviewDocument {
	doc: PipelineDocument;
	/** Requested node id -> id of the sink whose result is its preview (itself for a sink). */
	sinkOf: Map<string, string>;
	/** Any node id of `doc` -> the document's node it stands for (hidden ones map back). */
	originOf(id: string): string;
	/** Hidden edge id -> the document's node it belongs to. */
	hiddenEdges: Map<string, string>;
}

/** `ids` and every node upstream of them, following edges backwards. */
export function upstreamOf(doc: PipelineDocument, ids: Iterable<string>): Set<string> {
	const into = new Map<string, string[]>();
	for (const e of doc.edges) into.set(e.to.node, [...(into.get(e.to.node) ?? []), e.from.node]);
	const seen = new Set<string>();
	const stack = [...ids];
	while (stack.length > 0) {
		const id = stack.pop()!;
		if (seen.has(id)) continue;
		seen.add(id);
		stack.push(...(into.get(id) ?? []));
	}
	return seen;
}

/** Params of a source with its row count capped, for kinds whose params have one; else null. */
export function cappedSourceParams(
	node: PipelineNode,
	rows: number
): Record<string, unknown> | null {
	const def = nodeKind(node.kind);
	const parsed = def ? parseParams(def, node.params) : null;
	if (!parsed?.ok) return null;
	const p = parsed.params as { rows?: unknown; name?: unknown };
	const counted =
		node.kind === 'generator' || (node.kind === 'sample-dataset' && p.name === 'taxi');
	if (!counted || typeof p.rows !== 'number') return null;
	return { ...node.params, rows: Math.min(p.rows, rows) };
}

function freePrefix(doc: PipelineDocument): string {
	let prefix = '~preview~';
	const taken = (id: string) => id.startsWith(prefix);
	while (doc.nodes.some((n) => taken(n.id)) || doc.edges.some((e) => taken(e.id))) {
		prefix = `~${prefix}`;
	}
	return prefix;
}

/**
 * The preview document for `requested` (ids of `doc`'s nodes, whose kinds the catalogue has).
 * `nameOf` gives the user-facing name of a node of `doc`, used as the hidden nodes' labels.
 */
export function previewDocument(
	doc: PipelineDocument,
	requested: readonly string[],
	limits: PreviewLimits,
	nameOf: (id: string) => string
): PreviewDocument {
	const prefix = freePrefix(doc);
	const keep = upstreamOf(doc, requested);
	const origin = new Map<string, string>();
	const hiddenEdges = new Map<string, string>();
	const nodes: PipelineNode[] = [];
	const edges: PipelineEdge[] = doc.edges.filter((e) => keep.has(e.to.node));
	const hidden = (id: string, kind: string, params: Record<string, unknown>, of: string) => {
		nodes.push({ id, kind, params, position: { x: 0, y: 0 }, label: nameOf(of) });
		origin.set(id, of);
	};

	// Hidden tables on requested nodes that are not sinks.
	const sinkOf = new Map<string, string>();
	for (const id of requested) {
		const node = doc.nodes.find((n) => n.id === id)!;
		const out = nodeKind(node.kind)?.outputs[0];
		if (!out) {
			sinkOf.set(id, id);
			continue;
		}
		const table = `${prefix}table:${id}`;
		hidden(table, 'table', { limit: limits.tableRows }, id);
		hiddenEdges.set(`${prefix}edge:${table}`, id);
		edges.push({
			id: `${prefix}edge:${table}`,
			from: { node: id, port: out.name },
			to: { node: table, port: 'in' }
		});
		sinkOf.set(id, table);
	}

	// Sources: capped in place, or followed by a hidden limit that takes over their out-edges.
	const kept = doc.nodes.filter((n) => keep.has(n.id));
	for (const node of kept) {
		const def = nodeKind(node.kind);
		if (!def || def.inputs.length > 0) {
			nodes.push(node);
			continue;
		}
		const capped = cappedSourceParams(node, limits.previewRows);
		nodes.push(capped ? { ...node, params: capped } : node);
		if (capped) continue;
		for (const port of def.outputs) {
			const limit = `${prefix}limit:${node.id}:${port.name}`;
			let used = false;
			for (let i = 0; i < edges.length; i++) {
				const e = edges[i];
				if (e.from.node !== node.id || e.from.port !== port.name) continue;
				edges[i] = { ...e, from: { node: limit, port: 'out' } };
				used = true;
			}
			if (!used) continue;
			hidden(limit, 'limit', { rows: limits.previewRows, offset: 0 }, node.id);
			hiddenEdges.set(`${prefix}edge:${limit}`, node.id);
			edges.push({
				id: `${prefix}edge:${limit}`,
				from: { node: node.id, port: port.name },
				to: { node: limit, port: 'in' }
			});
		}
	}

	return {
		doc: { ...doc, nodes, edges },
		sinkOf,
		originOf: (id) => origin.get(id) ?? id,
		hiddenEdges
	};
}
