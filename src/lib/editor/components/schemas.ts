// The schema of every port the editor can know, even when part of the pipeline is broken: the
// compiler returns no plan while any node has an error, so the nodes with errors and everything
// downstream of them are set aside and the rest compiled again. A broken node still gets the
// schemas of its inputs (from the healthy nodes feeding it), which the inspector needs most.

import { buildLogicalPlan, type LogicalPlan } from '../../compiler/logical';
import type { Diagnostic } from '../../graph/diagnostics';
import type { PipelineDocument } from '../../graph/document';
import type { FrameSchema } from '../../runtime/batch/types';
import { nodeKind } from '../../nodes/catalogue';
import type { InferContext } from '../../nodes/types';

export interface NodeSchemas {
	/** Schema per input port (definition order); undefined where unknown (unwired or broken). */
	inputs: (FrameSchema | undefined)[];
	/** Schema per output port; empty when unknown. */
	outputs: FrameSchema[];
}

export type SchemaIndex = ReadonlyMap<string, NodeSchemas>;

/** Nodes in `roots` and every node downstream of them. */
function downstream(doc: PipelineDocument, roots: Iterable<string>): Set<string> {
	const out = new Set(roots);
	const queue = [...out];
	for (let i = 0; i < queue.length; i++) {
		for (const edge of doc.edges) {
			if (edge.from.node === queue[i] && !out.has(edge.to.node)) {
				out.add(edge.to.node);
				queue.push(edge.to.node);
			}
		}
	}
	return out;
}

/** The nodes `diagnostics` report an error on (an edge's error counts against its target). */
function errorNodes(doc: PipelineDocument, diagnostics: readonly Diagnostic[]): Set<string> {
	const nodes = new Set<string>();
	for (const d of diagnostics) {
		if (d.severity !== 'error') continue;
		const node = d.node ?? doc.edges.find((e) => e.id === d.edge)?.to.node;
		if (node !== undefined) nodes.add(node);
	}
	return nodes;
}

/**
 * Port schemas of every node of `doc`, given the diagnostics the editor already has. `ctx` must be
 * the editor's datasets (the one its diagnostics were compiled with): without it no file, URL or
 * sample source has a schema.
 */
export function schemaIndex(
	doc: PipelineDocument,
	diagnostics: readonly Diagnostic[],
	ctx?: InferContext
): SchemaIndex {
	// Set the broken nodes and everything downstream aside and compile the rest. Should that
	// compile still fail (a schema known to the diagnostics' compile but not to this one), set
	// the nodes it blames aside too and try again: each round sets at least one more node aside,
	// so a node that is fine never loses its schema because of another one.
	const broken = errorNodes(doc, diagnostics);
	let plan: LogicalPlan | null = null;
	for (;;) {
		const setAside = downstream(doc, broken);
		const healthy: PipelineDocument = {
			...doc,
			nodes: doc.nodes.filter((node) => !setAside.has(node.id)),
			edges: doc.edges.filter((e) => !setAside.has(e.from.node) && !setAside.has(e.to.node))
		};
		const built = buildLogicalPlan(healthy, ctx);
		plan = built.plan;
		const more = [...errorNodes(healthy, built.diagnostics)].filter((id) => !broken.has(id));
		if (plan !== null || more.length === 0) break;
		for (const id of more) broken.add(id);
	}
	const outputsOf = (id: string) => plan?.byId.get(id)?.outputSchemas ?? [];

	const index = new Map<string, NodeSchemas>();
	for (const node of doc.nodes) {
		const def = nodeKind(node.kind);
		if (!def) continue;
		const inputs = def.inputs.map((port) => {
			const edge = doc.edges.find((e) => e.to.node === node.id && e.to.port === port.name);
			if (!edge) return undefined;
			const from = doc.nodes.find((n) => n.id === edge.from.node);
			const portIndex = from
				? (nodeKind(from.kind)?.outputs ?? []).findIndex((p) => p.name === edge.from.port)
				: -1;
			return portIndex < 0 ? undefined : outputsOf(edge.from.node)[portIndex];
		});
		index.set(node.id, { inputs, outputs: outputsOf(node.id) });
	}
	return index;
}

/** "name: type" lines of a schema, for a tooltip. */
export function schemaText(schema: FrameSchema | undefined): string {
	if (!schema) return 'schema unknown';
	if (schema.names.length === 0) return 'no columns';
	return schema.names.map((name, i) => `${name}: ${schema.types[i]}`).join('\n');
}
