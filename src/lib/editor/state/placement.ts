// Where new nodes go so they never land on others: a node added after a selected one goes to its
// right (the next free row of the next column, as n8n places it), and copies pasted without a
// point are moved by whole steps until none of them sits on a node already there.

import type { PipelineDocument, PipelineNode } from '../../graph/document';
import { DEFAULT_LAYOUT, type Point } from './layout';

/** How close two nodes' top-left corners may be before they count as stacked. */
const STACKED = { x: 180, y: 60 };

const taken = (doc: PipelineDocument, p: Point) =>
	doc.nodes.some(
		(n) => Math.abs(n.position.x - p.x) < STACKED.x && Math.abs(n.position.y - p.y) < STACKED.y
	);

/** The first free spot one column right of `node`: its row, else the rows below it. */
export function spotRightOf(doc: PipelineDocument, node: PipelineNode): Point {
	const { columnWidth, rowHeight } = DEFAULT_LAYOUT;
	const x = node.position.x + columnWidth;
	for (let row = 0; ; row++) {
		const p = { x, y: node.position.y + row * rowHeight };
		if (!taken(doc, p)) return p;
	}
}

/**
 * The smallest multiple of `step` that moves `nodes` (copies about to be added) clear of every
 * node of `doc`, so a second paste does not land on the first.
 */
export function freeOffset(
	doc: PipelineDocument,
	nodes: readonly PipelineNode[],
	step: Point
): Point {
	for (let k = 1; ; k++) {
		const offset = { x: step.x * k, y: step.y * k };
		const stacked = nodes.some((n) =>
			doc.nodes.some(
				(m) =>
					Math.abs(m.position.x - (n.position.x + offset.x)) < step.x / 2 + 1 &&
					Math.abs(m.position.y - (n.position.y + offset.y)) < step.y / 2 + 1
			)
		);
		if (!stacked) return offset;
	}
}
