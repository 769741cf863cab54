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

/**
 * What the UI tells the user about the transport, or null when there is nothing to say. The
 * reason names what is missing: some browsers isolate the page and still provide no
 * SharedArrayBuffer (WebKit builds without it enabled), which is not the server's fault.
 */
export function transportNotice(
	transport: Transport,
	scope: TransportScope = globalThis as TransportScope
): string | null {
	if (transport !== 'message') return null;
	const why =
		scope.crossOriginIsolated === false
			? 'This page is not cross-origin isolated'
			: 'This browser provides no SharedArrayBuffer here';
	return `${why}, so workers exchange batches by message passing (slower).`;
}
