// A pipeline in one line for the library list: its node kinds in flow order,
// "csv → filter → table", shortened in the middle when long.
import type { PipelineDocument } from '../graph/document';
import { topologicalOrder } from '../graph/topo';

/** Kinds listed before the middle is shortened to "…". */
export const SUMMARY_MAX_STEPS = 6;

/** 'csv-source' → 'csv', 'table-sink' → 'table'; other kinds as they are. */
function shortKind(kind: string): string {
	return kind.replace(/-(source|sink)$/, '');
}

/**
 * The kinds along the flow: sources first, each node after what feeds it; a kind repeated by
 * consecutive nodes is named once. Nodes on a cycle come last. Empty pipeline: "empty".
 */
export function summarise(doc: PipelineDocument): string {
	if (doc.nodes.length === 0) return 'empty';
	const byId = new Map(doc.nodes.map((node) => [node.id, node]));
	const { order, cyclic, blocked } = topologicalOrder(doc);
	const kinds: string[] = [];
	for (const id of [...order, ...cyclic.flat(), ...blocked]) {
		const kind = byId.get(id)?.kind;
		if (kind === undefined) continue;
		const short = shortKind(kind);
		if (kinds.at(-1) !== short) kinds.push(short);
	}
	if (kinds.length <= SUMMARY_MAX_STEPS) return kinds.join(' → ');
	const head = kinds.slice(0, SUMMARY_MAX_STEPS - 2);
	return [...head, '…', kinds.at(-1)].join(' → ');
}
