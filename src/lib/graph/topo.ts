// Topological order of a pipeline's nodes (Kahn), with the nodes it cannot order grouped into the
// cycles that hold them. Phases follow observable runtime's computeNow: reachability, in-degree,
// Kahn order; whatever is left is a cycle (or waits on one), reported per node.

import type { PipelineDocument } from './document';

export interface TopologicalOrder {
	/** Every node that can run, each after all the nodes that feed it; document order breaks ties. */
	order: string[];
	/** Each cycle's nodes (a strongly connected group), starting with one loop in edge order. */
	cyclic: string[][];
	/** Nodes on no cycle that cannot run because a cycle feeds them, in document order. */
	blocked: string[];
}

/** One strongly connected group: a shortest loop through it in edge order, then its other nodes. */
export interface Cycle {
	loop: string[];
	others: string[];
}

/** The order with each cycle's loop spelt out and, per blocked node, the cycle that blocks it. */
export interface OrderAnalysis {
	order: string[];
	cycles: Cycle[];
	/** Nodes downstream of a cycle, in document order, with the index of the nearest such cycle. */
	blocked: { node: string; cycle: number }[];
}

/**
 * Orders the nodes so each comes after its inputs. Edges naming a missing node are ignored, and a
 * repeated node id counts once (check.ts reports both). Runs in O(nodes + edges) and never throws.
 */
export function topologicalOrder(document: PipelineDocument): TopologicalOrder {
	const { order, cycles, blocked } = analyseOrder(document);
	return {
		order,
		cyclic: cycles.map((cycle) => [...cycle.loop, ...cycle.others]),
		blocked: blocked.map((item) => item.node)
	};
}

/** `topologicalOrder` with the detail diagnostics need (which loop, which cycle blocks whom). */
export function analyseOrder(document: PipelineDocument): OrderAnalysis {
	// Phase 1 — reachability. computeNow walks out from the variables that changed; at load every
	// node has "changed", so every node is reached and this phase reduces to indexing the graph:
	// a dense index per node id (first occurrence wins) and each node's successors.
	const ids: string[] = [];
	const indexOf = new Map<string, number>();
	for (const node of document.nodes) {
		if (indexOf.has(node.id)) continue;
		indexOf.set(node.id, ids.length);
		ids.push(node.id);
	}
	const successors: number[][] = ids.map(() => []);
	for (const edge of document.edges) {
		const from = indexOf.get(edge.from.node);
		const to = indexOf.get(edge.to.node);
		if (from !== undefined && to !== undefined) successors[from].push(to);
	}

	// Phase 2 — in-degree: how many edges still feed each node (two edges between the same pair
	// count twice, and Kahn removes both).
	const inDegree = new Int32Array(ids.length);
	for (const targets of successors) for (const target of targets) inDegree[target]++;

	// Phase 3 — Kahn: run every node nothing feeds, then release its successors; a FIFO seeded in
	// document order keeps the order stable from one load to the next.
	const queue: number[] = [];
	for (let node = 0; node < ids.length; node++) if (inDegree[node] === 0) queue.push(node);
	const ordered = new Uint8Array(ids.length);
	for (let head = 0; head < queue.length; head++) {
		const node = queue[head];
		ordered[node] = 1;
		for (const target of successors[node]) if (--inDegree[target] === 0) queue.push(target);
	}
	const order = queue.map((node) => ids[node]);
	if (order.length === ids.length) return { order, cycles: [], blocked: [] };

	// Phase 4 — leftovers: every node still fed is on a cycle or downstream of one. Group them
	// into strongly connected components; a component with two nodes or a self-edge is a cycle.
	const left = (node: number): boolean => ordered[node] === 0;
	const found: { start: number; loop: number[]; others: number[] }[] = [];
	for (const component of stronglyConnected(successors, left)) {
		const start = Math.min(...component);
		if (component.length === 1 && !successors[start].includes(start)) continue;
		const loop = shortestLoop(start, successors, new Set(component));
		const onLoop = new Set(loop);
		const others = component.filter((node) => !onLoop.has(node)).sort((a, b) => a - b);
		found.push({ start, loop, others });
	}
	found.sort((a, b) => a.start - b.start);

	// Each leftover node off the cycles is blocked by the cycle whose breadth-first flood reaches
	// it first (floods start together from every cycle, so "first" means nearest).
	const blockedBy = new Int32Array(ids.length).fill(-1);
	const flood: number[] = [];
	found.forEach(({ loop, others }, cycle) => {
		for (const node of [...loop, ...others]) {
			blockedBy[node] = cycle;
			flood.push(node);
		}
	});
	const onCycle = new Uint8Array(ids.length);
	for (const node of flood) onCycle[node] = 1;
	for (let head = 0; head < flood.length; head++) {
		const node = flood[head];
		for (const target of successors[node]) {
			if (blockedBy[target] !== -1) continue;
			blockedBy[target] = blockedBy[node];
			flood.push(target);
		}
	}
	const blocked: { node: string; cycle: number }[] = [];
	for (let node = 0; node < ids.length; node++) {
		if (left(node) && onCycle[node] === 0)
			blocked.push({ node: ids[node], cycle: blockedBy[node] });
	}
	const named = (nodes: number[]): string[] => nodes.map((node) => ids[node]);
	const cycles = found.map(({ loop, others }) => ({ loop: named(loop), others: named(others) }));
	return { order, cycles, blocked };
}

