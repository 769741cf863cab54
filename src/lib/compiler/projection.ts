// Projection pushdown: a source that reads only the columns its stage is given
// (`readsGivenColumns`, e.g. Parquet, whose other column chunks are never fetched) is given only
// the columns some node downstream reads. Runs between the logical and the physical plan; the
// logical plan (what the editor shows on each card) keeps its declared schemas.
//
// Phases, in order:
//   1. use, in reverse topological order: each output port is read as the union of what its
//      consumers read of it (`usedColumns` of their definitions; a kind without it reads every
//      column), so a fan-out reads what any branch needs;
//   2. narrowing: a source whose output is read in part gets a schema of those columns, in
//      its declared order (at least one column, so batches still carry their rows);
//   3. propagation: every node downstream of a narrowed source infers its schemas again from
//      the narrower inputs;
//   4. check: every column a node reads must still reach it with its declared type. If
//      propagation or the check fails (a kind that misstates its use), the plan runs as
//      declared: pushdown only ever reads less, it never changes an answer.
import type { FrameSchema } from '../runtime/batch/types';
import { unionUse, usedNames, type ColumnUse } from '../nodes/used-columns';
import type { LogicalNode, LogicalPlan } from './logical';
import { NO_DATASETS } from './logical';

/** What each node reads of each of its input ports. */
function inputUses(plan: LogicalPlan): {
	reads: Map<string, ColumnUse[]>;
	outputs: Map<string, ColumnUse[]>;
} {
	const reads = new Map<string, ColumnUse[]>();
	const outputs = new Map<string, ColumnUse[]>();
	for (let i = plan.nodes.length - 1; i >= 0; i--) {
		const node = plan.nodes[i];
		// An output no edge leaves is read by no one.
		const used = node.outputEdges.map((edges) => {
			let use: ColumnUse = new Set<string>();
			for (const edge of edges) {
				const consumer = plan.byId.get(edge.to.node)!;
				const port = consumer.def.inputs.findIndex((p) => p.name === edge.to.port);
				use = unionUse(use, reads.get(consumer.id)![port]);
			}
			return use;
		});
		outputs.set(node.id, used);
		const own = node.def.usedColumns?.(node.inputSchemas, node.params, used);
		reads.set(
			node.id,
			node.inputSchemas.map((_, port) => own?.[port] ?? null)
		);
	}
	return { reads, outputs };
}

function narrowed(schema: FrameSchema, use: ColumnUse): FrameSchema | null {
	const names = usedNames(schema, use);
	if (names.length === schema.names.length) return null;
	if (names.length === 0) names.push(schema.names[0]);
	return { names, types: names.map((n) => schema.types[schema.names.indexOf(n)]) };
}

/** Whether `schema` holds every column `use` names in `declared`, with its declared type. */
function carries(schema: FrameSchema, declared: FrameSchema, use: ColumnUse): boolean {
	return usedNames(declared, use).every((name) => {
		const at = schema.names.indexOf(name);
		return at >= 0 && schema.types[at] === declared.types[declared.names.indexOf(name)];
	});
}

/** The plan with sources reading only the columns used downstream; `plan` itself if none can. */
export function pushProjection(plan: LogicalPlan): LogicalPlan {
	// 1. Use.
	const { reads, outputs } = inputUses(plan);

	// 2. Narrowing.
	const changed = new Map<string, LogicalNode>();
	for (const node of plan.nodes) {
		if (node.inputSchemas.length > 0 || !node.def.readsGivenColumns) continue;
		const schema = narrowed(node.outputSchemas[0], outputs.get(node.id)![0]);
		if (schema) changed.set(node.id, { ...node, outputSchemas: [schema] });
	}
	if (changed.size === 0) return plan;

	// 3. Propagation.
	const nodes = plan.nodes.map((node) => {
		const own = changed.get(node.id);
		if (own) return own;
		if (!node.inputEdges.some((e) => changed.has(e.from.node))) return node;
		const inputSchemas = node.inputEdges.map((edge, port) => {
			const up = changed.get(edge.from.node);
			if (!up) return node.inputSchemas[port];
			return up.outputSchemas[up.def.outputs.findIndex((p) => p.name === edge.from.port)];
		});
		const inferred = node.def.inferSchema(inputSchemas, node.params, NO_DATASETS);
		if (!inferred.ok) return null;
		const next: LogicalNode = { ...node, inputSchemas, outputSchemas: inferred.outputs };
		changed.set(node.id, next);
		return next;
	});

	// 4. Check.
	const ok = nodes.every(
		(node, i) =>
			node !== null &&
			node.inputSchemas.every((schema, port) =>
				carries(schema, plan.nodes[i].inputSchemas[port], reads.get(node.id)![port])
			)
	);
	if (!ok) return plan;
	const list = nodes as LogicalNode[];
	return { nodes: list, byId: new Map(list.map((n) => [n.id, n])) };
}
