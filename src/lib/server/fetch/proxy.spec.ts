import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFetchConfig, type Env } from './config';
import { ProxyError } from './errors';
import { proxyFetch } from './proxy';
import {
	byteAt,
	ETAG,
	LAST_MODIFIED,
	startDataServer,
	type DataServer
} from './testing/data-server';

// The proxy against a real HTTP server on loopback; the allowlist trusts only 127.0.0.1.
let server: DataServer;
beforeAll(async () => {
	server = await startDataServer();
});
afterAll(() => server.close());

const logged: string[] = [];
function get(path: string, env: Env = {}, headers: Record<string, string> = {}, method = 'GET') {
	const config = loadFetchConfig({ SLUICE_FETCH_ALLOW: '127.0.0.1/32', ...env });
	return proxyFetch(
		{
			target: path.startsWith('http') ? path : server.base + path,
			method: method as 'GET' | 'HEAD',
			headers: new Headers(headers)
		},
		{ config, log: (m) => logged.push(m) }
	);
}

/** Reads a body to the end; resolves with its bytes or the error that ended it. */
async function drain(res: Response): Promise<{ bytes: Uint8Array; error?: unknown }> {
	const parts: Uint8Array[] = [];
	const reader = res.body!.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			parts.push(value);
		}
	} catch (error) {
		return { bytes: Buffer.concat(parts), error };
	}
	return { bytes: Buffer.concat(parts) };
}

