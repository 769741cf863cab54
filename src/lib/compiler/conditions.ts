// Condition pushdown: a source that can leave out rows a filter would drop (`withConditions`,
// e.g. Parquet skipping row groups by their min/max statistics) is given the conditions of the
// filters it feeds. Runs on the logical plan after projection pushdown, before the physical plan.
//
// From each such source, the walk follows the only edge leaving each node while that node has
// one input and passes rows on (`carriesRows`: a filter, a sort, a select, a derive, a cast).
// Each filter met adds its conditions (`rowConditions`) on the columns that reach it unchanged
// from the source, under the source's names. A fan-out, a join, a limit, a top-k or a
// group-by ends the walk: rows left out there could change what another branch or the
// node itself sees. The filters still run on every row read, so this never changes an answer.
import type { ColumnCondition } from '../nodes/row-conditions';
import { renamed } from '../nodes/row-conditions';
import type { LogicalNode, LogicalPlan } from './logical';

/** The conditions every row that matters downstream of `source` satisfies. */
export function conditionsBelow(plan: LogicalPlan, source: LogicalNode): ColumnCondition[] {
	const out: ColumnCondition[] = [];
	// Column name at the current node -> the source's name for it.
	let names = new Map(source.outputSchemas[0]?.names.map((n) => [n, n]) ?? []);
	let node = source;
	for (;;) {
		const edges = node.outputEdges.flat();
		if (edges.length !== 1) break;
		const next = plan.byId.get(edges[0].to.node);
		if (!next || next.inputEdges.length !== 1) break;
		for (const c of next.def.rowConditions?.(next.inputSchemas, next.params) ?? []) {
			const column = names.get(c.column);
			if (column !== undefined) out.push(renamed(c, column));
		}
		const carried = next.def.carriesRows?.(next.inputSchemas, next.params);
		if (!carried) break;
		const before = names;
		names = new Map();
		for (const [to, from] of carried) {
			const column = before.get(from);
			if (column !== undefined) names.set(to, column);
		}
		node = next;
	}
	return out;
}

/** The plan with each source that can skip rows given the conditions below it. */
export function pushConditions(plan: LogicalPlan): LogicalPlan {
	let changed = false;
	const nodes = plan.nodes.map((node) => {
		const narrow = node.def.withConditions;
		if (!narrow || node.inputSchemas.length > 0) return node;
		const conditions = conditionsBelow(plan, node);
		if (conditions.length === 0) return node;
		changed = true;
		return { ...node, params: narrow(node.params, conditions), conditions };
	});
	if (!changed) return plan;
	return { nodes, byId: new Map(nodes.map((n) => [n.id, n])) };
}