/** Tarjan's strongly connected components over the nodes `include` accepts, without recursion. */
function stronglyConnected(
	successors: readonly number[][],
	include: (node: number) => boolean
): number[][] {
	const count = successors.length;
	const visitIndex = new Int32Array(count).fill(-1);
	const lowLink = new Int32Array(count);
	const onStack = new Uint8Array(count);
	const stack: number[] = [];
	const components: number[][] = [];
	let visited = 0;
	// The explicit call stack: a node and how many of its successors it has looked at.
	const callNode: number[] = [];
	const callNext: number[] = [];
	const enter = (node: number): void => {
		visitIndex[node] = lowLink[node] = visited++;
		stack.push(node);
		onStack[node] = 1;
		callNode.push(node);
		callNext.push(0);
	};
	for (let root = 0; root < count; root++) {
		if (!include(root) || visitIndex[root] !== -1) continue;
		enter(root);
		while (callNode.length > 0) {
			const top = callNode.length - 1;
			const node = callNode[top];
			const targets = successors[node];
			if (callNext[top] < targets.length) {
				const target = targets[callNext[top]++];
				if (!include(target)) continue;
				if (visitIndex[target] === -1) enter(target);
				else if (onStack[target]) lowLink[node] = Math.min(lowLink[node], visitIndex[target]);
				continue;
			}
			callNode.pop();
			callNext.pop();
			if (callNode.length > 0) {
				const parent = callNode[callNode.length - 1];
				lowLink[parent] = Math.min(lowLink[parent], lowLink[node]);
			}
			if (lowLink[node] !== visitIndex[node]) continue;
			// `node` is the root of a component: everything above it on the stack belongs to it.
			const component: number[] = [];
			let member: number;
			do {
				member = stack.pop()!;
				onStack[member] = 0;
				component.push(member);
			} while (member !== node);
			components.push(component);
		}
	}
	return components;
}

/** The shortest loop from `start` back to itself inside `members` (breadth-first), in edge order. */
function shortestLoop(
	start: number,
	successors: readonly number[][],
	members: ReadonlySet<number>
): number[] {
	const parent = new Map<number, number>();
	const frontier = [start];
	for (let head = 0; head < frontier.length; head++) {
		const node = frontier[head];
		for (const target of successors[node]) {
			if (target === start) {
				const loop = [node];
				while (loop[loop.length - 1] !== start) loop.push(parent.get(loop[loop.length - 1])!);
				return loop.reverse();
			}
			if (!members.has(target) || parent.has(target)) continue;
			parent.set(target, node);
			frontier.push(target);
		}
	}
	return [start]; // unreachable for a strongly connected group; keeps the type total
}
