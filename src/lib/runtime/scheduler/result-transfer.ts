// Which buffers a host's outcome gives away to the page. A sink's result (a collected table's
// Arrow IPC bytes, a table's columns) can be tens of megabytes; cloned, it is copied while the
// page's message handler runs, and a 1M-row export froze the page for ~0.1–1 s at that moment.
// Transferred, it moves in O(1). Results belong to the run: kernels are disposed once their
// result is taken, so nothing in the worker uses these buffers afterwards. Shared memory is
// never listed (it is shared, not moved), nor a buffer that a view covers only in part (it
// may be a slice of something larger the worker still owns).

import { transfer } from 'comlink';

const MAX_DEPTH = 8;

/** The distinct, whole, non-shared ArrayBuffers under `value`'s typed arrays (depth ≤ 8). */
export function resultTransferables(value: unknown): ArrayBuffer[] {
	const found = new Set<ArrayBuffer>();
	const visit = (v: unknown, depth: number) => {
		if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return;
		if (ArrayBuffer.isView(v)) {
			const buffer = v.buffer;
			if (
				buffer instanceof ArrayBuffer &&
				v.byteOffset === 0 &&
				v.byteLength === buffer.byteLength &&
				buffer.byteLength > 0
			)
				found.add(buffer);
			return;
		}
		if (v instanceof ArrayBuffer) return; // bare buffers are not results' shape; left as is
		const items = Array.isArray(v) ? v : Object.values(v);
		for (const item of items) visit(item, depth + 1);
	};
	visit(value, 0);
	return [...found];
}

/** A host's outcome marked for comlink to move its result buffers to the page. */
export function giveOutcome<T>(outcome: T): T {
	return transfer(outcome, resultTransferables(outcome));
}
