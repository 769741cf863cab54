// Headers every response of Sluice carries, in dev, preview and production alike.
// SharedArrayBuffer exists only on cross-origin isolated pages, and a dedicated worker is
// isolated only if its own script response carries these headers too: that is why they are
// applied by a middleware in front of everything (static files, worker chunks, pages) rather
// than in hooks.server.ts, which never sees static assets.

/** Content-Security-Policy for pages; SvelteKit adds the hash of its inline bootstrap script. */
export const PAGE_CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	'worker-src': ['self'],
	'style-src': ['self', 'unsafe-inline'],
	'img-src': ['self', 'data:', 'blob:'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	'frame-ancestors': ['none']
};

/** The same policy as a header value, for responses SvelteKit does not render (assets, workers). */
export const DEFAULT_CSP = Object.entries(PAGE_CSP_DIRECTIVES)
	.map(([name, sources]) =>
		[name, ...sources.map((s) => (s.includes(':') || s.includes('.') ? s : `'${s}'`))].join(' ')
	)
	.join('; ');

/** Headers every response carries. */
export const SECURITY_HEADERS = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin',
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer'
};

/**
 * Connect-style middleware. Sets the isolation headers before the rest of the stack runs, and
 * the default CSP on every response that has none when its head is written (SvelteKit renders
 * its pages with their own CSP, carrying the hashes of their inline scripts; a 304 gets none).
 * @param {{ skipHtml?: boolean }} [options] `skipHtml`: leave HTML without a CSP alone — only for
 *   `vite dev`, whose reload page (not rendered by Kit) has an inline script the default CSP
 *   would block. Production and preview put the default CSP on every HTML page that lacks one
 *   (SvelteKit's static error page has no script to block).
 */
export function createSecurityHeaders({ skipHtml = false } = {}) {
	/**
	 * @param {import('node:http').IncomingMessage} _req
	 * @param {import('node:http').ServerResponse} res
	 * @param {() => void} next
	 */
	return function securityHeaders(_req, res, next) {
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
		const writeHead = res.writeHead;
		/** @type {any} */ (res).writeHead = function (/** @type {any[]} */ ...args) {
			const headers = args.find((a, i) => i > 0 && a && typeof a === 'object');
			const given = (/** @type {string} */ name) => {
				if (res.hasHeader(name)) return String(res.getHeader(name));
				if (Array.isArray(headers)) {
					for (let i = 0; i < headers.length; i += 2) {
						if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
					}
					return undefined;
				}
				if (headers) {
					for (const [k, v] of Object.entries(headers))
						if (k.toLowerCase() === name) return String(v);
				}
				return undefined;
			};
			// A 304's headers update the cached response: a default CSP there would replace the
			// cached page's own (hashed) policy, so revalidations get none.
			const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
			if (status !== 304 && given('content-security-policy') === undefined) {
				const html = (given('content-type') ?? '').includes('text/html');
				if (!(html && skipHtml)) res.setHeader('Content-Security-Policy', DEFAULT_CSP);
			}
			return writeHead.apply(this, /** @type {any} */ (args));
		};
		next();
	};
}

/** The middleware for production and `vite preview`: every response gets the full header set. */
export const securityHeaders = createSecurityHeaders();

/** Node's own answers to a request it could not parse, by the parser's error code. */
const CLIENT_ERROR_STATUS = {
	HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
	HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large'],
	ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout']
};

/**
 * A `clientError` listener for an http.Server: Node answers a request it cannot parse (an unknown
 * method, a 100 KB URL, a timeout) straight on the socket, before any middleware runs, with no
 * headers at all. This writes the same status with the full header set instead.
 * @param {Error & { code?: string }} error
 * @param {import('node:stream').Duplex} socket
 */
export function answerClientError(error, socket) {
	// Nothing can be answered on a reset socket or after a response has started.
	if (error.code === 'ECONNRESET' || !socket.writable || /** @type {any} */ (socket).bytesWritten) {
		socket.destroy();
		return;
	}
	const [status, reason] = CLIENT_ERROR_STATUS[
		/** @type {keyof typeof CLIENT_ERROR_STATUS} */ (error.code)
	] ?? [400, 'Bad Request'];
	const body = `${reason}\n`;
	const head = [
		`HTTP/1.1 ${status} ${reason}`,
		...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
		`Content-Security-Policy: ${DEFAULT_CSP}`,
		'Content-Type: text/plain; charset=utf-8',
		`Content-Length: ${Buffer.byteLength(body)}`,
		'Connection: close'
	];
	socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
