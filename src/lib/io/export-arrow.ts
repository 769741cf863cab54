// Arrow IPC export, streamed: the stream format (schema, one message per batch, end marker) or
// the file format (the same inside "ARROW1" magic, with a footer), one chunk per batch.
//
// apache-arrow's writer writes into an AsyncByteQueue; ours (ChunkSink) only collects what each
// write produced, so after every batch the bytes so far are taken and yielded — nothing waits on
// a reader, and nothing holds more than one batch. Each chunk is a copy: the writer hands over
// views of the batch's own buffers, which may be pool blocks reused after the batch.
import {
	AsyncByteQueue,
	Data,
	RecordBatch,
	RecordBatchFileWriter,
	RecordBatchStreamWriter,
	Struct,
	makeData
} from 'apache-arrow';
import type { BatchView } from '../runtime/contracts';
import { isShared } from '../runtime/batch/bits';
import { toArrowSchema, toArrowType, type FrameSchema } from '../runtime/batch/types';
import type { ExportInput } from './export-input';

export interface ArrowExportOptions {
	/** 'file' (random access, .arrow) or 'stream' (.arrows); default 'file'. */
	format?: 'file' | 'stream';
}

class ChunkSink extends AsyncByteQueue {
	private pieces: Uint8Array[] = [];

	override write(value: ArrayBufferView | ArrayBuffer | string): void {
		const bytes =
			typeof value === 'string'
				? new TextEncoder().encode(value)
				: value instanceof ArrayBuffer
					? new Uint8Array(value)
					: new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
		if (bytes.byteLength > 0) this.pieces.push(bytes);
	}

	/** Everything written since the last take, as one copy. */
	take(): Uint8Array {
		const total = this.pieces.reduce((n, p) => n + p.byteLength, 0);
		const out = new Uint8Array(total);
		let at = 0;
		for (const p of this.pieces) {
			out.set(p, at);
			at += p.byteLength;
		}
		this.pieces = [];
		return out;
	}
}

/** A BatchView as an Arrow RecordBatch over the same buffers (utf8 bytes copied if shared). */
export function viewToRecordBatch(schema: FrameSchema, view: BatchView): RecordBatch {
	const arrow = toArrowSchema(schema);
	const children = view.columns.map((col, i) => {
		const values =
			col.type === 'utf8' && isShared(col.values.buffer)
				? (col.values as Uint8Array).slice()
				: col.values;
		return makeData({
			type: toArrowType(schema.types[i]),
			length: view.length,
			nullCount: col.nullCount,
			nullBitmap: col.validity,
			valueOffsets: col.offsets ?? undefined,
			data: values
		} as never) as Data;
	});
	const data = makeData({
		type: new Struct(arrow.fields),
		length: view.length,
		children,
		nullCount: 0
	});
	return new RecordBatch(arrow, data);
}

export async function* exportArrowIpc(
	input: ExportInput,
	options: ArrowExportOptions = {}
): AsyncGenerator<Uint8Array> {
	const sink = new ChunkSink();
	const writer =
		options.format === 'stream' ? new RecordBatchStreamWriter() : new RecordBatchFileWriter();
	writer.reset(sink, toArrowSchema(input.schema));
	const first = sink.take();
	if (first.byteLength > 0) yield first;
	for await (const view of input.batches) {
		if (view.length === 0) continue;
		writer.write(viewToRecordBatch(input.schema, view));
		yield sink.take();
	}
	writer.finish();
	const last = sink.take();
	if (last.byteLength > 0) yield last;
}
