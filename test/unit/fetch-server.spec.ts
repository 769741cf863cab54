import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	byteAt,
	startDataServer,
	type DataServer
} from '../../src/lib/server/fetch/testing/data-server';
import { ensureBuilt, startApp, type AppServer } from './support/app-server';

// /api/fetch through the real production server (`node server.js` over build/): one instance
// trusts the loopback data server via SLUICE_FETCH_ALLOW, one trusts nothing.

const ROUTE_CHUNKS = 'build/server/chunks/entries/endpoints/api/fetch';

describe('/api/fetch in the production server', () => {
	let data: DataServer;
	let trusting: AppServer;
	let strict: AppServer;

	beforeAll(async () => {
		ensureBuilt(ROUTE_CHUNKS);
		data = await startDataServer();
		[trusting, strict] = await Promise.all([
			startApp({ SLUICE_FETCH_ALLOW: '127.0.0.1/32', SLUICE_FETCH_MAX_BYTES: '1MB' }),
			startApp({ SLUICE_FETCH_ALLOW: '' })
		]);
	}, 240_000);

	afterAll(async () => {
		trusting?.child.kill('SIGTERM');
		strict?.child.kill('SIGTERM');
		await data?.close();
	});

	const via = (app: { base: string }, url: string) =>
		`${app.base}/api/fetch?url=${encodeURIComponent(url)}`;

	it('streams an allowlisted dataset with the isolation headers', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=100000`));
		expect(res.status).toBe(200);
		expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
		expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
		expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
		expect(res.headers.get('content-security-policy')).toContain('sandbox');
		expect(res.headers.get('set-cookie')).toBeNull();
		expect(res.headers.get('content-length')).toBe('100000');
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect(bytes.length).toBe(100000);
		expect(bytes.every((b, i) => b === byteAt(i))).toBe(true);
	});

	it('passes a Range request through the production server', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=100000`), {
			headers: { range: 'bytes=10-19' }
		});
		expect(res.status).toBe(206);
		expect(res.headers.get('content-range')).toBe('bytes 10-19/100000');
		expect(Array.from(new Uint8Array(await res.arrayBuffer()))).toEqual(
			Array.from({ length: 10 }, (_, i) => byteAt(10 + i))
		);
	});

	it('refuses the same URL with a 403 JSON error when nothing is allowlisted', async () => {
		const before = data.connections;
		const res = await fetch(via(strict, `${data.base}/data?bytes=100000`));
		expect(res.status).toBe(403);
		expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
		expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
		const body = await res.json();
		expect(body.code).toBe('refused_address');
		expect(body.error).toContain('127.0.0.1');
		expect(data.connections).toBe(before);
	});

	it('makes a body cut off at the size cap fail visibly for the client', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=3000000&chunked`));
		expect(res.status).toBe(200);
		await expect(res.arrayBuffer()).rejects.toThrow();
	});

	it('answers 413 JSON for an announced length over the size cap', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=3000000`));
		expect(res.status).toBe(413);
		expect(await res.json()).toMatchObject({ code: 'too_large' });
	});
});
