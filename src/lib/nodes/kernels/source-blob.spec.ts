// Local files and cached downloads as Blobs: located by their source text, read by prefix and
// chunk by chunk, and a missing local file named with what to do.
import { afterEach, describe, expect, it } from 'vitest';
import { openChunks, readPrefix } from './source-bytes';
import {
	localSource,
	locateSource,
	parseLocalSource,
	registerSourceBlob,
	type ByteLocation
} from './source-locate';
import { probeSourceSchema } from '../datasets';

const CSV = 'name,amount\nada,1.5\nbob,2\n';

async function drain(location: ByteLocation): Promise<string> {
	const source = openChunks(location);
	const parts: Uint8Array[] = [];
	while (!source.ended) {
		const chunk = source.poll();
		if (chunk) parts.push(chunk.slice());
		else await new Promise((resolve) => setTimeout(resolve, 1));
	}
	return new TextDecoder().decode(Buffer.concat(parts));
}

describe('blob sources', () => {
	const key = localSource('f1', 'sales data.csv');
	afterEach(() => registerSourceBlob(key, null));

	it('writes and parses the local:<id>/<name> form', () => {
		expect(key).toBe('local:f1/sales data.csv');
		expect(parseLocalSource(key)).toEqual({ id: 'f1', name: 'sales data.csv' });
		expect(parseLocalSource('https://x/y.csv')).toBeNull();
		expect(() => localSource('a/b', 'x.csv')).toThrow(/letters, digits/);
	});

	it('says a local file must be provided again when this page does not have it', () => {
		expect(() => locateSource(key)).toThrow("file 'sales data.csv' must be provided again");
	});

	it('reads a registered Blob whole, chunk by chunk, and its prefix only', async () => {
		registerSourceBlob(key, new Blob([CSV]));
		const location = locateSource(key);
		expect(location.kind).toBe('blob');
		expect(await drain(location)).toBe(CSV);
		expect(new TextDecoder().decode(await readPrefix(location, 4))).toBe('name');
	});

	it('reads a URL from the Blob registered for it instead of the network', async () => {
		const url = 'https://data.example/never-fetched.csv';
		registerSourceBlob(url, new Blob([CSV]));
		try {
			expect(locateSource(url).kind).toBe('blob');
			const schema = await probeSourceSchema('csv', url);
			expect(schema).toEqual({ names: ['name', 'amount'], types: ['utf8', 'float64'] });
		} finally {
			registerSourceBlob(url, null);
		}
		expect(locateSource(url)).toEqual({ kind: 'url', url });
	});
});
