// The fetch proxy's settings, read from environment variables:
//   SLUICE_FETCH_ALLOW               comma-separated CIDRs, addresses and host names a deployment
//                                    trusts (e.g. `10.0.0.0/8,data.internal,*.corp.example`)
//   SLUICE_FETCH_MAX_BYTES           size cap per response (bytes, or with a unit: 500MB, 2GiB)
//   SLUICE_FETCH_TIMEOUT_MS          time cap for a whole transfer, body included
//   SLUICE_FETCH_HEADERS_TIMEOUT_MS  time to connect and receive the response headers, per hop
// A bad value throws a RangeError naming the variable, so a misconfigured deployment says so.

import { embeddedIpv4, inCidr, parseCidr, parseIp, type Cidr } from './address-policy';

export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
export const MAX_REDIRECTS = 5;

/** Networks and host names a deployment trusts despite the address policy. */
export interface Allowlist {
	readonly cidrs: readonly Cidr[];
	/** Exact host names, and suffixes (from `*.example.com`) stored as `.example.com`. */
	readonly hosts: readonly string[];
}

export interface FetchConfig {
	readonly allow: Allowlist;
	readonly maxBytes: number;
	readonly timeoutMs: number;
	readonly headersTimeoutMs: number;
	readonly maxRedirects: number;
}

export type Env = Record<string, string | undefined>;

/** Lower-case, no brackets, no trailing dots: the form host names are compared in. */
export function normalizeHost(host: string): string {
	return host
		.replace(/^\[|\]$/g, '')
		.replace(/\.+$/, '')
		.toLowerCase();
}

/** Parses SLUICE_FETCH_ALLOW. */
export function parseAllowlist(text: string | undefined, name = 'SLUICE_FETCH_ALLOW'): Allowlist {
	const cidrs: Cidr[] = [];
	const hosts: string[] = [];
	for (const raw of (text ?? '').split(',')) {
		const entry = raw.trim();
		if (!entry) continue;
		const cidr = parseCidr(entry);
		if (cidr) cidrs.push(cidr);
		else if (/^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(entry))
			hosts.push(entry.startsWith('*.') ? normalizeHost(entry.slice(1)) : normalizeHost(entry));
		else
			throw new RangeError(
				`${name}: "${entry}" is neither a CIDR (10.0.0.0/8), an address nor a host name`
			);
	}
	return { cidrs, hosts };
}

/** True when the deployment trusts this host name (exactly, or by a `*.` suffix). */
export function allowsHost(allow: Allowlist, host: string): boolean {
	const h = normalizeHost(host);
	return allow.hosts.some((a) => (a.startsWith('.') ? h.endsWith(a) : h === a));
}

/** True when the deployment trusts this address (an IPv4-mapped address counts as its IPv4). */
export function allowsAddress(allow: Allowlist, address: string): boolean {
	const bytes = parseIp(address);
	if (!bytes) return false;
	const v4 = embeddedIpv4(bytes);
	return allow.cidrs.some((c) => inCidr(bytes, c) || (v4 !== undefined && inCidr(v4, c)));
}

const UNITS: Record<string, number> = {
	'': 1,
	b: 1,
	kb: 1e3,
	mb: 1e6,
	gb: 1e9,
	tb: 1e12,
	kib: 1024,
	mib: 1024 ** 2,
	gib: 1024 ** 3,
	tib: 1024 ** 4
};

/** Parses "2147483648", "500MB" or "2 GiB" into bytes. */
export function parseByteSize(text: string, name: string): number {
	const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
	const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
	if (!m || unit === undefined || Number(m[1]) * unit < 1)
		throw new RangeError(`${name} must be a positive size such as 500MB or 2GiB, not "${text}"`);
	return Math.floor(Number(m[1]) * unit);
}

function positiveMs(text: string, name: string): number {
	const n = Number(text);
	if (!/^\s*\d+\s*$/.test(text) || n <= 0)
		throw new RangeError(`${name} must be a positive number of milliseconds, not "${text}"`);
	return n;
}

/** Reads the proxy's settings from `env`; throws a RangeError naming a bad variable. */
export function loadFetchConfig(env: Env): FetchConfig {
	const get = (name: string) => (env[name]?.trim() ? env[name] : undefined);
	const max = get('SLUICE_FETCH_MAX_BYTES');
	const total = get('SLUICE_FETCH_TIMEOUT_MS');
	const headers = get('SLUICE_FETCH_HEADERS_TIMEOUT_MS');
	return {
		allow: parseAllowlist(get('SLUICE_FETCH_ALLOW')),
		maxBytes: max ? parseByteSize(max, 'SLUICE_FETCH_MAX_BYTES') : DEFAULT_MAX_BYTES,
		timeoutMs: total ? positiveMs(total, 'SLUICE_FETCH_TIMEOUT_MS') : DEFAULT_TIMEOUT_MS,
		headersTimeoutMs: headers
			? positiveMs(headers, 'SLUICE_FETCH_HEADERS_TIMEOUT_MS')
			: DEFAULT_HEADERS_TIMEOUT_MS,
		maxRedirects: MAX_REDIRECTS
	};
}
