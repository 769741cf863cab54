// Whether an edge may be added, and if not, why, in words for the user. Structural rules first
// (nodes and ports exist, no self-loop, one edge per input, no cycle), then the compiler: the
// edge is refused when it makes the compiler report a new error on the node it feeds, one the
// node would not also report with its kind's default params. So an unconfigured node accepts
// any input (choosing its params comes after wiring), while a configured one refuses an input
// its params cannot use (e.g. join keys whose types cannot be compared).

import type { PipelineDocument, PipelineEdge } from '../../graph/document';
import { quote } from '../../graph/messages';
import { buildLogicalPlan, NO_DATASETS } from '../../compiler/logical';
import { nodeKind } from '../../nodes/catalogue';
import type { InferContext, NodeDefinition } from '../../nodes/types';

export interface Connection {
	from: PipelineEdge['from'];
	to: PipelineEdge['to'];
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

function refuse(reason: string): ConnectionCheck {
	return { ok: false, reason };
}

function portList(def: NodeDefinition, direction: 'input' | 'output'): string {
	const ports = (direction === 'input' ? def.inputs : def.outputs).map((port) => quote(port.name));
	return ports.length === 0
		? `it has no ${direction}s`
		: `its ${direction}s are ${ports.join(', ')}`;
}

/** The nodes on a path from `start` to `goal` along the edges, both included, or null. */
function pathBetween(doc: PipelineDocument, start: string, goal: string): string[] | null {
	const next = new Map<string, string[]>();
	for (const edge of doc.edges) {
		const list = next.get(edge.from.node) ?? [];
		list.push(edge.to.node);
		next.set(edge.from.node, list);
	}
	const parent = new Map<string, string>([[start, start]]);
	const queue = [start];
	for (let head = 0; head < queue.length; head++) {
		const node = queue[head];
		if (node === goal) {
			const path = [goal];
			while (path[0] !== start) path.unshift(parent.get(path[0])!);
			return path;
		}
		for (const target of next.get(node) ?? []) {
			if (parent.has(target)) continue;
			parent.set(target, node);
			queue.push(target);
		}
	}
	return null;
}

/** Error messages the compiler reports on `node`. */
function errorsOn(doc: PipelineDocument, node: string, ctx: InferContext): Set<string> {
	const { diagnostics } = buildLogicalPlan(doc, ctx);
	const messages = diagnostics
		.filter((item) => item.severity === 'error' && item.node === node)
		.map((item) => item.message);
	return new Set(messages);
}

/**
 * Whether `doc` may take an edge `connection` (nothing is changed). `edgeId` is the id the edge
 * would get; it only matters to the compiler's messages.
 */
export function checkConnection(
	doc: PipelineDocument,
	connection: Connection,
	edgeId = 'new-edge',
	ctx: InferContext = NO_DATASETS
): ConnectionCheck {
	const { from, to } = connection;
	const source = doc.nodes.find((node) => node.id === from.node);
	const target = doc.nodes.find((node) => node.id === to.node);
	if (source === undefined) return refuse(`there is no node ${quote(from.node)}`);
	if (target === undefined) return refuse(`there is no node ${quote(to.node)}`);
	if (from.node === to.node) return refuse(`node ${quote(from.node)} cannot feed itself`);
	const sourceDef = nodeKind(source.kind);
	const targetDef = nodeKind(target.kind);
	for (const [node, def] of [
		[source, sourceDef],
		[target, targetDef]
	] as const) {
		if (def === undefined) {
			return refuse(`node ${quote(node.id)} has the unknown kind ${quote(node.kind)}`);
		}
	}
	if (!sourceDef!.outputs.some((port) => port.name === from.port)) {
		const where = `${sourceDef!.title} ${quote(from.node)}`;
		return refuse(`${where} has no output ${quote(from.port)}; ${portList(sourceDef!, 'output')}`);
	}
	if (!targetDef!.inputs.some((port) => port.name === to.port)) {
		const where = `${targetDef!.title} ${quote(to.node)}`;
		return refuse(`${where} has no input ${quote(to.port)}; ${portList(targetDef!, 'input')}`);
	}
	const taken = doc.edges.find((edge) => edge.to.node === to.node && edge.to.port === to.port);
	if (taken !== undefined) {
		return refuse(
			`input ${quote(to.port)} of ${quote(to.node)} is already fed by ${quote(taken.from.node)}; ` +
				`an input takes one edge: disconnect that one first`
		);
	}
	const loop = pathBetween(doc, to.node, from.node);
	if (loop !== null) {
		const path = [...loop, to.node].map(quote).join(' → ');
		return refuse(
			`this edge would close a loop (${path}); pipelines cannot feed back into themselves`
		);
	}

	const withEdge: PipelineDocument = { ...doc, edges: [...doc.edges, { id: edgeId, from, to }] };
	const before = errorsOn(doc, to.node, ctx);
	const added = [...errorsOn(withEdge, to.node, ctx)].filter((message) => !before.has(message));
	if (added.length === 0) return { ok: true };
	const unconfigured: PipelineDocument = {
		...withEdge,
		nodes: withEdge.nodes.map((node) =>
			node === target ? { ...node, params: structuredClone(targetDef!.defaults) } : node
		)
	};
	const alsoUnconfigured = errorsOn(unconfigured, to.node, ctx);
	const caused = added.find((message) => !alsoUnconfigured.has(message));
	return caused === undefined ? { ok: true } : refuse(caused);
}
