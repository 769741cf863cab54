// Which transport a run uses: shared memory when the page may have it, message passing when
// it may not. Framework-free; the UI shows `transportNotice` when it is not null.

export type Transport = 'shared' | 'message';

interface TransportScope {
	crossOriginIsolated?: boolean;
	SharedArrayBuffer?: unknown;
}

/**
 * 'shared' iff the scope is not known to lack cross-origin isolation and has SharedArrayBuffer.
 * Node has no `crossOriginIsolated` and always has SharedArrayBuffer, so it is always 'shared'.
 */
export function chooseTransport(scope: TransportScope = globalThis as TransportScope): Transport {
	return scope.crossOriginIsolated !== false && typeof scope.SharedArrayBuffer === 'function'
		? 'shared'
		: 'message';
}

/** What the UI tells the user about the transport, or null when there is nothing to say. */
export function transportNotice(transport: Transport): string | null {
	return transport === 'message'
		? 'This page is not cross-origin isolated, so workers exchange batches by message passing (slower).'
		: null;
}
