// The fetch proxy's errors: one class carrying the HTTP status and a stable code, and one
// catalogue of message builders so every refusal is worded the same way and names the URL,
// the address and what to do. The route turns a ProxyError into `{ error, code }` JSON.

export type ProxyErrorCode =
	| 'missing_url'
	| 'bad_url'
	| 'bad_scheme'
	| 'credentials_in_url'
	| 'refused_host'
	| 'refused_address'
	| 'dns_failed'
	| 'upstream_unreachable'
	| 'upstream_status'
	| 'too_many_redirects'
	| 'bad_redirect'
	| 'timeout'
	| 'too_large'
	| 'truncated'
	| 'bad_config';

/** A failure the proxy reports to the page: HTTP status, stable code, readable message. */
export class ProxyError extends Error {
	constructor(
		readonly status: number,
		readonly code: ProxyErrorCode,
		message: string,
		/** The upstream status for `upstream_status`, otherwise undefined. */
		readonly upstreamStatus?: number
	) {
		super(message);
		this.name = 'ProxyError';
	}
}

const ALLOW_HINT = 'If this deployment trusts that network, add it to SLUICE_FETCH_ALLOW.';

/** Formats a byte count for messages: "2 GiB", "512 MiB", "1000 bytes". */
export function formatBytes(bytes: number): string {
	const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1 && value % 1 === 0) {
		value /= 1024;
		unit++;
	}
	return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

export const proxyErrors = {
	missingUrl: () =>
		new ProxyError(
			400,
			'missing_url',
			'/api/fetch needs a url query parameter, e.g. /api/fetch?url=https%3A%2F%2Fexample.com%2Fdata.csv'
		),
	badUrl: (text: string) =>
		new ProxyError(
			400,
			'bad_url',
			`"${text}" is not a valid URL: give an absolute http:// or https:// URL.`
		),
	badScheme: (url: string, scheme: string) =>
		new ProxyError(
			400,
			'bad_scheme',
			`${url}: only http and https URLs can be fetched, not ${scheme.replace(/:$/, '')}.`
		),
	credentialsInUrl: (url: string) =>
		new ProxyError(
			400,
			'credentials_in_url',
			`${url}: the URL carries a user name or password; the fetch proxy never forwards credentials. Remove them or download the file and open it from disk.`
		),
	refusedHost: (url: string, host: string, what: string, allowable: boolean) =>
		new ProxyError(
			403,
			'refused_host',
			`${url}: the host ${host} is ${what}; the fetch proxy refuses it.${allowable ? ' ' + ALLOW_HINT : ''}`
		),
	refusedAddress: (
		url: string,
		host: string,
		address: string,
		label: string,
		cidr: string,
		allowable: boolean
	) =>
		new ProxyError(
			403,
			'refused_address',
			`${url}: ${host === address ? 'the address' : `${host} resolves to`} ${address}, ${label} (${cidr}); the fetch proxy refuses it.${allowable ? ' ' + ALLOW_HINT : ''}`
		),
	dnsFailed: (url: string, host: string, reason: string) =>
		new ProxyError(502, 'dns_failed', `${url}: could not resolve the host ${host} (${reason}).`),
	unreachable: (url: string, address: string, reason: string) =>
		new ProxyError(
			502,
			'upstream_unreachable',
			`${url}: could not get a response from ${address} (${reason}).`
		),
	upstreamStatus: (url: string, status: number, text: string) =>
		new ProxyError(
			502,
			'upstream_status',
			`${url} answered ${status}${text ? ' ' + text : ''}.`,
			status
		),
	tooManyRedirects: (url: string, max: number) =>
		new ProxyError(
			502,
			'too_many_redirects',
			`${url}: more than ${max} redirects; the fetch proxy follows at most ${max}.`
		),
	badRedirect: (url: string, location: string) =>
		new ProxyError(
			502,
			'bad_redirect',
			`${url} redirected to "${location}", which is not an http or https URL.`
		),
	timeout: (url: string, ms: number, phase: 'headers' | 'total') =>
		new ProxyError(
			504,
			'timeout',
			phase === 'headers'
				? `${url}: no response within ${ms / 1000} s (the proxy's connect and headers timeout).`
				: `${url}: the transfer took longer than the time cap of ${ms / 1000} s (SLUICE_FETCH_TIMEOUT_MS) and was cut off.`
		),
	tooLarge: (url: string, max: number, announced?: number) =>
		new ProxyError(
			413,
			'too_large',
			announced !== undefined
				? `${url} is ${formatBytes(announced)}, over the size cap of ${formatBytes(max)} (SLUICE_FETCH_MAX_BYTES).`
				: `${url}: the body passed the size cap of ${formatBytes(max)} (SLUICE_FETCH_MAX_BYTES) and was cut off.`
		),
	truncated: (url: string, received: number, expected: number) =>
		new ProxyError(
			502,
			'truncated',
			`${url}: the upstream connection closed after ${received} of ${expected} bytes.`
		),
	badConfig: (name: string, detail: string) =>
		new ProxyError(500, 'bad_config', `${name} is misconfigured: ${detail}`)
};
