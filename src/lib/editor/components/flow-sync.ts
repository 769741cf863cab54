// The canvas's view of the document: xyflow nodes and edges built from the PipelineState's
// document and selection. xyflow keeps things of its own on its node objects (measured size,
// dragging), so a rebuild keeps the previous object when nothing the canvas shows changed, and
// otherwise copies what xyflow measured onto the new one.

import type { Edge, Node } from '@xyflow/svelte';
import type { PipelineDocument } from '../../graph/document';
import type { Selection } from '../state/pipeline.svelte';
import type { EdgeLive } from '../engine/live-metrics';
import { displayName } from '../engine/failure';
import { nodeKind } from '../../nodes/catalogue';

export const NODE_TYPE = 'sluice';
/** Edges drawn with a run's live figures (LiveEdge.svelte). */
export const LIVE_EDGE_TYPE = 'live';

export interface LiveEdgeData extends Record<string, unknown> {
	live: EdgeLive;
}

export interface CardData extends Record<string, unknown> {
	kind: string;
}

export type FlowNode = Node<CardData, typeof NODE_TYPE>;

/**
 * What assistive technology calls node `id`: its title (its label, or "Title (id)" as messages
 * name it) and its kind, e.g. "stocks.csv, CSV source".
 */
export function nodeName(doc: PipelineDocument, id: string): string {
	const node = doc.nodes.find((n) => n.id === id);
	const def = node ? nodeKind(node.kind) : undefined;
	const kind = def ? `${def.title} ${def.category}` : (node?.kind ?? 'unknown kind');
	return `${displayName(doc, id)}, ${kind}`;
}

/** What assistive technology calls an edge: "edge from stocks.csv to Filter (filter-1)". */
export function edgeName(doc: PipelineDocument, from: string, to: string): string {
	return `edge from ${displayName(doc, from)} to ${displayName(doc, to)}`;
}

/** Flow nodes for `doc`, reusing objects of `previous` that would not change. */
export function flowNodes(
	doc: PipelineDocument,
	selection: Selection,
	previous: readonly FlowNode[]
): FlowNode[] {
	const selected = new Set(selection.nodes);
	const before = new Map(previous.map((node) => [node.id, node]));
	return doc.nodes.map((node) => {
		const old = before.get(node.id);
		const isSelected = selected.has(node.id);
		const ariaLabel = nodeName(doc, node.id);
		// xyflow owns a node's position while it is dragged; the drag's end writes it back.
		if (old?.dragging)
			return (old.selected ?? false) === isSelected ? old : { ...old, selected: isSelected };
		if (
			old !== undefined &&
			old.data.kind === node.kind &&
			old.position.x === node.position.x &&
			old.position.y === node.position.y &&
			(old.selected ?? false) === isSelected &&
			old.ariaLabel === ariaLabel
		) {
			return old;
		}
		const next: FlowNode = {
			id: node.id,
			type: NODE_TYPE,
			position: { x: node.position.x, y: node.position.y },
			data: old?.data.kind === node.kind ? old.data : { kind: node.kind },
			selected: isSelected,
			ariaLabel
		};
		if (old?.measured) next.measured = old.measured;
		return next;
	});
}

/**
 * Flow edges for `doc`; an edge with an error diagnostic is marked for the stylesheet. With
 * `live` (a run's figures by edge id), edges that have figures draw as LIVE_EDGE_TYPE.
 */
export function flowEdges(
	doc: PipelineDocument,
	selection: Selection,
	problem: (edgeId: string) => string | undefined,
	live?: (edgeId: string) => EdgeLive | undefined
): Edge[] {
	const selected = new Set(selection.edges);
	return doc.edges.map((edge) => {
		const message = problem(edge.id);
		const flow: Edge = {
			id: edge.id,
			source: edge.from.node,
			sourceHandle: edge.from.port,
			target: edge.to.node,
			targetHandle: edge.to.port,
			selected: selected.has(edge.id),
			ariaLabel: edgeName(doc, edge.from.node, edge.to.node)
		};
		if (message !== undefined) {
			flow.class = 'edge-error';
			flow.label = message.length > 60 ? `${message.slice(0, 57)}…` : message;
			return flow;
		}
		const figures = live?.(edge.id);
		if (figures) {
			flow.type = LIVE_EDGE_TYPE;
			flow.data = { live: figures } satisfies LiveEdgeData;
			flow.class = figures.fused ? 'live-edge fused' : `live-edge live-${figures.level}`;
		}
		return flow;
	});
}

/** True when both lists hold the same ids, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	const set = new Set(a);
	return b.every((id) => set.has(id));
}

/**
 * xyflow's descriptions of a focused node or edge, told as the canvas behaves: Tab selects what
 * it focuses, so Delete removes that (Canvas.svelte), and C connects a node (shortcuts.ts).
 */
export const ARIA_LABELS = {
	'node.a11yDescription.default':
		'Press delete to remove the node, C to connect it to another node, and escape to clear the selection.',
	'node.a11yDescription.keyboardDisabled':
		'Press delete to remove the node, C to connect it to another node, and escape to clear the selection.',
	'edge.a11yDescription.default':
		'Press delete to remove the edge and escape to clear the selection.'
} as const;
