import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserProxyRewrite, openRangeBuffer } from './parquet-buffer';

const ORIGIN = 'http://127.0.0.1:5173';

describe('browserProxyRewrite', () => {
	it("sends another origin's http(s) URL through the app's proxy, which passes Range through", () => {
		expect(browserProxyRewrite('https://data.example/a b.parquet?x=1', ORIGIN)).toBe(
			`${ORIGIN}/api/fetch?url=${encodeURIComponent('https://data.example/a%20b.parquet?x=1')}`
		);
		expect(browserProxyRewrite('http://127.0.0.1:9999/t.parquet', ORIGIN)).toBe(
			`${ORIGIN}/api/fetch?url=${encodeURIComponent('http://127.0.0.1:9999/t.parquet')}`
		);
	});

	it("leaves the app's own files, other schemes and Node (no origin) alone", () => {
		expect(browserProxyRewrite(`${ORIGIN}/samples/trips.parquet`, ORIGIN)).toBe(
			`${ORIGIN}/samples/trips.parquet`
		);
		expect(browserProxyRewrite('/samples/trips.parquet', ORIGIN)).toBe('/samples/trips.parquet');
		expect(browserProxyRewrite('blob:abc', ORIGIN)).toBe('blob:abc');
		expect(browserProxyRewrite('https://data.example/a.parquet', undefined)).toBe(
			'https://data.example/a.parquet'
		);
	});
});

describe('a URL read by ranges', () => {
	it('counts the bytes of a range while it streams in, and moves them to bytesRead after', async () => {
		const body = new Uint8Array(200_000).map((_, i) => i % 251);
		let release: () => void = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		// The size probe (one byte) is answered at once; a longer range sends 50 000 bytes, then
		// the rest once the test has looked.
		const server = createServer((req, res) => {
			const [, from, to] = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '') ?? [];
			const start = Number(from);
			const end = Number(to) + 1;
			res.writeHead(206, {
				'content-range': `bytes ${start}-${end - 1}/${body.length}`,
				'content-length': end - start
			});
			if (end - start === 1) return res.end(body.subarray(start, end));
			res.write(body.subarray(start, start + 50_000));
			void held.then(() => res.end(body.subarray(start + 50_000, end)));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/f.parquet`;
			const buffer = await openRangeBuffer({ kind: 'url', url }, (u) => u);
			expect(buffer.byteLength).toBe(body.length);
			const readBefore = buffer.bytesRead;
			const slice = buffer.slice(0, 150_000) as Promise<ArrayBuffer>;
			await expect.poll(() => buffer.arriving).toBe(50_000);
			expect(buffer.bytesRead).toBe(readBefore);
			release();
			expect(new Uint8Array(await slice)).toEqual(body.subarray(0, 150_000));
			expect(buffer.arriving).toBe(0);
			expect(buffer.bytesRead).toBe(readBefore + 150_000);
		} finally {
			release();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
