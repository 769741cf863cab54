// Pure document edits behind PipelineState's commands: each takes a document and returns a new one
// (sharing every node and edge it leaves alone), never mutating its input.

import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../graph/document';
import { findJsonProblem } from '../../graph/json-value';
import { graphMessages } from '../../graph/messages';
import { nodeKind } from '../../nodes/catalogue';
import { IdAllocator } from './ids';
import type { Point } from './layout';

export interface Selection {
	nodes: readonly string[];
	edges: readonly string[];
}

export type SelectMode = 'replace' | 'add' | 'toggle';

export const NO_SELECTION: Selection = { nodes: [], edges: [] };

/** A deep copy of JSON params, so a caller's object (perhaps a $state proxy) is never kept. */
export function copyParams(nodeId: string, params: unknown): Record<string, unknown> {
	if (typeof params !== 'object' || params === null || Array.isArray(params)) {
		throw new TypeError(`params of node '${nodeId}' must be an object`);
	}
	const problem = findJsonProblem(params);
	if (problem !== null) {
		const detail = graphMessages.notJsonParams(problem.path, problem.problem);
		throw new TypeError(`params of node '${nodeId}' ${detail}`);
	}
	return JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
}

/** `doc` with a node of `kind` (its default params) appended, and the node's new id. */
export function withNewNode(
	doc: PipelineDocument,
	kind: string,
	position: Point,
	label?: string
): { doc: PipelineDocument; id: string } {
	const def = nodeKind(kind);
	if (def === undefined) throw new TypeError(`kind '${kind}' is not in the node catalogue`);
	const id = new IdAllocator(doc.nodes.map((node) => node.id)).node(kind);
	const node: PipelineNode = {
		id,
		kind,
		params: copyParams(id, def.defaults),
		position: { x: position.x, y: position.y }
	};
	if (label) node.label = label;
	return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

/** `doc` without the given nodes (and every edge touching them) and edges. */
export function without(
	doc: PipelineDocument,
	nodeIds: Iterable<string>,
	edgeIds: Iterable<string> = []
): PipelineDocument {
	const nodes = new Set(nodeIds);
	const edges = new Set(edgeIds);
	return {
		...doc,
		nodes: doc.nodes.filter((node) => !nodes.has(node.id)),
		edges: doc.edges.filter(
			(edge) => !edges.has(edge.id) && !nodes.has(edge.from.node) && !nodes.has(edge.to.node)
		)
	};
}

/** `doc` with nodes moved; a node whose position does not change keeps its object. */
export function withPositions(
	doc: PipelineDocument,
	positions: Iterable<readonly [string, Point]>
): PipelineDocument {
	const to = new Map<string, Point>();
	for (const [id, point] of positions) to.set(id, { x: point.x, y: point.y });
	const nodes = doc.nodes.map((node) => {
		const position = to.get(node.id);
		if (position === undefined) return node;
		if (position.x === node.position.x && position.y === node.position.y) return node;
		return { ...node, position };
	});
	return { ...doc, nodes };
}

/** `doc` with node `id` replaced by `update(node)`, or null when there is no such node. */
export function withNode(
	doc: PipelineDocument,
	id: string,
	update: (node: PipelineNode) => PipelineNode
): PipelineDocument | null {
	const index = doc.nodes.findIndex((node) => node.id === id);
	if (index < 0) return null;
	const nodes = [...doc.nodes];
	nodes[index] = update(nodes[index]);
	return { ...doc, nodes };
}

/** `node` with `label`, or without one when `label` is '' or undefined. */
export function labelled(node: PipelineNode, label: string | undefined): PipelineNode {
	const { label: _old, ...rest } = node;
	void _old;
	return label ? { ...rest, label } : rest;
}

/**
 * `doc` with copies of `nodes` and the edges among them appended under new ids ('filter-3'),
 * params and labels kept, positions moved by `offset`; and the new ids.
 */
export function withCopies(
	doc: PipelineDocument,
	nodes: readonly PipelineNode[],
	edges: readonly PipelineEdge[],
	offset: Point
): { doc: PipelineDocument; nodes: string[]; edges: string[] } {
	const nodeIds = new IdAllocator(doc.nodes.map((node) => node.id));
	const edgeIds = new IdAllocator(doc.edges.map((edge) => edge.id));
	const renamed = new Map<string, string>();
	const nodeCopies = nodes.map((node) => {
		const id = nodeIds.node(node.kind);
		renamed.set(node.id, id);
		const copy: PipelineNode = {
			id,
			kind: node.kind,
			params: copyParams(id, node.params),
			position: { x: node.position.x + offset.x, y: node.position.y + offset.y }
		};
		if (node.label !== undefined) copy.label = node.label;
		return copy;
	});
	const edgeCopies: PipelineEdge[] = [];
	for (const edge of edges) {
		const fromNode = renamed.get(edge.from.node);
		const toNode = renamed.get(edge.to.node);
		if (fromNode === undefined || toNode === undefined) continue; // only edges among the copies
		const from = { node: fromNode, port: edge.from.port };
		const to = { node: toNode, port: edge.to.port };
		edgeCopies.push({ id: edgeIds.edge(from, to), from, to });
	}
	return {
		doc: { ...doc, nodes: [...doc.nodes, ...nodeCopies], edges: [...doc.edges, ...edgeCopies] },
		nodes: nodeCopies.map((node) => node.id),
		edges: edgeCopies.map((edge) => edge.id)
	};
}

/** The offset that puts the top-left of `nodes` at `at`. */
export function offsetTo(nodes: readonly PipelineNode[], at: Point): Point {
	const left = Math.min(...nodes.map((node) => node.position.x));
	const top = Math.min(...nodes.map((node) => node.position.y));
	return { x: at.x - left, y: at.y - top };
}

/** `current` changed by `given`: replaced by it, with it added, or with it toggled. */
export function combineIds(
	current: readonly string[],
	given: readonly string[],
	mode: SelectMode
): string[] {
	if (mode === 'replace') return [...new Set(given)];
	const result = new Set(current);
	for (const id of given) {
		if (mode === 'toggle' && result.has(id)) result.delete(id);
		else result.add(id);
	}
	return [...result];
}

/** `selection` with ids `doc` lacks left out; the same object when it lacks none. */
export function selectionWithin(doc: PipelineDocument, selection: Selection): Selection {
	const nodeIds = new Set(doc.nodes.map((node) => node.id));
	const edgeIds = new Set(doc.edges.map((edge) => edge.id));
	const nodes = selection.nodes.filter((id) => nodeIds.has(id));
	const edges = selection.edges.filter((id) => edgeIds.has(id));
	if (nodes.length === selection.nodes.length && edges.length === selection.edges.length) {
		return selection;
	}
	return { nodes, edges };
}
