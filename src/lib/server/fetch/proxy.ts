// The dataset fetch proxy behind /api/fetch, free of SvelteKit so it is tested directly.
// For each hop: check the scheme, resolve and check every address (vet.ts), connect to the
// checked address (dial.ts); follow at most `maxRedirects` redirects by hand, each re-checked.
// Only a small set of request headers goes out (no cookies, no authorization) and a small set of
// response headers comes back (no Set-Cookie). The body is streamed with backpressure — never
// buffered — and cut off at the size cap or the time cap; once headers are sent a cut-off can
// only abort the stream, so the page sees a body shorter than its Content-Length, and the
// proxy logs why.

import type { IncomingMessage } from 'node:http';
import type { FetchConfig } from './config';
import { dialHttp, HeadersTimeoutError, type Dialer } from './dial';
import { ProxyError, proxyErrors } from './errors';
import { streamBody } from './stream-body';
import { checkScheme, systemResolver, vetUrl, type ResolvedAddress, type Resolver } from './vet';
import { networkReason } from '$lib/nodes/formats/fetch-reason';

/** Request headers passed to the remote server; everything else (cookies, auth) is dropped. */
export const FORWARDED_REQUEST_HEADERS = [
	'range',
	'if-range',
	'if-none-match',
	'if-modified-since',
	'accept'
] as const;

/** Response headers passed back to the page; everything else (Set-Cookie...) is dropped. */
export const RETURNED_RESPONSE_HEADERS = [
	'content-type',
	'content-length',
	'content-range',
	'content-encoding',
	'accept-ranges',
	'etag',
	'last-modified'
] as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Proxied bytes are data, never a page of our origin: no scripts, sandboxed, downloaded. */
const PROXIED_BODY_HEADERS = {
	'content-security-policy': "default-src 'none'; sandbox",
	'content-disposition': 'attachment',
	'cross-origin-resource-policy': 'same-origin',
	'cache-control': 'no-store'
};

export interface ProxyRequest {
	/** The `url` query parameter as given (null when missing). */
	readonly target: string | null;
	readonly method: 'GET' | 'HEAD';
	/** The page's request headers; only FORWARDED_REQUEST_HEADERS are used. */
	readonly headers: Headers;
}

export interface ProxyDeps {
	readonly config: FetchConfig;
	/** Host name resolver (tests inject one); the system resolver by default. */
	readonly resolve?: Resolver;
	/** Connects to a vetted address (tests wrap it); node:http(s) by default. */
	readonly dial?: Dialer;
	/** Where cut-offs and unexpected failures are reported; console.warn by default. */
	readonly log?: (message: string) => void;
}

/** Fetches `req.target` for the page; every failure is a `{ error, code }` JSON response. */
export async function proxyFetch(req: ProxyRequest, deps: ProxyDeps): Promise<Response> {
	const log = deps.log ?? ((m: string) => console.warn(`[sluice /api/fetch] ${m}`));
	const { config } = deps;
	const abort = new AbortController();
	let url: URL | undefined;
	const timer = setTimeout(
		() => abort.abort(proxyErrors.timeout(url?.href ?? '', config.timeoutMs, 'total')),
		config.timeoutMs
	);
	try {
		if (!req.target) throw proxyErrors.missingUrl();
		try {
			url = new URL(req.target);
		} catch {
			throw proxyErrors.badUrl(req.target);
		}
		checkScheme(url);
		const { res, finalUrl } = await follow(url, req, deps, abort.signal);
		return respond(res, finalUrl, url, req.method, config, abort, timer, log);
	} catch (error) {
		clearTimeout(timer);
		abort.abort();
		return errorResponse(toProxyError(error, url, log));
	}
}

