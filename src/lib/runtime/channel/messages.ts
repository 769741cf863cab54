// Messages the ring channel stores with fail(): one builder each, so wording stays consistent.

/** Integrity mode found block bytes that changed between push and pop. */
export function integrityFailed(edge: string, seq: number, expected: number, got: number): string {
	return `integrity check failed on edge ${edge} at batch ${seq}: expected ${hex(expected)}, got ${hex(got)}`;
}

/** Integrity mode could not read the block at all (e.g. a handle the pool does not know). */
export function integrityUnreadable(edge: string, seq: number, cause: unknown): string {
	const reason = cause instanceof Error ? cause.message : String(cause);
	return `integrity check failed on edge ${edge} at batch ${seq}: block unreadable (${reason})`;
}

function hex(value: number): string {
	return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}
