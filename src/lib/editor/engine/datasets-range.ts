// How the editor reads a Parquet file from a URL: a small file is downloaded whole into the
// dataset cache (IndexedDB) and read from there, offline and without a second download after a
// reload; a large one is never downloaded whole: the page and the pool workers read its footer
// and the column chunks they need with HTTP Range requests through the server proxy
// (nodes/parquet/parquet-buffer.ts), and nothing of it is cached.
//
// "Large" is a Content-Length (from a HEAD through the proxy) over RANGE_THRESHOLD_BYTES, unless
// the server says it cannot serve ranges (Accept-Ranges: none). The threshold can be lowered for
// a page with localStorage['sluice:parquet-range-bytes'] (tests use it).
import { browserFetchUrl } from '../../store/dataset-cache';

/** Parquet files by URL larger than this are read by Range requests, not cached: 32 MiB. */
export const RANGE_THRESHOLD_BYTES = 32 * 1024 * 1024;

/** localStorage key of a page's own threshold in bytes (a whole number). */
export const RANGE_THRESHOLD_KEY = 'sluice:parquet-range-bytes';

export type UrlReadMode = 'range' | 'cache';

/** What a HEAD tells about a URL's body. */
export interface UrlHead {
	/** Content-Length, or null when unknown. */
	size: number | null;
	/** False when the server says it serves no ranges (Accept-Ranges: none). */
	ranges: boolean;
}

/** What the source's card says about where its bytes come from. */
export const READ_MODE_NOTES: Readonly<Record<UrlReadMode, string>> = {
	range: 'streamed by range, not cached',
	cache: 'cached'
};

/** Whether a `kind` source reads the URL with `head` by Range requests or from the cache. */
export function urlReadMode(
	kind: string,
	head: UrlHead | null,
	threshold = RANGE_THRESHOLD_BYTES
): UrlReadMode {
	if (kind !== 'parquet' || head === null || head.size === null || !head.ranges) return 'cache';
	return head.size > threshold ? 'range' : 'cache';
}

/** The page's threshold: the localStorage override when it is a whole number >= 0. */
export function rangeThreshold(
	storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage
): number {
	let text: string | null = null;
	try {
		text = storage?.getItem(RANGE_THRESHOLD_KEY) ?? null;
	} catch {
		// Storage can refuse access (privacy settings): keep the default.
	}
	const value = text === null || text.trim() === '' ? NaN : Number(text);
	return Number.isInteger(value) && value >= 0 ? value : RANGE_THRESHOLD_BYTES;
}

/** HEAD of `url` through the proxy; null when it fails (the download path reports why). */
export async function headUrl(url: string, fetcher: typeof fetch = fetch): Promise<UrlHead | null> {
	try {
		const res = await fetcher(browserFetchUrl(url), { method: 'HEAD' });
		if (!res.ok) return null;
		const length = res.headers.get('content-length');
		const size = length !== null && /^\d+$/.test(length.trim()) ? Number(length) : null;
		const ranges = (res.headers.get('accept-ranges') ?? '').trim().toLowerCase() !== 'none';
		return { size, ranges };
	} catch {
		return null;
	}
}
