// Layered left-to-right layout: each node goes in the column of its topological depth (the
// longest path of edges from a source), sources at the left; within a column nodes are ordered by
// the mean row of the nodes feeding them (barycentre), then by where they were. Columns are
// centred on the tallest one. Nodes on or after a cycle get one column after the rest. Nodes with
// no edge go in rows below, as wide as the rest (a square grid when there are many).

import type { PipelineDocument } from '../../graph/document';
import { topologicalOrder } from '../../graph/topo';

export interface LayoutOptions {
	/** Distance between columns' left edges; wider than any node (default 280). */
	columnWidth?: number;
	/** Distance between rows' top edges; taller than any node (default 140). */
	rowHeight?: number;
}

export const DEFAULT_LAYOUT: Required<LayoutOptions> = { columnWidth: 280, rowHeight: 140 };

export type Point = { x: number; y: number };

/**
 * A position for every node (first of each id), keeping the top-left of the current layout so
 * the graph does not jump. Two nodes never share a column and row.
 */
export function layeredLayout(
	doc: PipelineDocument,
	options: LayoutOptions = {}
): Map<string, Point> {
	const { columnWidth, rowHeight } = { ...DEFAULT_LAYOUT, ...options };
	const positions = new Map<string, Point>();
	const nodes = new Map<string, Point>();
	for (const node of doc.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node.position);
	if (nodes.size === 0) return positions;

	const feeders = new Map<string, string[]>();
	for (const edge of doc.edges) {
		if (!nodes.has(edge.from.node) || !nodes.has(edge.to.node)) continue;
		const list = feeders.get(edge.to.node) ?? [];
		list.push(edge.from.node);
		feeders.set(edge.to.node, list);
	}
	const { order, cyclic, blocked } = topologicalOrder(doc);
	// Nodes with no edge at all are not in a pipeline yet: a grid below the rest, not a column.
	const wired = new Set<string>();
	for (const [to, from] of feeders) for (const id of [to, ...from]) wired.add(id);
	const loose = [...nodes.keys()].filter((id) => !wired.has(id));
	const depth = new Map<string, number>();
	let deepest = 0;
	for (const id of order) {
		if (!wired.has(id)) continue;
		let level = 0;
		for (const from of feeders.get(id) ?? []) level = Math.max(level, (depth.get(from) ?? 0) + 1);
		depth.set(id, level);
		deepest = Math.max(deepest, level);
	}
	const unordered = [...cyclic.flat(), ...blocked].filter((id) => wired.has(id));
	for (const id of unordered) depth.set(id, deepest + 1);

	const columns: string[][] = [];
	for (const [id, level] of depth) (columns[level] ??= []).push(id);
	const tallest = Math.max(0, ...Array.from(columns, (column) => column?.length ?? 0));
	// Each node's row, counted from the top of the tallest column (shorter columns are centred).
	const row = new Map<string, number>();
	const compare = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
	for (const column of columns) {
		if (column === undefined) continue;
		const barycentre = (id: string): number => {
			const rows = (feeders.get(id) ?? []).flatMap((from) => row.get(from) ?? []);
			return rows.length === 0 ? Infinity : rows.reduce((sum, r) => sum + r, 0) / rows.length;
		};
		const keyed = column.map((id) => ({ id, centre: barycentre(id), y: nodes.get(id)!.y }));
		keyed.sort((a, b) => compare(a.centre, b.centre) || compare(a.y, b.y));
		const offset = (tallest - column.length) / 2;
		keyed.forEach(({ id }, index) => row.set(id, offset + index));
	}

	const left = Math.min(...[...nodes.values()].map((point) => point.x));
	const top = Math.min(...[...nodes.values()].map((point) => point.y));
	for (const [id, level] of depth) {
		positions.set(id, { x: left + level * columnWidth, y: top + row.get(id)! * rowHeight });
	}
	// The loose nodes in rows, in their current reading order, as wide as the pipeline above
	// (or a square grid when that is wider).
	const perRow = Math.max(columns.length, Math.ceil(Math.sqrt(loose.length)));
	const readingOrder = (a: string, b: string) =>
		compare(nodes.get(a)!.y, nodes.get(b)!.y) || compare(nodes.get(a)!.x, nodes.get(b)!.x);
	loose.sort(readingOrder).forEach((id, index) => {
		const x = left + (index % perRow) * columnWidth;
		const y = top + (tallest + Math.floor(index / perRow)) * rowHeight;
		positions.set(id, { x, y });
	});
	return positions;
}