/** Sends the request, following redirects by hand; returns the first non-redirect response. */
async function follow(
	start: URL,
	req: ProxyRequest,
	deps: ProxyDeps,
	signal: AbortSignal
): Promise<{ res: IncomingMessage; finalUrl: URL }> {
	const { config } = deps;
	const headers: Record<string, string> = {
		'accept-encoding': 'identity',
		'user-agent': 'Sluice-fetch/1'
	};
	for (const name of FORWARDED_REQUEST_HEADERS) {
		const value = req.headers.get(name);
		if (value !== null) headers[name] = value;
	}
	let url = start;
	for (let redirects = 0; ; redirects++) {
		const targets = await vetUrl(url, config.allow, deps.resolve ?? systemResolver, signal);
		const res = await dialAny(deps.dial ?? dialHttp, url, targets, req.method, headers, {
			signal,
			headersTimeoutMs: config.headersTimeoutMs
		});
		const location = res.headers.location;
		if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || !location) return { res, finalUrl: url };
		res.destroy();
		if (redirects >= config.maxRedirects)
			throw proxyErrors.tooManyRedirects(start.href, config.maxRedirects);
		let next: URL;
		try {
			next = new URL(location, url);
		} catch {
			throw proxyErrors.badRedirect(url.href, location);
		}
		if (next.protocol !== 'http:' && next.protocol !== 'https:')
			throw proxyErrors.badRedirect(url.href, location);
		url = next;
	}
}

/** Connection errors after which the next vetted address of the host is tried. */
const TRY_NEXT = new Set([
	'ECONNREFUSED',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'EADDRNOTAVAIL',
	'EAFNOSUPPORT'
]);

/** Connects to the first vetted address that accepts (e.g. IPv6 first, IPv4 if that fails). */
async function dialAny(
	dial: Dialer,
	url: URL,
	targets: readonly ResolvedAddress[],
	method: 'GET' | 'HEAD',
	headers: Record<string, string>,
	opts: { signal: AbortSignal; headersTimeoutMs: number }
): Promise<IncomingMessage> {
	for (let i = 0; ; i++) {
		const target = targets[i];
		try {
			return await dial({ url, ...target, method, headers, ...opts });
		} catch (error) {
			if (opts.signal.aborted) throw opts.signal.reason;
			if (error instanceof HeadersTimeoutError)
				throw proxyErrors.timeout(url.href, error.ms, 'headers');
			const code = (error as { code?: string }).code;
			if (code && TRY_NEXT.has(code) && i + 1 < targets.length) continue;
			const why = (code && networkReason(code)) ?? code ?? (error as Error).message;
			throw proxyErrors.unreachable(url.href, target.address, why);
		}
	}
}

function respond(
	res: IncomingMessage,
	url: URL,
	original: URL,
	method: 'GET' | 'HEAD',
	config: FetchConfig,
	abort: AbortController,
	timer: ReturnType<typeof setTimeout>,
	log: (message: string) => void
): Response {
	const status = res.statusCode ?? 502;
	if (!((status >= 200 && status < 300) || status === 304)) {
		res.destroy();
		throw proxyErrors.upstreamStatus(url.href, status, res.statusMessage ?? '');
	}
	const headers = new Headers(PROXIED_BODY_HEADERS);
	for (const name of RETURNED_RESPONSE_HEADERS) {
		const value = res.headers[name];
		if (typeof value === 'string') headers.set(name, value);
	}
	if (url.href !== original.href) headers.set('x-sluice-final-url', url.href);
	const length = res.headers['content-length'];
	const expected = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
	const hasBody = method === 'GET' && status !== 304 && status !== 204;
	if (!hasBody) {
		clearTimeout(timer);
		res.destroy();
		return new Response(null, { status, headers });
	}
	if (expected !== undefined && expected > config.maxBytes) {
		res.destroy();
		throw proxyErrors.tooLarge(url.href, config.maxBytes, expected);
	}
	const body = streamBody(res, {
		url: url.href,
		expected,
		maxBytes: config.maxBytes,
		signal: abort.signal,
		done: () => {
			clearTimeout(timer);
			abort.abort();
		},
		log
	});
	return new Response(body, { status, headers });
}

/** Turns anything thrown into a ProxyError; unexpected ones are logged and reported as 502. */
export function toProxyError(error: unknown, url: URL | undefined, log: (m: string) => void) {
	if (error instanceof ProxyError) return error;
	log(`${url?.href ?? '(no url)'}: unexpected failure: ${String(error)}`);
	return proxyErrors.unreachable(url?.href ?? '', url?.hostname ?? '', String(error));
}

/** The `{ error, code }` JSON response for a ProxyError. */
export function errorResponse(error: ProxyError): Response {
	const body: Record<string, unknown> = { error: error.message, code: error.code };
	if (error.upstreamStatus !== undefined) body.upstreamStatus = error.upstreamStatus;
	return Response.json(body, {
		status: error.status,
		headers: { 'cache-control': 'no-store' }
	});
}
