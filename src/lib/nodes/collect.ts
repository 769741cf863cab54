// Sink: the whole result as one Arrow table, sent to the main thread as Arrow IPC stream bytes.
//
// The input lives in pool blocks that are released after each consume, so every batch's live
// rows are gathered into a frame in a fresh, plain ArrayBuffer (one allocation per batch, sized
// exactly) and wrapped as an apache-arrow RecordBatch over those bytes (readRecordBatch, zero
// copy from there). At the end `tableToIPC` serialises them all. Memory: the result is held
// whole in the sink's worker, then copied once more into the IPC bytes.
import { RecordBatch, Table, tableToIPC } from 'apache-arrow';
import * as v from 'valibot';
import { frameBytes } from '../runtime/batch/layout';
import { readRecordBatch } from '../runtime/batch/record-batch';
import { toArrowSchema, type FrameSchema } from '../runtime/batch/types';
import { FrameWriter } from '../runtime/batch/writer';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { gatherInto, liveUtf8Bytes } from './kernels/gather';
import type { NodeDefinition } from './types';

const params = v.object({});
type Params = v.InferOutput<typeof params>;

export interface CollectResult {
	kind: 'collect';
	/** Arrow IPC stream format: read with apache-arrow's `tableFromIPC(ipc)`. */
	ipc: Uint8Array;
	rows: number;
}

/** The live rows of a batch as a RecordBatch over a fresh, non-shared buffer. */
function copyBatch(
	schema: FrameSchema,
	writer: FrameWriter,
	batch: Parameters<typeof gatherInto>[0]
): RecordBatch {
	const utf8 = liveUtf8Bytes(batch);
	const bytes = frameBytes(
		schema,
		batch.count,
		utf8,
		schema.types.map(() => true)
	);
	const buffer = new ArrayBuffer(bytes);
	if (!writer.begin(buffer, 0, bytes, batch.count, utf8))
		throw new Error(`a ${batch.count}-row batch did not fit its ${bytes}-byte copy`);
	gatherInto(batch, writer);
	const length = writer.finish(batch.count);
	return readRecordBatch(schema, buffer, 0, length, { utf8: 'shared' });
}

function collectKernel({ inputSchemas }: KernelSetup): Kernel {
	const schema = inputSchemas[0];
	const writer = new FrameWriter(schema);
	let batches: RecordBatch[] = [];
	let rows = 0;
	return {
		consume(input) {
			if (input.count === 0) return 'more';
			batches.push(copyBatch(schema, writer, input));
			rows += input.count;
			return 'more';
		},
		result(): CollectResult {
			const table = batches.length > 0 ? new Table(batches) : new Table(toArrowSchema(schema));
			return { kind: 'collect', ipc: tableToIPC(table, 'stream'), rows };
		},
		dispose() {
			batches = [];
		}
	};
}

export const collect: NodeDefinition<Params> = {
	kind: 'collect',
	title: 'Collect',
	category: 'sink',
	description: 'Keep the whole result as an Arrow table (for download or further use).',
	inputs: [{ name: 'in' }],
	outputs: [],
	params,
	defaults: {},
	fields: [],
	traits: { stateless: false, blocking: false, partitionable: false },
	summary: () => 'whole result as Arrow',
	inferSchema: () => ({ ok: true, outputs: [] }),
	kernel: collectKernel,
	acceptsSelection: true
};
