import { describe, expect, it } from 'vitest';
import { browserProxyRewrite } from './parquet-buffer';

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
