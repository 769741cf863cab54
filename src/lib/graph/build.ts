// Small documents from code (tests, benches, the CLI's fixtures): nodes laid out in a row and
// wired 'out' → 'in'.
import type { PipelineDocument } from './document';

export interface NodeSpec {
	id: string;
	kind: string;
	params?: Record<string, unknown>;
}

/** A document from nodes and [from, to] wires between their 'out' and 'in' ports. */
export function pipeline(
	nodes: readonly NodeSpec[],
	wires: readonly [string, string][],
	name = 'test pipeline'
): PipelineDocument {
	return {
		version: 1,
		id: 'test',
		name,
		nodes: nodes.map((n, i) => ({
			id: n.id,
			kind: n.kind,
			params: n.params ?? {},
			position: { x: i * 200, y: 0 }
		})),
		edges: wires.map(([from, to], i) => ({
			id: `e${i}`,
			from: { node: from, port: 'out' },
			to: { node: to, port: 'in' }
		}))
	};
}

/** A straight line of nodes, each wired to the next. */
export function line(nodes: readonly NodeSpec[], name?: string): PipelineDocument {
	return pipeline(
		nodes,
		nodes.slice(1).map((n, i) => [nodes[i].id, n.id]),
		name
	);
}
