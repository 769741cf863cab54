/** Where a worker pool runs: in a page (which needs a core for itself) or headless. */
export type Host = 'browser' | 'headless';

/** Default number of pool workers: cores - 1 in a page, all cores headless, at least 1. */
export function defaultPoolSize(cores: number | undefined, host: Host): number {
	const n = Number.isFinite(cores) && cores! > 0 ? Math.floor(cores!) : 1;
	return Math.max(1, host === 'browser' ? n - 1 : n);
}
