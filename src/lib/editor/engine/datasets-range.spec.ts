import { describe, expect, it } from 'vitest';
import {
	RANGE_THRESHOLD_BYTES,
	RANGE_THRESHOLD_KEY,
	headUrl,
	rangeThreshold,
	urlReadMode
} from './datasets-range';

const MIB = 1024 * 1024;

describe('how a Parquet file by URL is read', () => {
	it('reads a file over 32 MiB by Range requests and caches one at or under it', () => {
		expect(RANGE_THRESHOLD_BYTES).toBe(32 * MIB);
		expect(urlReadMode('parquet', { size: 32 * MIB + 1, ranges: true })).toBe('range');
		expect(urlReadMode('parquet', { size: 200 * MIB, ranges: true })).toBe('range');
		expect(urlReadMode('parquet', { size: 32 * MIB, ranges: true })).toBe('cache');
		expect(urlReadMode('parquet', { size: 1000, ranges: true })).toBe('cache');
	});

	it('caches when the size is unknown, the HEAD failed, or the server serves no ranges', () => {
		expect(urlReadMode('parquet', { size: null, ranges: true })).toBe('cache');
		expect(urlReadMode('parquet', null)).toBe('cache');
		expect(urlReadMode('parquet', { size: 500 * MIB, ranges: false })).toBe('cache');
	});

	it('caches other formats whatever their size (they are read front to back)', () => {
		for (const kind of ['csv', 'json', 'arrow'])
			expect(urlReadMode(kind, { size: 500 * MIB, ranges: true })).toBe('cache');
	});

	it('takes a smaller threshold from the page', () => {
		expect(urlReadMode('parquet', { size: 5000, ranges: true }, 4096)).toBe('range');
		expect(urlReadMode('parquet', { size: 4096, ranges: true }, 4096)).toBe('cache');
	});
});

describe('the page threshold', () => {
	const storage = (value: string | null) => ({
		getItem: (key: string) => (key === RANGE_THRESHOLD_KEY ? value : null)
	});

	it('is 32 MiB unless localStorage holds a whole number of bytes', () => {
		expect(rangeThreshold(undefined)).toBe(RANGE_THRESHOLD_BYTES);
		expect(rangeThreshold(storage(null))).toBe(RANGE_THRESHOLD_BYTES);
		expect(rangeThreshold(storage('4096'))).toBe(4096);
		expect(rangeThreshold(storage('0'))).toBe(0);
		for (const bad of ['', 'lots', '-1', '1.5'])
			expect(rangeThreshold(storage(bad))).toBe(RANGE_THRESHOLD_BYTES);
	});

	it('keeps the default when storage refuses access', () => {
		const refusing = {
			getItem: () => {
				throw new Error('SecurityError');
			}
		};
		expect(rangeThreshold(refusing)).toBe(RANGE_THRESHOLD_BYTES);
	});
});

describe('headUrl', () => {
	it('asks the proxy with HEAD and reads Content-Length and Accept-Ranges', async () => {
		const asked: { url: string; method?: string }[] = [];
		const fetcher = (async (url: string, init?: RequestInit) => {
			asked.push({ url, method: init?.method });
			return new Response(null, {
				status: 200,
				headers: { 'content-length': '123456789', 'accept-ranges': 'bytes' }
			});
		}) as typeof fetch;
		const head = await headUrl('https://data.example/trips.parquet', fetcher);
		expect(head).toEqual({ size: 123456789, ranges: true });
		expect(asked).toEqual([
			{
				url: `/api/fetch?url=${encodeURIComponent('https://data.example/trips.parquet')}`,
				method: 'HEAD'
			}
		]);
	});

	it('reports no ranges, an unknown size, or null when the HEAD fails', async () => {
		const answer = (status: number, headers: Record<string, string>) =>
			(async () => new Response(null, { status, headers })) as unknown as typeof fetch;
		expect(
			await headUrl('https://x.example/a.parquet', answer(200, { 'accept-ranges': 'none' }))
		).toEqual({ size: null, ranges: false });
		expect(await headUrl('https://x.example/a.parquet', answer(403, {}))).toBeNull();
		const failing = (async () => {
			throw new TypeError('network down');
		}) as unknown as typeof fetch;
		expect(await headUrl('https://x.example/a.parquet', failing)).toBeNull();
	});
});
