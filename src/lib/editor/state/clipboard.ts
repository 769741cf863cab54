// Copy and paste as document JSON: a fragment is the selected nodes and the edges between them,
// in the document format, so it pastes into another tab, another pipeline, or a text editor and
// back. Pasted text is read with the document loader's rules (migrations, valibot shape, checks).

import type { Diagnostic } from '../../graph/diagnostics';
import type { PipelineDocument, PipelineNode } from '../../graph/document';
import { isRecord } from '../../graph/json-value';
import { loadDocument, MAX_DOCUMENT_CHARS } from '../../graph/load';
import type { PipelineEdge } from '../../graph/document';
import { kindLookup } from '../../nodes/catalogue';

/** The marker that tells a fragment from other clipboard text. */
export const FRAGMENT_MARKER = 'fragment';

/** What `copySelection` writes: nodes and the edges between them, in the document format. */
export interface PipelineFragment {
	sluice: typeof FRAGMENT_MARKER;
	version: number;
	nodes: PipelineNode[];
	edges: PipelineEdge[];
}

export type FragmentResult =
	{ ok: true; nodes: PipelineNode[]; edges: PipelineEdge[] } | { ok: false; error: string };

/** Checks that may fail on a fragment and still paste: params the user is still editing. */
const PASTE_ANYWAY = new Set(['bad-param', 'missing-input', 'unknown-field']);

/** The nodes with the given ids (document order) and only the edges that join two of them. */
export function fragmentOf(doc: PipelineDocument, ids: Iterable<string>): PipelineFragment {
	const nodeIds = new Set(ids);
	const nodes = doc.nodes.filter((node) => nodeIds.has(node.id));
	const edges = doc.edges.filter(
		(edge) => nodeIds.has(edge.from.node) && nodeIds.has(edge.to.node)
	);
	return { sluice: FRAGMENT_MARKER, version: doc.version, nodes, edges };
}

/** A fragment as clipboard text (indented JSON, readable when pasted into a text editor). */
export function fragmentText(fragment: PipelineFragment): string {
	return JSON.stringify(fragment, null, 2);
}

function refuse(detail: string): FragmentResult {
	return { ok: false, error: `the clipboard does not hold Sluice nodes: ${detail}` };
}

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
	return diagnostics.find((item) => item.severity === 'error' && !PASTE_ANYWAY.has(item.code));
}

/**
 * Reads clipboard text: a fragment (`{ sluice: 'fragment', version, nodes, edges }`) or a whole
 * saved pipeline (its nodes and edges are taken). Never throws; any text that is not one, or
 * holds unknown kinds, unknown ports, repeated ids, dangling edges or a cycle, gives `ok: false`
 * with a sentence saying what is wrong. Nodes keep their ids here; the caller renames them.
 */
export function readFragment(text: string): FragmentResult {
	if (text.length > MAX_DOCUMENT_CHARS) return refuse('the text is too long');
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return refuse('the text is not JSON');
	}
	if (!isRecord(value) || !Array.isArray(value.nodes)) {
		return refuse('the text is JSON, but not a pipeline or a copy of pipeline nodes');
	}
	const isFragment = value.sluice === FRAGMENT_MARKER;
	const asDocument = {
		version: value.version,
		id: isFragment ? 'clipboard' : value.id,
		name: isFragment ? 'clipboard' : value.name,
		nodes: value.nodes,
		edges: value.edges ?? []
	};
	const { document, diagnostics } = loadDocument(asDocument, kindLookup);
	const problem = firstError(diagnostics);
	if (document === null || problem !== undefined) {
		return refuse(problem?.message ?? 'it could not be read');
	}
	if (document.nodes.length === 0) return refuse('it holds no nodes');
	return { ok: true, nodes: document.nodes, edges: document.edges };
}
