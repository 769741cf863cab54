// What an export reads: a schema and its rows as batches of raw columns (BatchView), produced
// one at a time so a large result is never turned into one giant value.
//
// `exportInputOf` accepts a sink's result as the engine returns it:
// - a collect sink's CollectResult (the whole result as Arrow IPC stream bytes), read batch by
//   batch with apache-arrow's reader (zero copy over the IPC bytes where the types allow);
// - a table sink's TableResult (its kept rows: the first `limit`, not the whole result);
// - or an ExportInput as it is (e.g. views of batches straight from the engine).
import { RecordBatchReader } from 'apache-arrow';
import type { BatchView } from '../runtime/contracts';
import type { FrameSchema } from '../runtime/batch/types';
import { arrowBatchView, arrowFrameSchema, planArrowColumns } from '../nodes/arrow/arrow-columns';
import { BatchBuilder } from '../nodes/formats/column-build';
import type { CollectResult } from '../nodes/collect';
import type { TableResult } from '../nodes/table';

export interface ExportInput {
	schema: FrameSchema;
	/** The rows, batch by batch; may be iterated once. */
	batches: Iterable<BatchView> | AsyncIterable<BatchView>;
}

/** Rows per batch when a table result's rows are re-batched. */
export const TABLE_BATCH_ROWS = 16_384;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function* collectBatches(result: CollectResult): Generator<BatchView> {
	const reader = RecordBatchReader.from(result.ipc);
	reader.open();
	const plans = planArrowColumns(reader.schema, 'the result');
	for (const batch of reader) yield arrowBatchView(batch, plans);
}

function* tableBatches(result: TableResult): Generator<BatchView> {
	const { schema, rows } = result;
	for (let at = 0; at < rows.length; at += TABLE_BATCH_ROWS) {
		const n = Math.min(TABLE_BATCH_ROWS, rows.length - at);
		const builder = new BatchBuilder(schema, n);
		for (let r = at; r < at + n; r++)
			builder.columns.forEach((column, c) => {
				const refusal = column.push(rows[r][c]);
				if (refusal !== null)
					throw new TypeError(`row ${r}, column '${schema.names[c]}': ${refusal}`);
			});
		yield builder.take();
	}
}

/** The export input of a sink result; TypeError when the result is not one that has rows. */
export function exportInputOf(result: unknown): ExportInput {
	if (isObject(result) && 'schema' in result && 'batches' in result)
		return result as unknown as ExportInput;
	if (isObject(result) && result.kind === 'collect' && result.ipc instanceof Uint8Array) {
		const collect = result as unknown as CollectResult;
		const reader = RecordBatchReader.from(collect.ipc);
		reader.open();
		return {
			schema: arrowFrameSchema(reader.schema, 'the result'),
			batches: collectBatches(collect)
		};
	}
	if (isObject(result) && result.kind === 'table' && Array.isArray(result.rows)) {
		const table = result as unknown as TableResult;
		return { schema: table.schema, batches: tableBatches(table) };
	}
	throw new TypeError(
		'this result has no rows to export: export the result of a table or collect sink'
	);
}
