// Document -> logical plan: every node with its definition, parsed params and the schema of
// each input and output port, in topological order. Problems are diagnostics attached to the
// node or edge they concern, never throws.
//
// Phases, in order:
//   1. the document's own checks (ids, dangling edges, kinds, ports, params, cycles);
//   2. Kahn order over the edges (a document with a cycle stops here: diagnostics say where);
//   3. schema propagation, node by node in that order: each input port takes the schema of the
//      output port feeding it, then the kind infers its outputs. A node downstream of a broken
//      one is skipped with a warning, so only the first problem on a path is an error.
import { checkDocument } from '../graph/check';
import { hasErrors, type Diagnostic } from '../graph/diagnostics';
import type { PipelineDocument, PipelineEdge } from '../graph/document';
import { topologicalOrder } from '../graph/topo';
import type { FrameSchema } from '../runtime/batch/types';
import { kindLookup, nodeKind, parseParams } from '../nodes/catalogue';
import type { InferContext, NodeDefinition } from '../nodes/types';
import type { ColumnCondition } from '../nodes/row-conditions';

export interface LogicalNode {
	id: string;
	name: string;
	def: NodeDefinition;
	params: unknown;
	/** Schema per input port (definition order). */
	inputSchemas: FrameSchema[];
	/** Schema per output port (definition order). */
	outputSchemas: FrameSchema[];
	/** Incoming edge per input port. */
	inputEdges: PipelineEdge[];
	/** Outgoing edges per output port. */
	outputEdges: PipelineEdge[][];
	/** Sources: the conditions of the filters below it, given to its kernel (conditions.ts). */
	conditions?: ColumnCondition[];
}

export interface LogicalPlan {
	nodes: LogicalNode[];
	byId: Map<string, LogicalNode>;
}

/** Edges grouped by a node id, each group in document order. */
function edgesBy(
	edges: PipelineEdge[],
	node: (e: PipelineEdge) => string
): Map<string, PipelineEdge[]> {
	const by = new Map<string, PipelineEdge[]>();
	for (const e of edges) {
		const list = by.get(node(e));
		if (list) list.push(e);
		else by.set(node(e), [e]);
	}
	return by;
}

export const NO_DATASETS: InferContext = { datasetSchema: () => undefined };

export function buildLogicalPlan(
	doc: PipelineDocument,
	ctx: InferContext = NO_DATASETS
): { plan: LogicalPlan | null; diagnostics: Diagnostic[] } {
	// 1. The document's own checks.
	const diagnostics = checkDocument(doc, kindLookup);
	if (hasErrors(diagnostics)) return { plan: null, diagnostics };

	// 2. Kahn order (checkDocument reported cycles already).
	const { order } = topologicalOrder(doc);
	const docNodes = new Map(doc.nodes.map((n) => [n.id, n]));
	// Edges by the port they enter and by the node they leave: one pass, so a long chain
	// compiles in time linear in its length (not a scan of every edge per node).
	const entering = edgesBy(doc.edges, (e) => e.to.node);
	const leaving = edgesBy(doc.edges, (e) => e.from.node);

	// 3. Schema propagation.
	const byId = new Map<string, LogicalNode>();
	const broken = new Set<string>();
	const nodes: LogicalNode[] = [];
	for (const id of order) {
		const node = docNodes.get(id)!;
		const def = nodeKind(node.kind)!;
		const name = node.label?.trim() || `${def.title} (${id})`;
		const parsed = parseParams(def, node.params);
		if (!parsed.ok) {
			broken.add(id);
			continue; // checkDocument already reported the params
		}
		const inputEdges: PipelineEdge[] = [];
		const inputSchemas: FrameSchema[] = [];
		let upstreamBroken = false;
		for (const port of def.inputs) {
			const edge = entering.get(id)?.find((e) => e.to.port === port.name);
			if (!edge) {
				diagnostics.push({
					severity: 'error',
					code: 'missing-input',
					node: id,
					message: `${name}: input '${port.name}' is not connected`
				});
				upstreamBroken = true;
				continue;
			}
			const from = byId.get(edge.from.node);
			if (!from) {
				upstreamBroken = true;
				continue;
			}
			const portIndex = from.def.outputs.findIndex((p) => p.name === edge.from.port);
			inputEdges.push(edge);
			inputSchemas.push(from.outputSchemas[portIndex]);
		}
		if (upstreamBroken) {
			broken.add(id);
			continue;
		}
		const inferred = def.inferSchema(inputSchemas, parsed.params, ctx);
		if (!inferred.ok) {
			broken.add(id);
			for (const problem of inferred.problems) {
				diagnostics.push({
					severity: 'error',
					code: problem.start !== undefined ? 'expression' : 'bad-param',
					node: id,
					param: problem.param,
					position:
						problem.start !== undefined
							? { start: problem.start, end: problem.end ?? problem.start }
							: undefined,
					message: `${name}: ${problem.message}`
				});
			}
			continue;
		}
		const out = leaving.get(id) ?? [];
		const outputEdges = def.outputs.map((port) => out.filter((e) => e.from.port === port.name));
		const logical: LogicalNode = {
			id,
			name,
			def,
			params: parsed.params,
			inputSchemas,
			outputSchemas: inferred.outputs,
			inputEdges,
			outputEdges
		};
		byId.set(id, logical);
		nodes.push(logical);
	}
	if (broken.size > 0) return { plan: null, diagnostics };
	return { plan: { nodes, byId }, diagnostics };
}
