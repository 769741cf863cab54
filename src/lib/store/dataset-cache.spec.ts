import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '../runtime/testing/prng';
import {
	browserFetchUrl,
	createDatasetCache,
	DatasetFetchError,
	type DatasetCache
} from './dataset-cache';

// The dataset cache over fake-indexeddb, with an injected fetcher playing the /api/fetch proxy.

interface Remote {
	bytes: Uint8Array;
	etag?: string;
	lastModified?: string;
	/** Leave out Content-Length (a chunked response). */
	chunked?: boolean;
}

function fakeServer(files: Record<string, Remote>) {
	const requests: { url: string; headers: Record<string, string> }[] = [];
	const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = String(input);
		const headers = Object.fromEntries(new Headers(init?.headers).entries());
		requests.push({ url, headers });
		const target = decodeURIComponent(url.replace('/api/fetch?url=', ''));
		const file = files[target];
		if (!file)
			return Response.json(
				{ error: `${target} answered 404 Not Found.`, code: 'upstream_status' },
				{ status: 502 }
			);
		const meta: Record<string, string> = { 'content-type': 'text/csv' };
		if (file.etag) meta.etag = file.etag;
		if (file.lastModified) meta['last-modified'] = file.lastModified;
		if (file.etag && headers['if-none-match'] === file.etag)
			return new Response(null, { status: 304, headers: meta });
		if (!file.chunked) meta['content-length'] = String(file.bytes.length);
		// Delivered in 700-byte pieces, so chunking and progress are exercised.
		let at = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (at >= file.bytes.length) return controller.close();
				controller.enqueue(file.bytes.slice(at, at + 700));
				at += 700;
			}
		});
		return new Response(body, { status: 200, headers: meta });
	}) as typeof fetch;
	return { fetcher, requests };
}

const rng = mulberry32(42);
const data = (n: number) => Uint8Array.from({ length: n }, () => rng.int(0, 255));
const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

let dbCount = 0;
let clock = 1000;
const caches: DatasetCache[] = [];
function newCache(limitBytes = 1_000_000) {
	const dbName = `datasets-test-${++dbCount}`;
	const cache = createDatasetCache({ dbName, limitBytes, chunkBytes: 1024, now: () => ++clock });
	caches.push(cache);
	return { cache, dbName };
}
async function chunkCount(dbName: string) {
	const db = await openDB(dbName);
	const n = await db.count('chunks');
	db.close();
	return n;
}

afterEach(async () => {
	vi.restoreAllMocks();
	for (const c of caches.splice(0)) await c.close();
});

const A = 'https://data.example/a.csv';
const B = 'https://data.example/b.csv';
const C = 'https://data.example/c.csv';
const D = 'https://data.example/d.csv';

