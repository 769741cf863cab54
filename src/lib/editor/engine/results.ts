// What the editor shows for one node: its result from a preview or a full run, or why there is
// none. Plain data, replaced never mutated, so Svelte state can hold it raw.
import type { Diagnostic } from '../../graph/diagnostics';
import type { TableResult } from '../../nodes/table';
import type { SourceReport } from '../../runtime/source-report';

export type NodeResult =
	| {
			status: 'done';
			identity: string;
			/**
			 * A TableResult for a transform or source (the first rows and the total), else the
			 * sink's own result (TableResult, StatisticsResult, CollectResult, ...): see `kind`.
			 */
			result: unknown;
			elapsedMs: number;
			/** 'preview': over the first rows of each source; 'run': over the whole data. */
			from: 'preview' | 'run';
			/** A source node's report of rows skipped, nulled or cut, columns dropped (or null). */
			report?: SourceReport | null;
	  }
	| {
			status: 'error';
			identity: string;
			message: string;
			/** The node the error belongs to (may be upstream of the one asked about). */
			node?: string;
			diagnostics?: Diagnostic[];
	  }
	/** A newer preview replaced this one, or it was cancelled, before it finished. */
	| { status: 'superseded' | 'cancelled'; identity: string };

/** Rows a result stands for: a table's total, the rows a statistics or collect sink saw. */
export function resultRows(result: unknown): number | null {
	if (typeof result !== 'object' || result === null) return null;
	if ('total' in result && typeof result.total === 'number') return result.total;
	if ('rows' in result && typeof result.rows === 'number') return result.rows;
	return null;
}

/** The result as a table, when it is one. */
export function tableResult(result: unknown): TableResult | null {
	return typeof result === 'object' && result !== null && (result as TableResult).kind === 'table'
		? (result as TableResult)
		: null;
}
