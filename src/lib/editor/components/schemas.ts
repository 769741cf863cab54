// The schema of every port the editor can know, even when part of the pipeline is broken: the
// compiler returns no plan while any node has an error, so the nodes with errors and everything
// downstream of them are set aside and the rest compiled again. A broken node still gets the
// schemas of its inputs (from the healthy nodes feeding it), which the inspector needs most.

import { buildLogicalPlan } from '../../compiler/logical';
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

/** Port schemas of every node of `doc`, given the diagnostics the editor already has. */
export function schemaIndex(
	doc: PipelineDocument,
	diagnostics: readonly Diagnostic[],
	ctx?: InferContext
): SchemaIndex {
	const broken = new Set<string>();
	for (const d of diagnostics) {
		if (d.severity !== 'error') continue;
		const node = d.node ?? doc.edges.find((e) => e.id === d.edge)?.to.node;
		if (node !== undefined) broken.add(node);
	}
	const setAside = downstream(doc, broken);
	const healthy: PipelineDocument = {
		...doc,
		nodes: doc.nodes.filter((node) => !setAside.has(node.id)),
		edges: doc.edges.filter((e) => !setAside.has(e.from.node) && !setAside.has(e.to.node))
	};
	const { plan } = buildLogicalPlan(healthy, ctx);
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
