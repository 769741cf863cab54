/** Where a worker pool runs: in a page (which needs a core for itself) or headless. */
export type Host = 'browser' | 'headless';

/** Cores as a whole number of at least 1 (an unknown or bogus count counts as 1). */
function coreCount(cores: number | undefined): number {
	return Number.isFinite(cores) && cores! > 0 ? Math.floor(cores!) : 1;
}

/** Default number of pool workers: cores - 1 in a page, all cores headless, at least 1. */
export function defaultPoolSize(cores: number | undefined, host: Host): number {
	const n = coreCount(cores);
	return Math.max(1, host === 'browser' ? n - 1 : n);
}

/** The pool size a run gets, and whether a request was lowered to it. */
export interface PoolSize {
	size: number;
	cores: number;
	/** The number asked for, when it was more than the cores available (and so lowered). */
	lowered?: number;
}

/**
 * The pool size for `requested` workers (undefined: the default): never more workers than
 * cores, since a worker beyond them only adds start-up time and memory (each loads the whole
 * engine) while stages wait for a core anyway.
 */
export function choosePoolSize(
	requested: number | undefined,
	cores: number | undefined,
	host: Host
): PoolSize {
	const n = coreCount(cores);
	if (requested === undefined) return { size: defaultPoolSize(n, host), cores: n };
	if (requested > n) return { size: n, cores: n, lowered: requested };
	return { size: Math.max(1, Math.floor(requested)), cores: n };
}

/** "--workers 64 lowered to 2: this machine has 2 cores" (the CLI says `--workers`). */
export function loweredPoolText(choice: PoolSize, what = 'workers'): string | null {
	if (choice.lowered === undefined) return null;
	const cores = `${choice.cores} core${choice.cores === 1 ? '' : 's'}`;
	return `${what} ${choice.lowered} lowered to ${choice.size}: this machine has ${cores}`;
}
