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

export const SECURITY_HEADERS = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin',
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Content-Security-Policy': DEFAULT_CSP
};

/**
 * Connect-style middleware. Sets the headers before the rest of the stack runs; a page's own
 * CSP (with Kit's script hashes) replaces the default when SvelteKit writes its head.
 * @param {import('node:http').IncomingMessage} _req
 * @param {import('node:http').ServerResponse} res
 * @param {() => void} next
 */
export function securityHeaders(_req, res, next) {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
	next();
}
