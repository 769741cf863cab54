// A failed stage, told as the node that failed: the engine reports a stage by name (a fused
// chain's name joins its nodes'; a dead worker lists the stages it hosted), the compiled plan
// knows which nodes each stage runs, and a fused chain prefixes a step's error with its node's
// name. Used by previews (whose documents hold hidden nodes, mapped back by `originOf`) and by
// full runs.
import type { CompiledPlan } from '../../compiler';
import type { PipelineDocument } from '../../graph/document';
import { nodeKind } from '../../nodes/catalogue';
import type { StageFailure } from '../../runtime/scheduler/spec';

/** The name the compiler gives a node: its label, or "Title (id)". */
export function displayName(doc: PipelineDocument, id: string): string {
	const node = doc.nodes.find((n) => n.id === id);
	if (!node) return id;
	return node.label?.trim() || `${nodeKind(node.kind)?.title ?? node.kind} (${id})`;
}

export interface NodeFailure {
	/** The node that failed, when the stage says which. */
	node: string | null;
	/** Every node of the failing stage(s), in plan order. */
	nodes: string[];
	/** The failing node's name as the user sees it (its label, or "Title (id)"). */
	name: string;
	/** What went wrong, starting with the node's name. */
	message: string;
	/** The batch being processed, when there was one. */
	seq: number | null;
}

export function describeFailure(
	plan: CompiledPlan,
	failure: StageFailure,
	nameOf: (nodeId: string) => string | undefined,
	originOf: (nodeId: string) => string = (id) => id
): NodeFailure {
	// Stages by exact name first; a dead worker's failure names all its stages, comma separated.
	let stages = plan.stages.flatMap((s, i) => (s.name === failure.stage ? [i] : []));
	if (stages.length === 0) {
		const parts = new Set(failure.stage.split(', '));
		stages = plan.stages.flatMap((s, i) => (parts.has(s.name) ? [i] : []));
	}
	const nodes: string[] = [];
	for (const i of stages) {
		for (const id of plan.origins[i].nodes) {
			const origin = originOf(id);
			if (!nodes.includes(origin)) nodes.push(origin);
		}
	}
	// A fused chain names the failing step at the start of the message; else the stage's last
	// node failed (a chain's terminal, or the stage's only node).
	const named = nodes.find((id) => {
		const name = nameOf(id);
		return name !== undefined && failure.message.startsWith(`${name}: `);
	});
	const node = named ?? (stages.length === 1 ? (nodes[nodes.length - 1] ?? null) : null);
	const name = (node !== null ? nameOf(node) : undefined) ?? failure.stage;
	const message = failure.message.startsWith(`${name}: `)
		? failure.message
		: `${name}: ${failure.message}`;
	return { node, nodes, name, message, seq: failure.seq };
}
