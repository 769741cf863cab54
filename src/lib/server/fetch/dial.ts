// One outbound HTTP(S) request to an already vetted address. The socket is opened to that IP
// literal (so nothing resolves the name a second time), while the Host header and, for https,
// the TLS servername (SNI and certificate check) carry the URL's host name. Global fetch is not
// used because it would resolve the name again. No agent: no pooled sockets shared between
// users' requests.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { normalizeHost } from './config';

export interface DialRequest {
	readonly url: URL;
	/** The vetted IP address to connect to. */
	readonly address: string;
	readonly family: 4 | 6;
	readonly method: 'GET' | 'HEAD';
	/** Request headers, already filtered to the proxy's allowlist. */
	readonly headers: Readonly<Record<string, string>>;
	/** Aborts the connection (time cap, client gone). */
	readonly signal: AbortSignal;
	/** Connect + response headers must arrive within this many ms. */
	readonly headersTimeoutMs: number;
}

/** Opens the connection and resolves with the response once its headers arrive. */
export type Dialer = (req: DialRequest) => Promise<IncomingMessage>;

/** Raised by the dialer when the headers timeout passes. */
export class HeadersTimeoutError extends Error {
	constructor(readonly ms: number) {
		super(`no response headers within ${ms} ms`);
		this.name = 'HeadersTimeoutError';
	}
}

/** The real dialer: node:http / node:https to the vetted address. */
export const dialHttp: Dialer = (req) =>
	new Promise((resolve, reject) => {
		const secure = req.url.protocol === 'https:';
		const host = normalizeHost(req.url.hostname);
		const send = secure ? httpsRequest : httpRequest;
		const outgoing = send({
			host: req.address,
			family: req.family,
			port: req.url.port ? Number(req.url.port) : secure ? 443 : 80,
			method: req.method,
			path: req.url.pathname + req.url.search,
			headers: { ...req.headers, host: req.url.host },
			agent: false,
			signal: req.signal,
			// SNI and certificate identity use the name, never the address we connect to.
			...(secure && !isIP(host) ? { servername: host } : {})
		});
		const timer = setTimeout(
			() => outgoing.destroy(new HeadersTimeoutError(req.headersTimeoutMs)),
			req.headersTimeoutMs
		);
		outgoing.once('response', (res) => {
			clearTimeout(timer);
			resolve(res);
		});
		outgoing.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		outgoing.end();
	});