describe('the fetch proxy against a loopback server', () => {
	it('streams a 200 MB dataset with flat memory, every byte intact', async () => {
		const size = 200 * 1024 * 1024;
		const res = await get(`/data?bytes=${size}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-length')).toBe(String(size));
		const reader = res.body!.getReader();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		let received = 0;
		let mismatches = 0;
		let nextSample = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			// Spot-check the content: first and last byte of every chunk.
			if (value[0] !== byteAt(received)) mismatches++;
			received += value.byteLength;
			if (value[value.byteLength - 1] !== byteAt(received - 1)) mismatches++;
			if (received >= nextSample) {
				peak = Math.max(peak, process.memoryUsage().rss);
				nextSample += 4 * 1024 * 1024;
			}
		}
		const growthMb = (peak - baseline) / 1024 / 1024;
		console.log(`200 MB through the proxy: peak RSS growth ${growthMb.toFixed(1)} MB`);
		expect(received).toBe(size);
		expect(mismatches).toBe(0);
		expect(growthMb).toBeLessThan(100);
	}, 60_000);

	it('refuses a body whose Content-Length is over the size cap with 413 before streaming', async () => {
		const res = await get('/data?bytes=2000000', { SLUICE_FETCH_MAX_BYTES: '1MB' });
		expect(res.status).toBe(413);
		const body = await res.json();
		expect(body.code).toBe('too_large');
		expect(body.error).toContain('SLUICE_FETCH_MAX_BYTES');
		expect(body.error).toContain('/data?bytes=2000000');
	});

	it('cuts off a chunked body at the size cap with a clear error and logs it', async () => {
		const res = await get('/data?bytes=3000000&chunked', { SLUICE_FETCH_MAX_BYTES: '1MB' });
		expect(res.status).toBe(200);
		const { bytes, error } = await drain(res);
		expect(error).toBeInstanceOf(ProxyError);
		expect((error as ProxyError).code).toBe('too_large');
		expect(bytes.byteLength).toBeLessThanOrEqual(1_000_000);
		expect(logged.some((m) => m.includes('cut off') && m.includes('size cap'))).toBe(true);
	});

	it('cuts off a stalled transfer at the time cap with a clear error', async () => {
		const res = await get('/stall', { SLUICE_FETCH_TIMEOUT_MS: '300' });
		expect(res.status).toBe(200);
		const { bytes, error } = await drain(res);
		expect(new TextDecoder().decode(bytes)).toBe('a,b\n1,2\n');
		expect((error as ProxyError).code).toBe('timeout');
		expect((error as ProxyError).message).toContain('SLUICE_FETCH_TIMEOUT_MS');
	});

	it('answers 504 when no headers arrive within the headers timeout', async () => {
		const res = await get('/no-headers', { SLUICE_FETCH_HEADERS_TIMEOUT_MS: '200' });
		expect(res.status).toBe(504);
		expect(await res.json()).toMatchObject({ code: 'timeout' });
	});

	it('answers 504 when the time cap passes before the headers arrive', async () => {
		const res = await get('/no-headers', { SLUICE_FETCH_TIMEOUT_MS: '200' });
		expect(res.status).toBe(504);
		expect((await res.json()).error).toContain('time cap');
	});

	it('reports a body shorter than its Content-Length as truncated', async () => {
		const { bytes, error } = await drain(await get('/lie'));
		expect(bytes.byteLength).toBe(500);
		expect((error as ProxyError).code).toBe('truncated');
		expect((error as ProxyError).message).toContain('500 of 1000 bytes');
	});

	it('passes a Range request through: 206, Content-Range and exactly those bytes', async () => {
		const res = await get('/data?bytes=100000', {}, { range: 'bytes=1000-1999' });
		expect(res.status).toBe(206);
		expect(res.headers.get('content-range')).toBe('bytes 1000-1999/100000');
		expect(res.headers.get('content-length')).toBe('1000');
		const { bytes } = await drain(res);
		expect(Array.from(bytes)).toEqual(Array.from({ length: 1000 }, (_, i) => byteAt(1000 + i)));
	});

	it('passes validators back and a 304 revalidation through without a body', async () => {
		const first = await get('/data?bytes=10');
		expect(first.headers.get('etag')).toBe(ETAG);
		expect(first.headers.get('last-modified')).toBe(LAST_MODIFIED);
		expect(first.headers.get('content-type')).toBe('text/csv');
		await drain(first);
		const again = await get('/data?bytes=10', {}, { 'if-none-match': ETAG });
		expect(again.status).toBe(304);
		expect(again.body).toBeNull();
		expect(again.headers.get('etag')).toBe(ETAG);
	});

	it('answers HEAD with the length and no body, even over the size cap', async () => {
		const env = { SLUICE_FETCH_MAX_BYTES: '1000' };
		const res = await get('/data?bytes=5000000', env, {}, 'HEAD');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-length')).toBe('5000000');
		expect(res.body).toBeNull();
	});

	it('forwards no cookies or credentials, only the allowed request headers', async () => {
		const res = await get(
			'/echo',
			{},
			{
				cookie: 'session=abc',
				authorization: 'Bearer token',
				'proxy-authorization': 'Basic x',
				'x-api-key': 'k',
				accept: 'text/csv',
				range: 'bytes=0-',
				'x-forwarded-for': '1.2.3.4'
			}
		);
		const echoed = await res.json();
		expect(echoed).not.toHaveProperty('cookie');
		expect(echoed).not.toHaveProperty('authorization');
		expect(echoed).not.toHaveProperty('proxy-authorization');
		expect(echoed).not.toHaveProperty('x-api-key');
		expect(echoed).not.toHaveProperty('x-forwarded-for');
		expect(echoed.accept).toBe('text/csv');
		expect(echoed.range).toBe('bytes=0-');
		expect(echoed.host).toBe(`127.0.0.1:${server.port}`);
	});

	it('returns no Set-Cookie or auth challenge, and marks the body as sandboxed data', async () => {
		const res = await get('/data?bytes=10');
		expect(res.headers.get('set-cookie')).toBeNull();
		expect(res.headers.get('www-authenticate')).toBeNull();
		expect(res.headers.get('content-security-policy')).toContain('sandbox');
		expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
	});

	it('follows 5 redirects and names the final URL', async () => {
		const res = await get('/redirect?n=4');
		expect(res.status).toBe(200);
		expect(res.headers.get('x-sluice-final-url')).toBe(`${server.base}/data?bytes=10`);
		expect((await drain(res)).bytes.byteLength).toBe(10);
	});

	it('refuses a chain of more than 5 redirects with 502', async () => {
		const res = await get('/redirect?n=5');
		expect(res.status).toBe(502);
		expect(await res.json()).toMatchObject({ code: 'too_many_redirects' });
	});

	it('refuses a redirect to a private address without connecting to it', async () => {
		server.paths.length = 0;
		const res = await get('/to?location=' + encodeURIComponent('http://192.168.1.1/secret'));
		expect(res.status).toBe(403);
		const body = await res.json();
		expect(body.code).toBe('refused_address');
		expect(body.error).toContain('192.168.1.1');
		expect(server.paths.some((p) => p.startsWith('/secret'))).toBe(false);
		expect(server.paths).toHaveLength(1);
	});

	it('refuses a redirect to a file: URL', async () => {
		const res = await get('/to?location=' + encodeURIComponent('file:///etc/passwd'));
		expect(res.status).toBe(502);
		expect(await res.json()).toMatchObject({ code: 'bad_redirect' });
	});

	it('reports an upstream error status as 502 naming the status', async () => {
		const res = await get('/status?code=404');
		expect(res.status).toBe(502);
		const body = await res.json();
		expect(body).toMatchObject({ code: 'upstream_status', upstreamStatus: 404 });
		expect(body.error).toContain('answered 404');
	});

	it('reports a refused connection as 502 naming the address', async () => {
		const gone = await startDataServer();
		await gone.close();
		const res = await get(`http://127.0.0.1:${gone.port}/data`);
		expect(res.status).toBe(502);
		const body = await res.json();
		expect(body.code).toBe('upstream_unreachable');
		expect(body.error).toContain(
			'connection refused: nothing accepts connections on that port (ECONNREFUSED)'
		);
	});
});
