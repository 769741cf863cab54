// The export encoder's worker: gets a collect sink's Arrow IPC bytes and a format, streams the
// file back chunk by chunk (each chunk transferred), then { done }. See export-run.ts.
import { exportResult, type ExportFormat } from '../../io/export';
import type { CollectResult } from '../../nodes/collect';
import type { EncodeMessage } from './export-run';

const post = (message: EncodeMessage, transfer: Transferable[] = []) =>
	(self as unknown as Worker).postMessage(message, transfer);

self.onmessage = async (event: MessageEvent<{ format: ExportFormat; result: CollectResult }>) => {
	const { format, result } = event.data;
	let bytes = 0;
	try {
		for await (const chunk of exportResult(format, result)) {
			// A chunk may view a buffer the encoder reuses: send a copy of exactly its bytes.
			const own = chunk.slice();
			bytes += own.byteLength;
			post({ chunk: own, bytes }, [own.buffer]);
		}
		post({ done: true, bytes });
	} catch (error) {
		post({ error: error instanceof Error ? error.message : String(error) });
	}
};
