// Test fixtures for source and sink specs: small pipeline documents and a run helper.
import { tableFromIPC, type Table } from 'apache-arrow';
import { expect } from 'vitest';
import { startPipeline, type PipelineOutcome } from '../compiler/execute';
import { line as lineOf, type NodeSpec } from '../graph/build';
import type { PipelineDocument } from '../graph/document';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import type { CollectResult } from './collect';
import type { InferContext } from './types';

export { pipeline, type NodeSpec } from '../graph/build';

/** A straight line of nodes, each wired to the next. */
export const line = (...nodes: NodeSpec[]): PipelineDocument => lineOf(nodes);

export interface RunOptions {
	workers?: number;
	batchRows?: number;
	budgetBytes?: number;
	ctx?: InferContext;
}

/** Runs `doc` to its end and returns the outcome. */
export async function run(
	doc: PipelineDocument,
	pool: WorkerPool,
	options: RunOptions = {}
): Promise<PipelineOutcome> {
	const { workers = 1, batchRows = 4096, budgetBytes = 64 << 20, ctx } = options;
	return startPipeline(doc, pool, { workers, batchRows, budgetBytes }, ctx).outcome;
}

/** Runs `doc`, expects it to finish, and returns the sink results by node id. */
export async function results(
	doc: PipelineDocument,
	pool: WorkerPool,
	options: RunOptions = {}
): Promise<Map<string, unknown>> {
	const outcome = await run(doc, pool, options);
	if (outcome.status !== 'done') expect.fail(`run ended ${JSON.stringify(outcome)}`);
	return outcome.results;
}

/** The Arrow table a collect sink returned. */
export function collected(result: unknown): Table {
	const r = result as CollectResult;
	expect(r.kind).toBe('collect');
	const table = tableFromIPC(r.ipc);
	expect(table.numRows).toBe(r.rows);
	return table;
}

/** Column `name` of `table` as plain JS values (timestamps and dates as ms numbers). */
export function columnValues(table: Table, name: PropertyKey): unknown[] {
	const column = table.getChild(String(name));
	if (!column) expect.fail(`no column '${String(name)}' in ${table.schema.names.join(', ')}`);
	const out: unknown[] = [];
	for (let i = 0; i < column.length; i++) {
		const v: unknown = column.get(i);
		out.push(typeof v === 'bigint' ? Number(v) : (v ?? null));
	}
	return out;
}
