import { createSecureContext } from 'node:tls';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFetchConfig } from './config';
import { dialHttp } from './dial';
import { proxyFetch } from './proxy';
import { TEST_CERT, TEST_KEY } from './testing/tls-fixture';

// https to a vetted address: the socket goes to the IP, while SNI names the host, and the
// certificate is verified (a self-signed one is refused).
describe('the https dialer', () => {
	let server: Server;
	let port: number;
	const sniNames: string[] = [];
	beforeAll(async () => {
		const context = createSecureContext({ cert: TEST_CERT, key: TEST_KEY });
		server = createServer(
			{
				cert: TEST_CERT,
				key: TEST_KEY,
				SNICallback: (name, cb) => {
					sniNames.push(name);
					cb(null, context);
				}
			},
			(_req, res) => res.end('secret')
		);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('sends the host name as SNI while connecting to the vetted address', async () => {
		sniNames.length = 0;
		const error = await dialHttp({
			url: new URL(`https://public.test:${port}/data`),
			address: '127.0.0.1',
			family: 4,
			method: 'GET',
			headers: {},
			signal: new AbortController().signal,
			headersTimeoutMs: 5000
		}).catch((e) => e);
		expect(sniNames).toEqual(['public.test']);
		expect(error.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
	});

	it('reports an untrusted certificate as a 502 naming the TLS error', async () => {
		const res = await proxyFetch(
			{ target: `https://public.test:${port}/data`, method: 'GET', headers: new Headers() },
			{
				config: loadFetchConfig({}),
				resolve: async () => [{ address: '93.184.215.14', family: 4 }],
				dial: (req) => dialHttp({ ...req, address: '127.0.0.1', family: 4 }),
				log: () => {}
			}
		);
		expect(res.status).toBe(502);
		const body = await res.json();
		expect(body.code).toBe('upstream_unreachable');
		expect(body.error).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
	});
});
