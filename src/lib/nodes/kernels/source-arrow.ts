// The kernel that reads an Arrow IPC source (file or stream format) into frames: bytes from a
// ChunkSource (copied, see source-async.ts), decoded batch by batch by apache-arrow's async
// reader on the worker's event loop (AsyncPump), each RecordBatch turned into frame columns
// (arrow/arrow-columns.ts) and copied into pool blocks by PendingBatches.
//
// produce() never blocks: it writes a waiting batch, or takes the next decoded one, or answers
// 'blocked' while the reader waits for bytes. Only instance 0 reads. Progress: the bytes the
// reader took from the ChunkSource (counted on the event loop, reported from produce()).
import type { RecordBatch } from 'apache-arrow';
import type { FrameSchema } from '../../runtime/batch/types';
import type { Kernel, KernelSetup } from '../../runtime/scheduler/kernel';
import { arrowBatchView, planArrowColumns, type ArrowColumnPlan } from '../arrow/arrow-columns';
import { arrowMessages, openArrowStream } from '../arrow/arrow-read';
import { IpcScanner, checkColumn } from '../arrow/arrow-check';
import { quoteUntrusted } from '../formats/untrusted-text';
import { openChunks, type ChunkSource } from './source-bytes';
import { frameLimit, PendingBatches } from './source-emit';
import { AsyncPump, chunkStream } from './source-async';
import { locateSource } from './source-locate';
import { ByteProgress } from './source-progress';
import { sourceMessages } from '../formats/source-param';

/** Decoded batches read ahead. */
const READ_AHEAD = 4;

export interface ArrowReadSpec {
	source: string;
	schema: FrameSchema;
}

/** `bytes`, followed by `scanner` as they pass (it throws at the first damage it sees). */
async function* scanned(
	bytes: AsyncIterable<Uint8Array>,
	scanner: IpcScanner
): AsyncGenerator<Uint8Array> {
	for await (const chunk of bytes) {
		scanner.push(chunk);
		yield chunk;
	}
	scanner.finish();
}

async function* decoded(
	spec: ArrowReadSpec,
	plans: { value: ArrowColumnPlan[] | null },
	chunks: ChunkSource,
	progress: ByteProgress
): AsyncGenerator<RecordBatch> {
	const { source, schema } = spec;
	const scanner = new IpcScanner();
	const bytes = scanned(
		chunkStream(chunks, (n) => progress.add(n)),
		scanner
	);
	const stream = await openArrowStream(bytes, source);
	const names = stream.schema.fields.map((f) => f.name);
	if (names.length !== schema.names.length || names.some((n, i) => n !== schema.names[i]))
		throw new Error(sourceMessages.columnsChanged(source, names, schema.names));
	plans.value = planArrowColumns(stream.schema, source);
	let index = 0;
	for await (const batch of stream.batches) {
		batch.data.children.forEach((data, c) => {
			const wrong = checkColumn(data);
			if (wrong === null) return;
			const at = scanner.batchOffsets[index];
			const where =
				at === undefined ? `record batch ${index}` : `record batch ${index} at byte ${at}`;
			throw new Error(
				arrowMessages.damaged(source, `${where}, column ${quoteUntrusted(names[c])}: ${wrong}`)
			);
		});
		index++;
		yield batch;
	}
}

export function arrowReadKernel(spec: ArrowReadSpec, setup: KernelSetup): Kernel {
	const pending = new PendingBatches(spec.schema, frameLimit(setup.budgetBytes), spec.source);
	const plans: { value: ArrowColumnPlan[] | null } = { value: null };
	let pump: AsyncPump<RecordBatch> | null = null;
	let chunks: ChunkSource | null = null;
	let done = setup.instance > 0;
	const progress = new ByteProgress();
	return {
		produce(ctx) {
			if (pending.length > 0) return pending.writeNext(ctx);
			if (done) return 'done';
			if (pump === null) {
				chunks = openChunks(locateSource(spec.source));
				pump = new AsyncPump(decoded(spec, plans, chunks, progress), READ_AHEAD);
			}
			const batch = pump.poll();
			if (batch === undefined) {
				if (!pump.done) {
					progress.report(ctx, chunks!.totalBytes);
					return 'blocked';
				}
				done = true;
				progress.report(ctx, chunks!.totalBytes, true);
				return 'done';
			}
			progress.report(ctx, chunks!.totalBytes);
			pending.push(arrowBatchView(batch, plans.value!));
			return pending.length > 0 ? pending.writeNext(ctx) : 'more';
		},
		dispose() {
			pump?.stop();
			pending.clear();
		}
	};
}
