// Figures the run bar shows: rows so far against the rows the sources will make (when every
// source says how many: a generator's or the taxi sample's `rows`), rows per second, elapsed.

import type { PipelineDocument } from '../../graph/document';
import { nodeKind } from '../../nodes/catalogue';

/** Rows all sources of `doc` will produce, or null when a source cannot say (a file). */
export function expectedSourceRows(doc: PipelineDocument): number | null {
	let total = 0;
	for (const node of doc.nodes) {
		const def = nodeKind(node.kind);
		if (!def || def.inputs.length > 0) continue;
		const params = { ...(def.defaults as Record<string, unknown>), ...node.params };
		const counted =
			node.kind === 'generator' || (node.kind === 'sample-dataset' && params.name === 'taxi');
		if (!counted || typeof params.rows !== 'number') return null;
		total += params.rows;
	}
	return total;
}

const INTEGER = new Intl.NumberFormat('en-US');
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(n: number): string {
	return INTEGER.format(Math.round(n));
}

export function formatRate(rowsPerSecond: number): string {
	return `${COMPACT.format(rowsPerSecond)} rows/s`;
}

export function formatElapsed(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)} min ${s % 60} s`;
}
