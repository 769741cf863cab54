// The store's typed errors and the one catalogue of sentences users read about saving: a full
// disk (with what to delete), a save refused because another tab saved first, a missing pipeline.

/** What takes room, largest first, so the user knows what to delete. */
export interface StorageUsage {
	/** The largest pipelines by saved size (characters of JSON), largest first. */
	largest: { id: string; name: string; bytes: number }[];
	/** Run summaries kept across all pipelines. */
	runs: number;
}

/** Human size: 1.2 MB, 34 KB, 12 B. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
	if (bytes >= 1000) return `${Math.round(bytes / 1000)} KB`;
	return `${bytes} B`;
}

export const storeMessages = {
	full: (usage: StorageUsage | null) => {
		const head = 'The browser storage for Sluice is full, so this change is not saved yet.';
		const biggest = (usage?.largest ?? [])
			.slice(0, 3)
			.map((p) => `'${p.name}' (${formatBytes(p.bytes)})`);
		const what = [
			biggest.length > 0 ? `large pipelines: ${biggest.join(', ')}` : null,
			usage && usage.runs > 0 ? `run history (${usage.runs} runs)` : null,
			'cached datasets'
		].filter((x) => x !== null);
		return `${head} Free room by deleting ${what.join('; ')} — your open pipeline stays in this tab.`;
	},
	conflict: (name: string, expected: number, actual: number) =>
		`'${name}' was saved elsewhere (another tab) since this tab loaded it ` +
		`(version ${actual}, this tab has ${expected}); reload it or save this one as a copy`,
	missing: (id: string) => `no pipeline with id '${id}' in the library; it may have been deleted`,
	notInTrash: (name: string) =>
		`'${name}' can no longer be restored: it is not in the trash (emptied, or deleted over 30 days ago)`,
	unavailable: (detail: string) =>
		`the pipeline library is not available in this browser (${detail}); ` +
		`changes are not saved — export the pipeline as JSON to keep it`
};

/** A write the browser refused for lack of room. The data in memory is untouched. */
export class StorageFullError extends Error {
	override readonly name = 'StorageFullError';
	constructor(
		readonly usage: StorageUsage | null,
		readonly cause?: unknown
	) {
		super(storeMessages.full(usage));
	}
}

/** A save whose `expectedVersion` is not the stored one: someone saved in between. */
export class ConflictError extends Error {
	override readonly name = 'ConflictError';
	constructor(
		readonly pipelineId: string,
		readonly expected: number,
		readonly actual: number,
		name: string
	) {
		super(storeMessages.conflict(name, expected, actual));
	}
}

export class NotFoundError extends Error {
	override readonly name = 'NotFoundError';
	constructor(readonly pipelineId: string) {
		super(storeMessages.missing(pipelineId));
	}
}

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

/** True for every way browsers say "out of room": Chromium/Safari's QuotaExceededError (also as
 * legacy code 22), Firefox's NS_ERROR_DOM_QUOTA_REACHED (code 1014), or a wrapped cause. */
export function isQuotaError(error: unknown, depth = 0): boolean {
	if (typeof error !== 'object' || error === null || depth > 3) return false;
	const e = error as { name?: unknown; code?: unknown; cause?: unknown };
	if (typeof e.name === 'string' && QUOTA_NAMES.has(e.name)) return true;
	if (e.code === 22 || e.code === 1014) return true;
	return isQuotaError(e.cause, depth + 1);
}
