// The sentences the dataset cache shows the user: why a dataset was not kept, why a fetch failed,
// and why a cached copy was used instead. Each names the URL and says what to do.

/** "1.5 GB", "12 MB", "340 KB", "12 B" (decimal units, as storage settings show them). */
export function formatSize(bytes: number): string {
	if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
	if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
	if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} KB`;
	return `${bytes} B`;
}

export const datasetCacheMessages = {
	tooBig: (url: string, limit: number) =>
		`${url} is larger than the dataset cache (${formatSize(limit)}), so it was loaded but not ` +
		`cached; it will be downloaded again next time. Raise the cache limit to keep it.`,
	quota: (url: string, detail: string) =>
		`${url} was loaded but not cached: the browser's storage for Sluice is full (${detail}). ` +
		`Delete cached datasets to make room.`,
	writeFailed: (url: string, detail: string) =>
		`${url} was loaded but not cached: the browser refused to store it (${detail}).`,
	unavailable: (url: string, detail: string) =>
		`${url} was loaded but not cached: the dataset cache is not available in this browser (${detail}).`,
	stale: (url: string, fetchedAt: number, reason: string) =>
		`Using the copy of ${url} cached on ${new Date(fetchedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC: ` +
		`it could not be checked for a newer version (${reason}).`,
	fetchFailed: (url: string, reason: string) => `Could not fetch ${url}: ${reason}`,
	badUrl: (url: string) =>
		`${url} cannot be fetched: give an http(s) URL, a path on this site, or a blob:/data: URL.`
};
