import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from './document';
import {
	decodeShareFragment,
	encodeShareFragment,
	fromBase64Url,
	MAX_INFLATED_BYTES,
	toBase64Url
} from './share-link';

const doc: PipelineDocument = {
	version: 1,
	id: 'shared',
	name: 'Orders ✓ über 100',
	nodes: [
		{ id: 'g', kind: 'generator', params: { rows: 10 }, position: { x: 0, y: 0 } },
		{ id: 't', kind: 'table', params: {}, position: { x: 200, y: 10.5 } }
	],
	edges: [{ id: 'e', from: { node: 'g', port: 'out' }, to: { node: 't', port: 'in' } }]
};

async function deflate(text: string | Uint8Array): Promise<string> {
	const stream = new Blob([text as BlobPart])
		.stream()
		.pipeThrough(new CompressionStream('deflate-raw'));
	return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

describe('share links', () => {
	it('carry a document through the fragment unchanged', async () => {
		const fragment = await encodeShareFragment(doc);
		expect(fragment).toMatch(/^p=1\.[A-Za-z0-9_-]+$/);
		expect(await decodeShareFragment(`#${fragment}`)).toEqual({ ok: true, doc, diagnostics: [] });
	});

	it('round-trip bytes through base64url of every length', () => {
		for (let n = 0; n < 40; n++) {
			const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
			expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
		}
	});

	it('name what is wrong with a damaged, truncated, future or foreign link', async () => {
		const good = await encodeShareFragment(doc);
		const cases: [string, RegExp][] = [
			['#q=1.abc', /holds no pipeline/],
			['#p=abc', /no format version/],
			['#p=9.' + good.slice(4), /newer Sluice \(link format 9\)/],
			['#p=x1.abc', /'x1' is not a link format version/],
			['#p=0.abc', /'0' is not a link format version/],
			['#p=1.', /truncated: it holds no pipeline data/],
			['#p=1.ab*cd', /character 3 .* not base64url/],
			[`#${good.slice(0, good.length - 12)}`, /damaged or truncated: .* does not decompress/],
			[
				`#p=1.${await deflate('{"version":1,')}`,
				/does not hold a valid pipeline: .*not valid JSON/
			],
			[
				`#p=1.${await deflate('{"version":1,"nodes":3}')}`,
				/does not hold a valid pipeline: .*nodes/
			],
			[`#p=1.${await deflate(new Uint8Array([0xff, 0xfe, 0x00]))}`, /not UTF-8 text/]
		];
		for (const [link, message] of cases) {
			const result = await decodeShareFragment(link);
			expect(result.ok, link).toBe(false);
			expect(!result.ok && result.error, link).toMatch(message);
		}
	});

	it('refuse a decompression bomb without inflating it all', async () => {
		const bomb = `p=1.${await deflate(new Uint8Array(MAX_INFLATED_BYTES * 4))}`;
		expect(bomb.length).toBeLessThan(40_000);
		const result = await decodeShareFragment(bomb);
		expect(!result.ok && result.error).toMatch(/expands to more than 5 MB/);
	});
});
