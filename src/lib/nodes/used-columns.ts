// What a node kind reads of its inputs, for the compiler's projection pushdown
// (compiler/projection.ts): each kind that finds its input columns by name says which ones it
// reads, given which of its output columns the nodes downstream read. A kind that says nothing
// reads every column (a table shows them all; a sample hashes every value of a row).
import type { FrameSchema } from '../runtime/batch/types';

/** Columns read per port; null: every column (or not known). */
export type ColumnUse = ReadonlySet<string> | null;

/** The use of a node that passes its input's columns through by name and reads `own` itself. */
export function passThrough(used: ColumnUse, own: Iterable<string>): ColumnUse {
	if (used === null) return null;
	const out = new Set(used);
	for (const name of own) out.add(name);
	return out;
}

/** The union of two uses (a node's output read by several consumers). */
export function unionUse(a: ColumnUse, b: ColumnUse): ColumnUse {
	if (a === null || b === null) return null;
	const out = new Set(a);
	for (const name of b) out.add(name);
	return out;
}

/** The input's columns a use keeps, in the input's order (every one for null). */
export function usedNames(input: FrameSchema, used: ColumnUse): string[] {
	return used === null ? [...input.names] : input.names.filter((n) => used.has(n));
}
