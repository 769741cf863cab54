// The dataset cache: datasets fetched by URL kept in IndexedDB ('sluice-datasets') so a reload
// or a second run does not download them again. Each fetch revalidates the cached copy with
// If-None-Match / If-Modified-Since (a 304 serves the cached bytes); a new body is streamed
// into the cache while it downloads (dataset-cache-writer.ts). The cache has a size limit and
// evicts least recently used datasets; a dataset larger than the limit, or one the browser has
// no room for, is still served, with the reason it was not kept. If the network fails and a
// cached copy exists, the copy is served and marked stale. Framework-free; the fetch function
// is injected (tests, workers).
import {
	clearAll,
	deleteEntry,
	entriesByUse,
	makeRoom,
	openDatasetDb,
	readBlob,
	touchEntry,
	DATASET_DB_NAME,
	type DatasetDb,
	type DatasetEntry
} from './dataset-cache-db';
import { datasetCacheMessages } from './dataset-cache-messages';
import { browserFetchUrl } from './dataset-cache-url';
import { DatasetWriter, type CacheSkip } from './dataset-cache-writer';
import { browserFetchReason } from '../nodes/formats/fetch-reason';

export type { CacheSkip } from './dataset-cache-writer';
export { formatSize } from './dataset-cache-messages';
export { browserFetchUrl } from './dataset-cache-url';

export const DEFAULT_CACHE_LIMIT = 1024 ** 3;
const CHUNK_BYTES = 4 * 1024 * 1024;

/** What the cache list shows for one dataset. */
export type CachedDataset = Omit<DatasetEntry, 'blobId' | 'chunkCount'>;

export interface DatasetResult extends CachedDataset {
	blob: Blob;
	/** network: downloaded now; revalidated: the server said 304; cache: not asked (stale/fresh). */
	source: 'network' | 'revalidated' | 'cache';
	/** True when the bytes are in the cache after this call. */
	cached: boolean;
	/** Why a downloaded dataset was not kept in the cache. */
	notCached?: CacheSkip;
	/** Set when a cached copy was served because the network failed: the message to show. */
	stale?: string;
}

export interface FetchDatasetOptions {
	/** The fetch function (defaults to the global fetch). */
	fetcher?: typeof fetch;
	onProgress?: (progress: { loaded: number; total?: number }) => void;
	signal?: AbortSignal;
	/** Serve a copy validated less than this long ago without asking the server (default 0). */
	maxAgeMs?: number;
}

/** A fetch failed and no cached copy could stand in; `status`/`code` come from the server. */
export class DatasetFetchError extends Error {
	constructor(
		readonly url: string,
		reason: string,
		readonly status?: number,
		readonly code?: string
	) {
		super(datasetCacheMessages.fetchFailed(url, reason));
		this.name = 'DatasetFetchError';
	}
}

export interface DatasetCacheOptions {
	dbName?: string;
	limitBytes?: number;
	/** Clock for fetchedAt/lastUsedAt (tests make it deterministic). */
	now?: () => number;
	chunkBytes?: number;
}

const publicView = ({ blobId: _b, chunkCount: _c, ...rest }: DatasetEntry): CachedDataset => rest;

/** Reads the `{ error }` the proxy answers with, or the status line. */
async function failureReason(res: Response): Promise<{ reason: string; code?: string }> {
	try {
		const body = (await res.json()) as { error?: string; code?: string };
		if (body.error) return { reason: body.error, code: body.code };
	} catch {
		// not the proxy's JSON
	}
	return { reason: `the server answered ${res.status} ${res.statusText}`.trim() };
}

