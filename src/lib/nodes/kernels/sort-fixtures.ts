// Test fixtures for the sort, top-k and join specs: pipeline documents built from short lists,
// generator column sets, and plain row-at-a-time reference implementations over table cells.
// Pure data and functions (no compiler, no threads), so every spec can share them.
import type { PipelineDocument } from '../../graph/document';
import type { Cell } from '../table';

/** [id, kind, params] of a node; `label` given as params.label is moved to the node. */
export type NodeSpec = [id: string, kind: string, params: Record<string, unknown>];
/** [from node, to node, to port (default 'in')]. */
export type EdgeSpec = [from: string, to: string, port?: string];

export function pipeline(nodes: NodeSpec[], edges: EdgeSpec[]): PipelineDocument {
	return {
		version: 1,
		id: 'spec',
		name: 'spec pipeline',
		nodes: nodes.map(([id, kind, params], i) => ({
			id,
			kind,
			params,
			position: { x: 200 * i, y: 0 }
		})),
		edges: edges.map(([from, to, port], i) => ({
			id: `e${i}`,
			from: { node: from, port: 'out' },
			to: { node: to, port: port ?? 'in' }
		}))
	};
}

/** Generator columns of every generated type, with repeats and nulls. */
export const MIXED_COLUMNS = [
	{ name: 'id', type: 'int' },
	{ name: 'key', type: 'int', cardinality: 40, nulls: 0.1 },
	{ name: 'value', type: 'float', min: -1, max: 1, nulls: 0.05 },
	{ name: 'name', type: 'string', cardinality: 25, nulls: 0.1 },
	{ name: 'flag', type: 'bool', nulls: 0.1 },
	{ name: 'ts', type: 'timestamp', nulls: 0.1 }
];

export interface RefKey {
	index: number;
	descending?: boolean;
	nulls?: 'first' | 'last';
}

/** Code-point order (what comparing UTF-8 bytes gives), unlike `<` on UTF-16 strings. */
function compareCodePoints(a: string, b: string): number {
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const x = a.codePointAt(i)!;
		const y = b.codePointAt(j)!;
		if (x !== y) return x - y;
		i += x > 0xffff ? 2 : 1;
		j += y > 0xffff ? 2 : 1;
	}
	return a.length - i - (b.length - j);
}

function compareCells(a: Cell, b: Cell): number {
	if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
	if (typeof a === 'number' && typeof b === 'number') {
		if (Number.isNaN(a) || Number.isNaN(b))
			return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
		return a < b ? -1 : a > b ? 1 : 0;
	}
	return Number(a) - Number(b);
}

/** A stable reference sort of table rows (Array.prototype.sort is stable). */
export function referenceSort(rows: Cell[][], keys: RefKey[]): Cell[][] {
	return [...rows].sort((r, s) => {
		for (const key of keys) {
			const a = r[key.index];
			const b = s[key.index];
			const nullSide = key.nulls === 'first' ? -1 : 1;
			if (a === null || b === null) {
				if (a === b) continue;
				return a === null ? nullSide : -nullSide;
			}
			const d = compareCells(a, b) * (key.descending ? -1 : 1);
			if (d !== 0) return d;
		}
		return 0;
	});
}

/**
 * A nested-loop reference join: for each left row in order, each right row with equal keys in
 * order (a null key matches nothing); 'left' keeps unmatched left rows with nulls.
 */
export function referenceJoin(
	left: Cell[][],
	right: Cell[][],
	on: [leftIndex: number, rightIndex: number][],
	type: 'inner' | 'left',
	rightColumns: number
): Cell[][] {
	const keep = [...Array(rightColumns).keys()].filter((c) => !on.some(([, r]) => r === c));
	const out: Cell[][] = [];
	for (const l of left) {
		let matched = false;
		for (const r of right) {
			if (on.every(([a, b]) => l[a] !== null && r[b] !== null && l[a] === r[b])) {
				out.push([...l, ...keep.map((c) => r[c])]);
				matched = true;
			}
		}
		if (!matched && type === 'left') out.push([...l, ...keep.map(() => null)]);
	}
	return out;
}

/** Rows in one canonical order (by their JSON), to compare multisets whose order is not defined. */
export function canonicalOrder(rows: Cell[][]): Cell[][] {
	const keyed = rows.map((r) => [JSON.stringify(r), r] as const);
	keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	return keyed.map(([, r]) => r);
}

/**
 * Where two row lists first differ, described in one line, or null when they are equal.
 * (A readable failure for tables of thousands of rows, where a full diff would be huge.)
 */
export function firstDifference(actual: Cell[][], expected: Cell[][]): string | null {
	const n = Math.max(actual.length, expected.length);
	for (let i = 0; i < n; i++) {
		const a = JSON.stringify(actual[i]);
		const e = JSON.stringify(expected[i]);
		if (a !== e)
			return `row ${i} of ${actual.length} (expected ${expected.length}): got ${a}, expected ${e}`;
	}
	return null;
}
