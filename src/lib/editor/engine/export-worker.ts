// The export encoder's worker: gets a collect sink's Arrow IPC bytes (transferred) and a format,
// encodes the file chunk by chunk and builds the download's Blob here, folding the chunks into a
// Blob every few megabytes (the browser keeps Blob bytes outside this heap), then posts progress
// figures and, at the end, the Blob (cloned by reference). See export-run.ts.
import { exportResult, EXPORT_MIME } from '../../io/export';
import type { EncodeMessage, EncodeRequest } from './export-run';

/** Chunks are folded into a Blob once this many bytes are held as arrays. */
const FOLD_BYTES = 8 * 1024 * 1024;

const post = (message: EncodeMessage) => (self as unknown as Worker).postMessage(message);

self.onmessage = async (event: MessageEvent<EncodeRequest>) => {
	const { format, result } = event.data;
	const type = EXPORT_MIME[format];
	let parts: BlobPart[] = [];
	let held = 0;
	let bytes = 0;
	try {
		for await (const chunk of exportResult(format, result)) {
			// A chunk may view a buffer the encoder reuses: keep a copy of exactly its bytes.
			parts.push(chunk.slice());
			held += chunk.byteLength;
			bytes += chunk.byteLength;
			if (held >= FOLD_BYTES) {
				parts = [new Blob(parts, { type })];
				held = 0;
			}
			post({ bytes });
		}
		post({ done: new Blob(parts, { type }) });
	} catch (error) {
		post({ error: error instanceof Error ? error.message : String(error) });
	}
};
