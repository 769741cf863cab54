// Why a fetch failed, in words. Node's fetch says only "fetch failed" and the browser's says
// "Failed to fetch" (Chromium), "NetworkError when attempting to fetch resource." (Firefox) or
// "Load failed" (Safari); the reason is elsewhere or nowhere:
// - on the server (the /api/fetch proxy) and in Node, the socket error's code: `networkReason`
//   turns ECONNREFUSED, ENOTFOUND, a certificate code, ... into what happened;
// - in a browser, the page is told nothing more, by design (a page must not probe networks it
//   cannot read): `browserFetchReason` says what such a failure can be for the URL fetched, which
//   for a remote dataset is the app's own proxy, whose JSON answer carries the real reason.

/** A certificate or TLS code's meaning. */
function tlsReason(code: string): string {
	if (code === 'CERT_HAS_EXPIRED') return 'its certificate has expired';
	if (code.includes('SELF_SIGNED')) return 'its certificate is self-signed';
	if (code.includes('ALTNAME')) return 'its certificate is for another host name';
	if (code.includes('UNABLE_TO_VERIFY') || code.includes('UNABLE_TO_GET_ISSUER'))
		return 'its certificate is not signed by a trusted authority';
	return 'the certificate or protocol was not accepted';
}

const CODES: Record<string, string> = {
	ECONNREFUSED: 'connection refused: nothing accepts connections on that port',
	ENOTFOUND: 'the host name does not exist (DNS)',
	EAI_AGAIN: 'the host name could not be looked up (DNS did not answer)',
	EAI_NONAME: 'the host name does not exist (DNS)',
	ENODATA: 'the host name has no address (DNS)',
	ETIMEDOUT: 'the connection timed out',
	UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
	ECONNRESET: 'the connection was reset by the other side',
	EHOSTUNREACH: 'no route to the host',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending'
};

/** "connection refused: … (ECONNREFUSED)" for a Node network error code; null if unknown. */
export function networkReason(code: string): string | null {
	const words = CODES[code];
	if (words) return `${words} (${code})`;
	if (/CERT|TLS|SSL|EPROTO/.test(code))
		return `the TLS handshake failed: ${tlsReason(code)} (${code})`;
	return null;
}

/** Whether `error` is a browser's bare network failure (fetch rejected with a TypeError). */
function isNetworkFailure(error: unknown): boolean {
	return error instanceof TypeError;
}

/**
 * Why a browser's fetch of `requested` (what was passed to fetch: the proxy's URL or path, a
 * same-origin path or a remote URL) rejected, in words, ending with the browser's own text.
 */
export function browserFetchReason(error: unknown, requested: string): string {
	const text = error instanceof Error ? error.message : String(error);
	if (error instanceof Error && error.name === 'AbortError') return 'the request was cancelled';
	if (!isNetworkFailure(error)) return text;
	if (/^(https?:\/\/[^/]+)?\/api\/fetch\?/.test(requested))
		return `the page could not reach Sluice's server, which fetches remote data for it: is it still running? (${text})`;
	if (requested.startsWith('/') && !requested.startsWith('//'))
		return `the page could not reach Sluice's server: is it still running? (${text})`;
	return (
		'the browser could not connect, or the server did not allow this page to read it (CORS); ' +
		`browsers do not say which: open the URL in a tab to see (${text})`
	);
}
