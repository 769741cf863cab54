// Bytes of a source, chunk by chunk, for a kernel whose produce() is synchronous.
//
// `ChunkSource.poll()` never blocks: it returns the next chunk, or null when none is ready (then
// `ended` says whether the input is over). Two implementations:
// - FileChunks (Node): `readSync` into one reused buffer; a chunk is always ready. A chunk is
//   valid until the next poll (the CSV parser copies what it keeps).
// - FetchChunks (browsers): `fetch()` started on the first poll; a pump reads the body with
//   `getReader()` into a queue and stops while QUEUE_LIMIT bytes wait, so memory stays bounded
//   whatever the file size. The pump runs on the worker's event loop, which the stage host
//   turns only when it yields (about every 20 ms while stages are blocked), so each yield
//   refills up to QUEUE_LIMIT bytes.
// - The same class reads a Blob (a dropped file, a cached download) with `blob.stream()`:
//   the bytes come off disk chunk by chunk, in whichever thread reads them.
// - NodeFetchChunks (Node, source-fetch-node.ts): the same over a helper thread, because a
//   Node stage host's yields do not let socket I/O progress.
//
// `totalBytes` is what the source will deliver in all, for the progress bar: a file's size, a
// Blob's size, a response's Content-Length (-1 when the response is chunked or compressed, or
// until its headers arrive).
//
// `readPrefix` reads the first bytes of a source (schema probing on the main thread).
import type * as Fs from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { NodeFetchChunks } from './source-fetch-node';
import { isNodeRuntime, nodeFs, type ByteLocation } from './source-locate';
import { browserFetchReason } from '../formats/fetch-reason';

/** Bytes per file read. */
export const FILE_CHUNK_BYTES = 256 * 1024;
/** The fetch pump pauses while this many bytes wait in its queue. */
export const QUEUE_LIMIT = 8 * 1024 * 1024;

export interface ChunkSource {
	/** The next chunk, or null when none is ready now (see `ended`). Throws on a read error. */
	poll(): Uint8Array | null;
	/** True once every chunk was returned. */
	readonly ended: boolean;
	/** Bytes the source delivers in all; -1 while (or when) it is not known. */
	readonly totalBytes: number;
	/** Stops reading and frees the file or connection; safe to call twice. */
	close(): void;
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

class FileChunks implements ChunkSource {
	ended = false;
	totalBytes = -1;
	private fd = -1;
	private readonly buffer = new Uint8Array(FILE_CHUNK_BYTES);

	constructor(
		private readonly fs: typeof Fs,
		private readonly path: string
	) {}

	poll(): Uint8Array | null {
		if (this.ended) return null;
		try {
			if (this.fd < 0) {
				this.fd = this.fs.openSync(this.path, 'r');
				this.totalBytes = this.fs.fstatSync(this.fd).size;
			}
			const n = this.fs.readSync(this.fd, this.buffer, 0, this.buffer.length, null);
			if (n > 0) return this.buffer.subarray(0, n);
		} catch (error) {
			this.close();
			throw new Error(`cannot read '${this.path}': ${describe(error)}`, { cause: error });
		}
		this.close();
		this.ended = true;
		return null;
	}

	close(): void {
		if (this.fd >= 0) this.fs.closeSync(this.fd);
		this.fd = -1;
	}
}

/** A body to read and the bytes it will deliver (-1 when not known). */
export interface OpenedBody {
	body: ReadableStream<Uint8Array>;
	total: number;
}

class FetchChunks implements ChunkSource {
	ended = false;
	totalBytes = -1;
	private started = false;
	private pumping = false;
	private bodyDone = false;
	private closed = false;
	private failure: Error | null = null;
	private readonly queue: Uint8Array[] = [];
	private queued = 0;
	private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
	private readonly abort = new AbortController();

	/** `opener` starts the body (a fetch, a Blob's stream); `url` names it in errors. */
	constructor(
		private readonly url: string,
		private readonly opener: (signal: AbortSignal) => Promise<OpenedBody> = (signal) =>
			fetchBody(url, signal),
		private readonly verb = 'fetch'
	) {}

