// The pipeline document: the JSON a user saves, shares in a URL and diffs in git.
// Plain data only (no classes, no Svelte): it crosses workers, IndexedDB and the network as is.

/** The version `serializeDocument` writes and the newest one `loadDocument` reads. */
export const DOCUMENT_VERSION = 1;

/** The name `emptyDocument` gives a pipeline when the caller has none. */
export const UNTITLED = 'Untitled pipeline';

/** One node on the canvas: a kind from the node catalogue and the params that configure it. */
export interface PipelineNode {
	id: string;
	kind: string;
	/** JSON values only; key order is kept (some kinds give it meaning, e.g. output columns). */
	params: Record<string, unknown>;
	position: { x: number; y: number };
	label?: string;
}

/** A wire from an output port of one node to an input port of another. */
export interface PipelineEdge {
	id: string;
	from: { node: string; port: string };
	to: { node: string; port: string };
}

export interface PipelineDocument {
	version: number;
	id: string;
	name: string;
	nodes: PipelineNode[];
	edges: PipelineEdge[];
}

/** A new pipeline with no nodes, a fresh random id and the current version. */
export function emptyDocument(name: string = UNTITLED): PipelineDocument {
	return { version: DOCUMENT_VERSION, id: crypto.randomUUID(), name, nodes: [], edges: [] };
}
