// Vetting one hop of a fetch: the URL's scheme, its host name, and every address DNS gives for
// it. The caller then connects to the returned address itself — never to the name — so a DNS
// answer that changes between check and connect (rebinding) cannot reach a refused address.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './address-policy';
import { allowsAddress, allowsHost, normalizeHost, type Allowlist } from './config';
import { proxyErrors } from './errors';
import { networkReason } from '$lib/nodes/formats/fetch-reason';

export interface ResolvedAddress {
	readonly address: string;
	readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses. Injected in tests; the system resolver otherwise. */
export type Resolver = (host: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (getaddrinfo), every address, in the order it gives them. */
export const systemResolver: Resolver = async (host) =>
	(await lookup(host, { all: true, verbatim: true })).map((a) => ({
		address: a.address,
		family: a.family === 6 ? 6 : 4
	}));

/** Host names refused without asking DNS: cloud metadata services. */
const METADATA_HOSTS = new Set([
	'metadata',
	'metadata.google.internal',
	'metadata.goog',
	'instance-data',
	'instance-data.ec2.internal'
]);

/** Throws the proxy's 400 error unless `url` is an http(s) URL without credentials. */
export function checkScheme(url: URL): void {
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw proxyErrors.badScheme(url.href, url.protocol);
	if (url.username || url.password) throw proxyErrors.credentialsInUrl(url.href);
}

/**
 * Checks `url` and resolves its host; returns every address (all checked) in the resolver's
 * order, or throws a ProxyError (403 refused, 502 DNS failure, 504 when resolution outlasts
 * `signal`).
 */
export async function vetUrl(
	url: URL,
	allow: Allowlist,
	resolve: Resolver,
	signal: AbortSignal
): Promise<readonly ResolvedAddress[]> {
	checkScheme(url);
	const host = normalizeHost(url.hostname);
	if (!host) throw proxyErrors.badUrl(url.href);
	if (METADATA_HOSTS.has(host))
		throw proxyErrors.refusedHost(url.href, host, 'a cloud metadata service', false);
	const trustedHost = allowsHost(allow, host);
	let addresses: readonly ResolvedAddress[];
	if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
	else if (!trustedHost && (host === 'localhost' || host.endsWith('.localhost')))
		throw proxyErrors.refusedHost(url.href, host, 'this machine (loopback)', true);
	else addresses = await resolveOrFail(url, host, resolve, signal);
	if (addresses.length === 0) throw proxyErrors.dnsFailed(url.href, host, 'no addresses');
	// Every address is checked: a name with one public and one private address is refused, as
	// the system could hand either to a later connection.
	for (const { address } of addresses) {
		const refusal = classifyAddress(address);
		if (!refusal) continue;
		if (!refusal.hard && (trustedHost || allowsAddress(allow, address))) continue;
		throw proxyErrors.refusedAddress(
			url.href,
			host,
			address,
			refusal.label,
			refusal.cidr,
			!refusal.hard
		);
	}
	return addresses;
}

async function resolveOrFail(
	url: URL,
	host: string,
	resolve: Resolver,
	signal: AbortSignal
): Promise<readonly ResolvedAddress[]> {
	signal.throwIfAborted();
	// getaddrinfo cannot be cancelled; racing it against the signal keeps the time cap honest.
	let onAbort = () => {};
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([resolve(host), aborted]);
	} catch (error) {
		if (signal.aborted) throw signal.reason;
		const code = (error as { code?: string }).code;
		const why = (code && networkReason(code)) ?? code ?? (error as Error).message;
		throw proxyErrors.dnsFailed(url.href, host, why);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
