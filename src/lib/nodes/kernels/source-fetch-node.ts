// Fetching a URL in Node for a kernel that cannot wait on its own event loop.
//
// Why a helper thread: a stage host's loop runs synchronously and, in Node, its event-loop
// yields (MessageChannel round trips) never reach libuv's poll phase, so a fetch() started on
// the stage's thread never even connects. So in Node the download runs on a small helper
// worker_thread (inline CommonJS, no file to resolve), which posts each body chunk on a
// MessagePort; the kernel takes them with `receiveMessageOnPort`, which needs no event loop.
//
// Threads: the helper only writes the port (chunks, then { done } or { error }); the kernel's
// thread only reads it and posts back credit (bytes consumed). Backpressure: the helper keeps at
// most QUEUE_LIMIT bytes posted and unconsumed. Allocates one copy of each chunk (transferred).
import type * as WorkerThreads from 'node:worker_threads';
import type { ChunkSource } from './source-bytes';

const HELPER = `
const { workerData } = require('node:worker_threads');
const { url, port, limit } = workerData;
let credit = limit;
let wake = null;
port.on('message', (n) => {
	credit += n;
	if (wake !== null && credit > 0) { const w = wake; wake = null; w(); }
});
(async () => {
	try {
		const response = await fetch(url);
		if (!response.ok) throw new Error('the server answered HTTP ' + response.status + ' ' + response.statusText);
		if (!response.body) throw new Error('the response has no body');
		const encoding = response.headers.get('content-encoding');
		const length = response.headers.get('content-length');
		const plain = encoding === null || encoding.trim().toLowerCase() === 'identity';
		const size = length === null || length.trim() === '' ? NaN : Number(length);
		port.postMessage({ total: plain && Number.isSafeInteger(size) && size >= 0 ? size : -1 });
		const reader = response.body.getReader();
		for (;;) {
			while (credit <= 0) await new Promise((resolve) => (wake = resolve));
			const { done, value } = await reader.read();
			if (done) break;
			if (value.byteLength === 0) continue;
			const copy = value.slice();
			credit -= copy.byteLength;
			port.postMessage({ chunk: copy }, [copy.buffer]);
		}
		port.postMessage({ done: true });
	} catch (error) {
		// Node's fetch says only "fetch failed"; the reason is in its cause's code.
		const cause = error && error.cause;
		const code = cause && typeof cause.code === 'string' ? cause.code : '';
		const why =
			code === 'ECONNREFUSED' ? 'connection refused' :
			code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name did not resolve (DNS)' :
			code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' ? 'the connection timed out' :
			code === 'ECONNRESET' ? 'the connection was reset' :
			/CERT|TLS|SSL/.test(code) ? 'the TLS handshake failed' : '';
		const text = error && error.message ? error.message : String(error);
		const detail = cause && cause.message ? cause.message : code;
		port.postMessage({ error: why ? why + ' (' + detail + ')' : detail ? text + ': ' + detail : text });
	} finally {
		port.close();
	}
})();
`;

type HelperMessage = { chunk: Uint8Array } | { total: number } | { done: true } | { error: string };

export class NodeFetchChunks implements ChunkSource {
	ended = false;
	/** The response's Content-Length once its headers came (-1 before, or when it has none). */
	totalBytes = -1;
	private port: WorkerThreads.MessagePort | null = null;
	private worker: WorkerThreads.Worker | null = null;
	private failure: Error | null = null;

	constructor(
		private readonly threads: typeof WorkerThreads,
		private readonly url: string,
		private readonly limit: number
	) {}

	poll(): Uint8Array | null {
		if (this.failure) throw this.failure;
		if (this.ended) return null;
		if (this.port === null) this.start();
		let message: HelperMessage | undefined;
		for (;;) {
			message = this.threads.receiveMessageOnPort(this.port!)?.message as HelperMessage;
			if (message === undefined) return null;
			if (!('total' in message)) break;
			this.totalBytes = message.total; // the headers came: sent once, before any chunk
		}
		if ('chunk' in message) {
			this.port!.postMessage(message.chunk.byteLength); // credit: these bytes left the queue
			return message.chunk;
		}
		if ('done' in message) {
			this.ended = true;
			this.close();
			return null;
		}
		this.failure = new Error(`cannot fetch '${this.url}': ${message.error}`);
		this.close();
		throw this.failure;
	}

	close(): void {
		this.port?.close();
		this.port = null;
		void this.worker?.terminate();
		this.worker = null;
	}

	private start(): void {
		const { port1, port2 } = new this.threads.MessageChannel();
		this.port = port1;
		this.worker = new this.threads.Worker(HELPER, {
			eval: true,
			workerData: { url: this.url, port: port2, limit: this.limit },
			transferList: [port2]
		});
		// The helper must not keep a finished process alive, nor crash it with an error.
		this.worker.unref();
		this.worker.on('error', (error) => {
			this.failure ??= new Error(`cannot fetch '${this.url}': ${error.message}`);
		});
	}
}
