// Which URL the page fetches for a dataset URL. Remote datasets go through the app's server
// proxy (no CORS trouble, and the server refuses private networks); the app's own files are
// fetched directly.
import { datasetCacheMessages } from './dataset-cache-messages';

/**
 * The URL the browser fetches for a dataset URL: remote http(s) URLs go through the server's
 * proxy (`/api/fetch?url=…`); same-origin URLs, paths, blob: and data: URLs are fetched as they are.
 */
export function browserFetchUrl(url: string, origin = globalThis.location?.origin): string {
	if (url.startsWith('/') && !url.startsWith('//')) return url;
	let parsed: URL;
	try {
		parsed = origin ? new URL(url, origin) : new URL(url);
	} catch {
		throw new TypeError(datasetCacheMessages.badUrl(url));
	}
	if (parsed.protocol === 'blob:' || parsed.protocol === 'data:') return url;
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
		throw new TypeError(datasetCacheMessages.badUrl(url));
	if (origin && parsed.origin === origin) return parsed.pathname + parsed.search;
	return `/api/fetch?url=${encodeURIComponent(parsed.href)}`;
}
