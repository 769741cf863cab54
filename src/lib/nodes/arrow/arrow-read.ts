// Arrow IPC bytes as record batches, streamed: both the stream format and the file format.
//
// The stream format is decoded one message at a time as bytes arrive, never held whole. The
// file format ("ARROW1" magic ... footer) is read whole by apache-arrow before its first batch:
// its schema may live only in the footer (apache-arrow's own writer puts it there), which needs
// the end of the file. So large data is best given as an Arrow stream (.arrows).
import { RecordBatchReader, type RecordBatch, type Schema } from 'apache-arrow';
import { decoderReason } from '../formats/decoder-reason';
import { untrusted } from '../formats/untrusted-text';
import { ArrowDamage } from './arrow-check';

/** Longest decoder text quoted into a message. */
const MAX_REASON_CHARS = 160;

export const arrowMessages = {
	/** `what` says where and what: "record batch 2 at byte 1234: …". */
	damaged: (source: string, what: string) => `'${source}' has damaged Arrow IPC data: ${what}`,
	empty: (source: string) => `'${source}' is empty (0 bytes): it holds no Arrow IPC data`
};

export interface ArrowStream {
	schema: Schema;
	batches: AsyncIterableIterator<RecordBatch>;
}

/** Opens an Arrow IPC stream or file over `chunks`; an Error naming `source` if it is not one. */
export async function openArrowStream(
	chunks: AsyncIterable<Uint8Array>,
	source: string
): Promise<ArrowStream> {
	let reader;
	try {
		reader = await RecordBatchReader.from(chunks);
		await reader.open();
	} catch (error) {
		if (error instanceof ArrowDamage)
			throw new Error(arrowMessages.damaged(source, error.message), { cause: error });
		const why = untrusted(decoderReason(error, 'its schema message is damaged'), MAX_REASON_CHARS);
		throw new Error(`'${source}' is not an Arrow IPC file or stream (${why})`, { cause: error });
	}
	if (!reader.schema || reader.schema.fields.length === 0)
		throw new Error(`'${source}' is not an Arrow IPC file or stream, or it has no columns`);
	return { schema: reader.schema, batches: namedFailures(reader, source) };
}

/**
 * The batches, with a failure to decode one (a body cut short, a message length past the end)
 * told as the file's damage rather than as apache-arrow's bare text.
 */
async function* namedFailures(
	batches: AsyncIterable<RecordBatch>,
	source: string
): AsyncIterableIterator<RecordBatch> {
	try {
		yield* batches;
	} catch (error) {
		if (error instanceof ArrowDamage)
			throw new Error(arrowMessages.damaged(source, error.message), { cause: error });
		const why = untrusted(
			decoderReason(error, 'a record batch message is damaged'),
			MAX_REASON_CHARS
		);
		throw new Error(`'${source}' has damaged or cut-short Arrow IPC data (${why})`, {
			cause: error
		});
	}
}