describe('dataset cache', () => {
	it('downloads a miss through the proxy URL, serves the bytes and keeps them', async () => {
		const bytes = data(5000);
		const { fetcher, requests } = fakeServer({ [A]: { bytes, etag: '"1"' } });
		const { cache } = newCache();
		const progress: { loaded: number; total?: number }[] = [];
		const result = await cache.fetchDataset(A, { fetcher, onProgress: (p) => progress.push(p) });
		expect(requests[0].url).toBe(`/api/fetch?url=${encodeURIComponent(A)}`);
		expect(result).toMatchObject({ source: 'network', cached: true, size: 5000, etag: '"1"' });
		expect(await bytesOf(result.blob)).toEqual(bytes);
		expect(result.blob.type).toBe('text/csv');
		expect(progress.at(-1)).toEqual({ loaded: 5000, total: 5000 });
		expect(progress.map((p) => p.loaded)).toEqual(
			[...progress.map((p) => p.loaded)].sort((a, b) => a - b)
		);
		const list = await cache.listCached();
		expect(list.map((e) => [e.url, e.size, e.contentType])).toEqual([[A, 5000, 'text/csv']]);
	});

	it('answers getCached from the cache without any request', async () => {
		const bytes = data(3000);
		const { fetcher, requests } = fakeServer({ [A]: { bytes } });
		const { cache } = newCache();
		expect(await cache.getCached(A)).toBeUndefined();
		await cache.fetchDataset(A, { fetcher });
		const hit = await cache.getCached(A);
		expect(await bytesOf(hit!.blob)).toEqual(bytes);
		expect(requests).toHaveLength(1);
	});

	it('revalidates with If-None-Match and If-Modified-Since and serves cached bytes on 304', async () => {
		const bytes = data(4000);
		const lastModified = 'Tue, 01 Jul 2025 12:00:00 GMT';
		const { fetcher, requests } = fakeServer({ [A]: { bytes, etag: '"v1"', lastModified } });
		const { cache } = newCache();
		const first = await cache.fetchDataset(A, { fetcher });
		const again = await cache.fetchDataset(A, { fetcher });
		expect(requests[1].headers).toMatchObject({
			'if-none-match': '"v1"',
			'if-modified-since': lastModified
		});
		expect(again.source).toBe('revalidated');
		expect(await bytesOf(again.blob)).toEqual(bytes);
		expect(again.lastUsedAt).toBeGreaterThan(first.lastUsedAt);
		expect(again.validatedAt).toBeGreaterThan(first.validatedAt);
	});

	it('replaces the cached bytes when the ETag changes, leaving no old chunks', async () => {
		const files = { [A]: { bytes: data(3000), etag: '"v1"' } };
		const { fetcher } = fakeServer(files);
		const { cache, dbName } = newCache();
		await cache.fetchDataset(A, { fetcher });
		const newer = data(2000);
		files[A] = { bytes: newer, etag: '"v2"' };
		const result = await cache.fetchDataset(A, { fetcher });
		expect(result).toMatchObject({ source: 'network', etag: '"v2"', size: 2000 });
		expect(await bytesOf((await cache.getCached(A))!.blob)).toEqual(newer);
		expect(await chunkCount(dbName)).toBe(2); // 2000 bytes in 1024-byte chunks
	});

	it('serves a copy validated within maxAgeMs without asking the server', async () => {
		const { fetcher, requests } = fakeServer({ [A]: { bytes: data(100), etag: '"1"' } });
		const { cache } = newCache();
		await cache.fetchDataset(A, { fetcher });
		const result = await cache.fetchDataset(A, { fetcher, maxAgeMs: 60_000 });
		expect(result.source).toBe('cache');
		expect(requests).toHaveLength(1);
	});

	it('evicts the least recently used datasets first when the limit is reached', async () => {
		const files = {
			[A]: { bytes: data(1000) },
			[B]: { bytes: data(1000) },
			[C]: { bytes: data(1000) },
			[D]: { bytes: data(1500) }
		};
		const { fetcher } = fakeServer(files);
		const { cache } = newCache(3000);
		for (const url of [A, B, C]) await cache.fetchDataset(url, { fetcher });
		await cache.getCached(A); // A is now the most recently used; B the least
		await cache.fetchDataset(D, { fetcher });
		// 1500 more bytes need two evictions of 1000: B, then C; A stays.
		expect((await cache.listCached()).map((e) => e.url)).toEqual([D, A]);
		expect((await cache.usage()).bytes).toBe(2500);
	});

	it('never evicts the dataset being written, even when it takes the whole limit', async () => {
		const files = { [A]: { bytes: data(1000) }, [B]: { bytes: data(3000), chunked: true } };
		const { fetcher } = fakeServer(files);
		const { cache } = newCache(3000);
		await cache.fetchDataset(A, { fetcher });
		const result = await cache.fetchDataset(B, { fetcher });
		expect(result.cached).toBe(true);
		expect((await cache.listCached()).map((e) => e.url)).toEqual([B]);
		expect(await bytesOf((await cache.getCached(B))!.blob)).toEqual(files[B].bytes);
	});

	it('serves a dataset larger than the limit without caching it or evicting others', async () => {
		const big = data(5000);
		const { fetcher } = fakeServer({ [A]: { bytes: data(500) }, [B]: { bytes: big } });
		const { cache } = newCache(2000);
		await cache.fetchDataset(A, { fetcher });
		const result = await cache.fetchDataset(B, { fetcher });
		expect(await bytesOf(result.blob)).toEqual(big);
		expect(result.cached).toBe(false);
		expect(result.notCached?.code).toBe('too_big');
		expect(result.notCached?.message).toContain(B);
		expect(result.notCached?.message).toContain('larger than the dataset cache');
		expect((await cache.listCached()).map((e) => e.url)).toEqual([A]);
	});

	it('stops caching a chunked dataset once it outgrows the limit and removes its chunks', async () => {
		const big = data(5000);
		const { fetcher } = fakeServer({ [B]: { bytes: big, chunked: true } });
		const { cache, dbName } = newCache(2000);
		const result = await cache.fetchDataset(B, { fetcher });
		expect(await bytesOf(result.blob)).toEqual(big);
		expect(result.notCached?.code).toBe('too_big');
		expect(await chunkCount(dbName)).toBe(0);
	});

	it('still serves the dataset when storage is full, reporting the quota error', async () => {
		const bytes = data(3000);
		const { fetcher } = fakeServer({ [A]: { bytes } });
		const { cache, dbName } = newCache();
		const put = IDBObjectStore.prototype.put;
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
			this: IDBObjectStore,
			...args
		) {
			if (this.name === 'chunks' && (args[0] as { index: number }).index >= 1)
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return put.apply(this, args);
		});
		const result = await cache.fetchDataset(A, { fetcher });
		expect(await bytesOf(result.blob)).toEqual(bytes);
		expect(result.cached).toBe(false);
		expect(result.notCached?.code).toBe('quota');
		expect(result.notCached?.message).toMatch(/storage for Sluice is full.*Delete cached datasets/);
		vi.restoreAllMocks();
		expect(await cache.listCached()).toEqual([]);
		expect(await chunkCount(dbName)).toBe(0);
	});

	it('serves the cached copy marked stale when the network fails', async () => {
		const bytes = data(800);
		const files: Record<string, Remote> = { [A]: { bytes, etag: '"1"' } };
		const { fetcher } = fakeServer(files);
		const { cache } = newCache();
		await cache.fetchDataset(A, { fetcher });
		const offline = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof fetch;
		const result = await cache.fetchDataset(A, { fetcher: offline });
		expect(result.source).toBe('cache');
		expect(await bytesOf(result.blob)).toEqual(bytes);
		expect(result.stale).toMatch(
			/Using the copy of https:\/\/data.example\/a.csv cached on .*Failed to fetch/
		);
	});

	it("throws the proxy's error, with its code, when nothing is cached", async () => {
		const { fetcher } = fakeServer({});
		const { cache } = newCache();
		const error = await cache.fetchDataset(A, { fetcher }).catch((e) => e);
		expect(error).toBeInstanceOf(DatasetFetchError);
		expect(error.message).toBe(`Could not fetch ${A}: ${A} answered 404 Not Found.`);
		expect([error.status, error.code]).toEqual([502, 'upstream_status']);
	});

	it('deletes one dataset, then all of them', async () => {
		const { fetcher } = fakeServer({ [A]: { bytes: data(10) }, [B]: { bytes: data(10) } });
		const { cache, dbName } = newCache();
		await cache.fetchDataset(A, { fetcher });
		await cache.fetchDataset(B, { fetcher });
		expect(await cache.deleteCached(A)).toBe(true);
		expect(await cache.deleteCached(A)).toBe(false);
		expect((await cache.listCached()).map((e) => e.url)).toEqual([B]);
		await cache.clearCache();
		expect(await cache.listCached()).toEqual([]);
		expect(await chunkCount(dbName)).toBe(0);
	});

	it('lowering the limit evicts least recently used datasets at once', async () => {
		const { fetcher } = fakeServer({ [A]: { bytes: data(1000) }, [B]: { bytes: data(1000) } });
		const { cache } = newCache();
		await cache.fetchDataset(A, { fetcher });
		await cache.fetchDataset(B, { fetcher });
		expect(await cache.setLimit(1500)).toEqual([A]);
		await expect(cache.setLimit(0)).rejects.toThrow(/limit must be a positive/);
	});

	it('works without IndexedDB, saying why nothing is cached', async () => {
		const saved = globalThis.indexedDB;
		// @ts-expect-error: a browser without IndexedDB (e.g. some private modes)
		delete globalThis.indexedDB;
		try {
			const bytes = data(100);
			const { fetcher } = fakeServer({ [A]: { bytes } });
			const cache = createDatasetCache({ dbName: 'none' });
			const result = await cache.fetchDataset(A, { fetcher });
			expect(await bytesOf(result.blob)).toEqual(bytes);
			expect(result.notCached?.code).toBe('unavailable');
			expect(await cache.listCached()).toEqual([]);
		} finally {
			globalThis.indexedDB = saved;
		}
	});
});

