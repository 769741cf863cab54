import { describe, expect, it } from 'vitest';
import { browserFetchReason, networkReason } from './fetch-reason';

describe('networkReason', () => {
	it.each([
		['ECONNREFUSED', 'connection refused: nothing accepts connections on that port (ECONNREFUSED)'],
		['ENOTFOUND', 'the host name does not exist (DNS) (ENOTFOUND)'],
		['EAI_AGAIN', 'the host name could not be looked up (DNS did not answer) (EAI_AGAIN)'],
		['ETIMEDOUT', 'the connection timed out (ETIMEDOUT)'],
		['ECONNRESET', 'the connection was reset by the other side (ECONNRESET)'],
		[
			'CERT_HAS_EXPIRED',
			'the TLS handshake failed: its certificate has expired (CERT_HAS_EXPIRED)'
		],
		[
			'DEPTH_ZERO_SELF_SIGNED_CERT',
			'the TLS handshake failed: its certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)'
		],
		[
			'ERR_TLS_CERT_ALTNAME_INVALID',
			'the TLS handshake failed: its certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)'
		]
	])('says what %s means', (code, words) => {
		expect(networkReason(code)).toBe(words);
	});

	it('knows nothing of other codes', () => {
		expect(networkReason('EWHATEVER')).toBeNull();
	});
});

describe('browserFetchReason', () => {
	const failed = new TypeError('Failed to fetch');

	it('blames the app server when the proxy itself cannot be reached', () => {
		expect(browserFetchReason(failed, 'http://127.0.0.1:4173/api/fetch?url=x')).toMatch(
			/^the page could not reach Sluice's server, which fetches/
		);
		expect(browserFetchReason(failed, '/api/fetch?url=x')).toBe(
			"the page could not reach Sluice's server, which fetches remote data for it: is it still running? (Failed to fetch)"
		);
	});

	it('names connection and CORS for a direct cross-origin fetch', () => {
		expect(browserFetchReason(failed, 'https://data.example/a.csv')).toMatch(
			/^the browser could not connect, or the server did not allow this page to read it \(CORS\)/
		);
	});

	it('says a cancelled request was cancelled and passes other errors on', () => {
		expect(browserFetchReason(new DOMException('x', 'AbortError'), '/a')).toBe(
			'the request was cancelled'
		);
		expect(browserFetchReason(new Error('the server answered HTTP 500'), '/a')).toBe(
			'the server answered HTTP 500'
		);
	});
});