export function createDatasetCache(options: DatasetCacheOptions = {}) {
	const dbName = options.dbName ?? DATASET_DB_NAME;
	const now = options.now ?? Date.now;
	let limitBytes = options.limitBytes ?? DEFAULT_CACHE_LIMIT;
	let opening: Promise<DatasetDb> | undefined;
	const db = () => (opening ??= openDatasetDb(dbName, () => (opening = undefined)));
	/** The database, or the reason it cannot be used (the fetch works without it). */
	const tryDb = async (): Promise<DatasetDb | string> => {
		try {
			return await db();
		} catch (error) {
			opening = undefined;
			return error instanceof Error ? error.message : String(error);
		}
	};

	async function hit(d: DatasetDb, url: string, fields: Partial<DatasetEntry>) {
		const entry = await touchEntry(d, url, { lastUsedAt: now(), ...fields });
		const blob = entry && (await readBlob(d, entry));
		return entry && blob ? { entry, blob } : undefined;
	}

	async function download(
		url: string,
		res: Response,
		d: DatasetDb | string,
		opts: FetchDatasetOptions
	) {
		const length = Number(res.headers.get('content-length') ?? NaN);
		const total = Number.isFinite(length) ? length : undefined;
		const writer = new DatasetWriter(
			typeof d === 'string' ? undefined : d,
			{
				url,
				limitBytes,
				chunkBytes: options.chunkBytes ?? CHUNK_BYTES,
				blobId: crypto.randomUUID()
			},
			typeof d === 'string' ? d : undefined
		);
		await writer.start(total);
		try {
			if (res.body) {
				const reader = res.body.getReader();
				for (;;) {
					const { done, value } = await reader.read();
					if (done) break;
					await writer.push(value);
					opts.onProgress?.({ loaded: writer.size, total });
				}
			}
		} catch (error) {
			await writer.abort().catch(() => {});
			if (opts.signal?.aborted) throw error;
			throw new DatasetFetchError(
				url,
				`the download broke off after ${writer.size} bytes (${String(error)})`
			);
		}
		const at = now();
		const { blob, entry } = await writer.finish({
			contentType: res.headers.get('content-type') ?? '',
			etag: res.headers.get('etag') ?? undefined,
			lastModified: res.headers.get('last-modified') ?? undefined,
			fetchedAt: at,
			validatedAt: at,
			lastUsedAt: at
		});
		const base: CachedDataset = entry
			? publicView(entry)
			: {
					url,
					size: blob.size,
					contentType: blob.type,
					etag: res.headers.get('etag') ?? undefined,
					lastModified: res.headers.get('last-modified') ?? undefined,
					fetchedAt: at,
					validatedAt: at,
					lastUsedAt: at
				};
		const result: DatasetResult = { ...base, blob, source: 'network', cached: !!entry };
		if (writer.skip) result.notCached = writer.skip;
		return result;
	}

	async function fetchDataset(url: string, opts: FetchDatasetOptions = {}): Promise<DatasetResult> {
		const fetcher = opts.fetcher ?? fetch;
		const d = await tryDb();
		const cached = typeof d === 'string' ? undefined : await d.get('entries', url);
		if (
			cached &&
			typeof d !== 'string' &&
			opts.maxAgeMs &&
			now() - cached.validatedAt < opts.maxAgeMs
		) {
			const found = await hit(d, url, {});
			if (found)
				return { ...publicView(found.entry), blob: found.blob, source: 'cache', cached: true };
		}
		const headers: Record<string, string> = {};
		if (cached?.etag) headers['if-none-match'] = cached.etag;
		if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
		const stale = async (reason: string): Promise<DatasetResult | undefined> => {
			const found = cached && typeof d !== 'string' ? await hit(d, url, {}) : undefined;
			if (!found) return undefined;
			const message = datasetCacheMessages.stale(url, found.entry.fetchedAt, reason);
			return {
				...publicView(found.entry),
				blob: found.blob,
				source: 'cache',
				cached: true,
				stale: message
			};
		};
		let res: Response;
		const requested = browserFetchUrl(url);
		try {
			res = await fetcher(requested, { headers, signal: opts.signal });
		} catch (error) {
			if (opts.signal?.aborted) throw error;
			const reason = browserFetchReason(error, requested);
			const fallback = await stale(reason);
			if (fallback) return fallback;
			throw new DatasetFetchError(url, reason);
		}
		if (res.status === 304 && cached && typeof d !== 'string') {
			const found = await hit(d, url, { validatedAt: now() });
			if (found)
				return {
					...publicView(found.entry),
					blob: found.blob,
					source: 'revalidated',
					cached: true
				};
			// The entry vanished meanwhile (another tab cleared it): download it again.
			return fetchDataset(url, { ...opts, maxAgeMs: 0 });
		}
		if (!res.ok) {
			const { reason, code } = await failureReason(res);
			const fallback = res.status >= 500 ? await stale(reason) : undefined;
			if (fallback) return fallback;
			throw new DatasetFetchError(url, reason, res.status, code);
		}
		try {
			return await download(url, res, d, opts);
		} catch (error) {
			if (!(error instanceof DatasetFetchError)) throw error;
			const fallback = await stale(error.message);
			if (fallback) return fallback;
			throw error;
		}
	}

	return {
		/** The cached copy of `url` (marked as used now), or undefined. */
		async getCached(url: string): Promise<{ dataset: CachedDataset; blob: Blob } | undefined> {
			const d = await tryDb();
			if (typeof d === 'string') return undefined;
			const found = await hit(d, url, {});
			return found && { dataset: publicView(found.entry), blob: found.blob };
		},

		/** Fetches `url` through the cache (see the module header). */
		fetchDataset,

		/** Every cached dataset, most recently used first. */
		async listCached(): Promise<CachedDataset[]> {
			const d = await tryDb();
			if (typeof d === 'string') return [];
			return (await entriesByUse(d)).reverse().map(publicView);
		},

		/** Deletes one cached dataset; false when it was not cached. */
		async deleteCached(url: string): Promise<boolean> {
			const d = await tryDb();
			return typeof d === 'string' ? false : deleteEntry(d, url);
		},

		/** Deletes every cached dataset. */
		async clearCache(): Promise<void> {
			const d = await tryDb();
			if (typeof d !== 'string') await clearAll(d);
		},

		/** Bytes used, datasets kept and the limit. */
		async usage(): Promise<{ bytes: number; count: number; limitBytes: number }> {
			const d = await tryDb();
			const all = typeof d === 'string' ? [] : await entriesByUse(d);
			return { bytes: all.reduce((s, e) => s + e.size, 0), count: all.length, limitBytes };
		},

		/** Changes the limit, evicting least recently used datasets at once to fit it. */
		async setLimit(bytes: number): Promise<string[]> {
			if (!(bytes > 0))
				throw new RangeError('the dataset cache limit must be a positive byte count');
			limitBytes = bytes;
			const d = await tryDb();
			return typeof d === 'string' ? [] : (await makeRoom(d, 0, bytes, new Set())).evicted;
		},

		/** Closes the database (tests; a page never needs to). */
		async close(): Promise<void> {
			const d = await tryDb();
			if (typeof d !== 'string') d.close();
			opening = undefined;
		}
	};
}

export type DatasetCache = ReturnType<typeof createDatasetCache>;

let shared: DatasetCache | undefined;
/** The page's dataset cache ('sluice-datasets', 1 GiB). */
export const datasetCache = (): DatasetCache => (shared ??= createDatasetCache());

export const getCached = (url: string) => datasetCache().getCached(url);
export const fetchDataset = (url: string, opts?: FetchDatasetOptions) =>
	datasetCache().fetchDataset(url, opts);
export const listCached = () => datasetCache().listCached();
export const deleteCached = (url: string) => datasetCache().deleteCached(url);
export const clearCache = () => datasetCache().clearCache();