describe('browserFetchUrl', () => {
	const origin = 'https://sluice.example';
	it('sends remote http(s) URLs through the proxy, encoded', () => {
		expect(browserFetchUrl('https://x.test/a b.csv?q=1&r=2', origin)).toBe(
			'/api/fetch?url=' + encodeURIComponent('https://x.test/a%20b.csv?q=1&r=2')
		);
		expect(browserFetchUrl('http://x.test/d.parquet')).toBe(
			'/api/fetch?url=http%3A%2F%2Fx.test%2Fd.parquet'
		);
	});

	it('fetches same-origin URLs, paths, blob: and data: URLs directly', () => {
		expect(browserFetchUrl('/samples/trips.csv', origin)).toBe('/samples/trips.csv');
		expect(browserFetchUrl('https://sluice.example/samples/a.csv?v=2', origin)).toBe(
			'/samples/a.csv?v=2'
		);
		expect(browserFetchUrl('samples/a.csv', origin)).toBe('/samples/a.csv');
		expect(browserFetchUrl('blob:https://sluice.example/123', origin)).toBe(
			'blob:https://sluice.example/123'
		);
	});

	it('refuses other schemes with a message naming the URL', () => {
		expect(() => browserFetchUrl('ftp://x/a.csv', origin)).toThrow(
			/ftp:\/\/x\/a.csv cannot be fetched/
		);
		expect(() => browserFetchUrl('file:///etc/passwd', origin)).toThrow(TypeError);
	});
});
