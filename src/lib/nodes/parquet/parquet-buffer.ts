// Random access to a source's bytes for the Parquet reader (hyparquet's AsyncBuffer): a local
// file read by ranges (Node), or a URL read with HTTP Range requests, so only the footer and the
// column chunks asked for are ever read.
//
// A Blob (a dropped file, a URL's copy from the dataset cache) is sliced the same way.
//
// URLs: `rewriteUrl` maps the source URL to the one fetched; the default for this thread is set
// with `setRemoteUrlRewrite`. Unset, a browser thread (the page or a pool worker: anything with
// an http(s) `location` outside Node) sends another origin's http(s) URLs through the app's
// server proxy, `/api/fetch?url=…`, which passes Range through (a cross-origin fetch from a
// cross-origin-isolated page would need CORS and CORP headers most servers do not send); Node
// fetches URLs as they are. The size comes from the Content-Range of a first
// one-byte request. A server that ignores Range (answers 200) is read whole, once, and sliced.
// A range's body is read as it streams in, and `arriving` counts the bytes of ranges still
// coming, so a source's progress moves while a large row group downloads, not only after it.
import type { AsyncBuffer } from 'hyparquet';
import { isNodeRuntime, nodeFs, type ByteLocation } from '../kernels/source-locate';
import { browserFetchReason } from '../formats/fetch-reason';

export interface RangeBuffer extends AsyncBuffer {
	/** Bytes read so far. */
	readonly bytesRead: number;
	/** Bytes received of ranges not complete yet (a URL's responses as they stream in). */
	readonly arriving: number;
	close(): void;
}

export type UrlRewrite = (url: string) => string;

/** The app's proxy URL for another origin's http(s) URL in a browser thread; else `url`. */
export function browserProxyRewrite(
	url: string,
	origin: string | undefined = isNodeRuntime() ? undefined : globalThis.location?.origin
): string {
	if (!origin || !/^https?:/.test(origin)) return url;
	let parsed: URL;
	try {
		parsed = new URL(url, origin);
	} catch {
		return url;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;
	if (parsed.origin === origin) return url;
	return `${origin}/api/fetch?url=${encodeURIComponent(parsed.href)}`;
}

let defaultRewrite: UrlRewrite = (url) => browserProxyRewrite(url);

/** Sets how this thread's Parquet sources rewrite remote URLs (e.g. through a proxy). */
export function setRemoteUrlRewrite(rewrite: UrlRewrite): void {
	defaultRewrite = rewrite;
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function fileBuffer(path: string): RangeBuffer {
	const fs = nodeFs();
	if (!fs) throw new TypeError(`'${path}' is a local file: only Node can read it`);
	let fd: number;
	let size: number;
	try {
		fd = fs.openSync(path, 'r');
		size = fs.fstatSync(fd).size;
	} catch (error) {
		throw new Error(`cannot read '${path}': ${describe(error)}`, { cause: error });
	}
	let read = 0;
	return {
		byteLength: size,
		arriving: 0,
		get bytesRead() {
			return read;
		},
		slice(start: number, end = size): ArrayBuffer {
			const out = new Uint8Array(Math.max(0, Math.min(end, size) - start));
			let at = 0;
			while (at < out.length) {
				const n = fs.readSync(fd, out, at, out.length - at, start + at);
				if (n <= 0) break;
				at += n;
			}
			read += at;
			return out.buffer;
		},
		close() {
			if (fd >= 0) fs.closeSync(fd);
			fd = -1;
		}
	};
}

/** Bytes [start, end) of `url`; an error naming `source` (the proxy's own message if any). */
async function fetchRange(
	source: string,
	url: string,
	start: number,
	end: number
): Promise<Response> {
	let response: Response;
	try {
		response = await fetch(url, { headers: { Range: `bytes=${start}-${end - 1}` } });
	} catch (error) {
		const why = browserFetchReason(error, url);
		throw new Error(`cannot fetch '${source}': ${why}`, { cause: error });
	}
	if (response.ok) return response;
	let detail = `the server answered HTTP ${response.status} ${response.statusText}`.trim();
	const body: unknown = await response.json().catch(() => null);
	if (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as { error?: unknown }).error === 'string'
	)
		detail = (body as { error: string }).error;
	throw new Error(`cannot fetch '${source}': ${detail}`);
}

/** The body of `response`, counting each chunk with `onBytes` as it comes. */
async function streamedBody(
	response: Response,
	onBytes: (n: number) => void
): Promise<ArrayBuffer> {
	const reader = response.body?.getReader();
	if (!reader) return response.arrayBuffer();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		total += value.byteLength;
		onBytes(value.byteLength);
	}
	const out = new Uint8Array(total);
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.byteLength;
	}
	return out.buffer;
}

async function urlBuffer(source: string, rewrite: UrlRewrite): Promise<RangeBuffer> {
	const url = rewrite(source);
	const first = await fetchRange(source, url, 0, 1);
	let whole: ArrayBuffer | null = null;
	let size: number;
	const range = /\/(\d+)\s*$/.exec(first.headers.get('content-range') ?? '');
	if (first.status === 206 && range) {
		size = Number(range[1]);
		await first.body?.cancel();
	} else {
		// No Range support: the whole body is here anyway.
		whole = await first.arrayBuffer();
		size = whole.byteLength;
	}
	let read = whole?.byteLength ?? 0;
	let arriving = 0;
	return {
		byteLength: size,
		get bytesRead() {
			return read;
		},
		get arriving() {
			return arriving;
		},
		async slice(start: number, end = size): Promise<ArrayBuffer> {
			if (whole) return whole.slice(start, end);
			const response = await fetchRange(source, url, start, end);
			if (response.status !== 206) return (await response.arrayBuffer()).slice(start, end);
			let came = 0;
			try {
				const bytes = await streamedBody(response, (n) => {
					came += n;
					arriving += n;
				});
				read += bytes.byteLength;
				return bytes;
			} finally {
				arriving -= came;
			}
		},
		close() {
			whole = null;
		}
	};
}

/** Random access to a Blob (a dropped file, a cached download): each slice reads only its bytes. */
function blobBuffer(blob: Blob, name: string): RangeBuffer {
	let read = 0;
	return {
		byteLength: blob.size,
		arriving: 0,
		get bytesRead() {
			return read;
		},
		async slice(start: number, end = blob.size): Promise<ArrayBuffer> {
			try {
				const bytes = await blob.slice(start, end).arrayBuffer();
				read += bytes.byteLength;
				return bytes;
			} catch (error) {
				throw new Error(`cannot read '${name}': ${describe(error)}`, { cause: error });
			}
		},
		close() {}
	};
}

/** Random access to `location`; rejects with an Error naming it when it cannot be opened. */
export async function openRangeBuffer(
	location: ByteLocation,
	rewrite: UrlRewrite = defaultRewrite
): Promise<RangeBuffer> {
	if (location.kind === 'blob') return blobBuffer(location.blob, location.name);
	return location.kind === 'file' ? fileBuffer(location.path) : urlBuffer(location.url, rewrite);
}