	poll(): Uint8Array | null {
		if (!this.started) this.start();
		if (this.failure) throw this.failure;
		const chunk = this.queue.shift();
		if (chunk !== undefined) {
			this.queued -= chunk.length;
			if (!this.pumping && !this.bodyDone) void this.pump();
			return chunk;
		}
		if (this.bodyDone) this.ended = true;
		return null;
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.abort.abort();
		this.reader?.cancel().catch(() => {});
		this.queue.length = 0;
		this.queued = 0;
	}

	private start(): void {
		this.started = true;
		this.pumping = true;
		void this.open();
	}

	private async open(): Promise<void> {
		try {
			const opened = await this.opener(this.abort.signal);
			this.totalBytes = opened.total;
			this.reader = opened.body.getReader();
		} catch (error) {
			this.pumping = false;
			this.fail(error);
			return;
		}
		this.pumping = false;
		await this.pump();
	}

	/** Reads until the queue holds QUEUE_LIMIT bytes or the body ends. */
	private async pump(): Promise<void> {
		const reader = this.reader;
		if (!reader || this.closed) return;
		this.pumping = true;
		try {
			while (this.queued < QUEUE_LIMIT && !this.closed) {
				const { done, value } = await reader.read();
				if (done) {
					this.bodyDone = true;
					break;
				}
				if (value.length === 0 || this.closed) continue;
				this.queue.push(value);
				this.queued += value.length;
			}
		} catch (error) {
			this.fail(error);
		} finally {
			this.pumping = false;
		}
	}

	private fail(error: unknown): void {
		if (this.closed) return;
		this.failure = new Error(`cannot ${this.verb} '${this.url}': ${describe(error)}`, {
			cause: error
		});
	}
}

async function fetchBody(url: string, signal: AbortSignal): Promise<OpenedBody> {
	let response: Response;
	try {
		response = await fetch(url, { signal });
	} catch (error) {
		throw new Error(browserFetchReason(error, url), { cause: error });
	}
	if (!response.ok)
		throw new Error(`the server answered HTTP ${response.status} ${response.statusText}`);
	if (!response.body) throw new Error('the response has no body');
	return { body: response.body, total: contentLength(response.headers) };
}

/**
 * The body's size from its headers, or -1: no Content-Length (chunked), or a Content-Encoding
 * (fetch hands over the decoded bytes, which the encoded length does not count).
 */
export function contentLength(headers: { get(name: string): string | null }): number {
	const encoding = headers.get('content-encoding');
	if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return -1;
	const text = headers.get('content-length');
	if (text === null || !/^\s*\d+\s*$/.test(text)) return -1;
	const n = Number(text);
	return Number.isSafeInteger(n) ? n : -1;
}

/** A chunk source over `location` (files need Node). */
export function openChunks(location: ByteLocation): ChunkSource {
	if (location.kind === 'blob') {
		const blob = location.blob;
		return new FetchChunks(
			location.name,
			async () => ({ body: blob.stream(), total: blob.size }),
			'read'
		);
	}
	if (location.kind === 'url') {
		if (!isNodeRuntime()) return new FetchChunks(location.url);
		const threads = process.getBuiltinModule('node:worker_threads') as typeof WorkerThreads;
		return new NodeFetchChunks(threads, location.url, QUEUE_LIMIT);
	}
	const fs = nodeFs();
	if (!fs) throw new TypeError(`'${location.path}' is a local file: only Node can read it`);
	return new FileChunks(fs, location.path);
}

/** Up to `bytes` first bytes of `location` (fewer when the input is shorter). */
export async function readPrefix(location: ByteLocation, bytes: number): Promise<Uint8Array> {
	if (location.kind === 'blob') {
		// A slice of a Blob reads only those bytes (a dropped file is never loaded whole).
		try {
			return new Uint8Array(await location.blob.slice(0, bytes).arrayBuffer());
		} catch (error) {
			throw new Error(`cannot read '${location.name}': ${describe(error)}`, { cause: error });
		}
	}
	const out = new Uint8Array(bytes);
	let filled = 0;
	const source = openChunks(location);
	try {
		while (filled < bytes) {
			const chunk = source.poll();
			if (chunk === null) {
				if (source.ended) break;
				await new Promise((resolve) => setTimeout(resolve, 1));
				continue;
			}
			const take = Math.min(chunk.length, bytes - filled);
			out.set(chunk.subarray(0, take), filled);
			filled += take;
		}
	} finally {
		source.close();
	}
	return out.subarray(0, filled);
}
