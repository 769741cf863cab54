// Fuzz of the share-link decoder: 100 000 links, random and mutated from valid ones (flipped,
// inserted and deleted characters, truncation, a changed version prefix), seeded so a failure
// replays. Every one must settle (no throw, no rejection) with a document or a sentence.
import { describe, expect, it } from 'vitest';
import { mulberry32, type Prng } from '../runtime/testing/prng';
import type { PipelineDocument } from './document';
import { decodeShareFragment, encodeShareFragment } from './share-link';

const LINKS = 100_000;
const BATCH = 500;
const SEED = 0x5eed_8;
const CHARS =
	'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/%#p \u00e9\u{1f600}';

function docOf(random: Prng, index: number): PipelineDocument {
	const n = random.int(0, 6);
	const nodes = Array.from({ length: n }, (_, i) => ({
		id: `n${i}`,
		kind: random.pick(['generator', 'filter', 'table', 'csv-source', 'mystery']),
		params: { rows: random.int(0, 1e6), expression: `x > ${random.int(0, 99)}` },
		position: { x: random.int(-500, 500), y: random.int(-500, 500) }
	}));
	const edges = nodes.slice(1).map((node, i) => ({
		id: `e${i}`,
		from: { node: `n${i}`, port: 'out' },
		to: { node: node.id, port: 'in' }
	}));
	return { version: 1, id: `doc-${index}`, name: `Fuzz ${index}`, nodes, edges };
}

function mutate(random: Prng, link: string): string {
	let out = link;
	const edits = random.int(1, 4);
	for (let e = 0; e < edits; e++) {
		const at = random.int(0, Math.max(0, out.length - 1));
		switch (random.int(0, 5)) {
			case 0: // flip a character
				out = out.slice(0, at) + random.pick([...CHARS]) + out.slice(at + 1);
				break;
			case 1: // truncate
				out = out.slice(0, at);
				break;
			case 2: // insert
				out = out.slice(0, at) + random.pick([...CHARS]) + out.slice(at);
				break;
			case 3: // delete
				out = out.slice(0, at) + out.slice(at + 1);
				break;
			case 4: // another version prefix
				out = out.replace(
					/^p=\d*\.?/,
					`p=${random.pick(['0', '2', '9', '', '1', '01', '99999999', 'x'])}.`
				);
				break;
			default: // swap two halves
				out = out.slice(at) + out.slice(0, at);
		}
	}
	return out;
}

function randomLink(random: Prng): string {
	const length = random.int(0, 120);
	let body = '';
	for (let i = 0; i < length; i++) body += random.pick([...CHARS]);
	return random.chance(0.7) ? `p=1.${body}` : body;
}

describe('share-link decoder fuzz', () => {
	it('settles every one of 100 000 random and mutated links with a document or a message', async () => {
		const random = mulberry32(SEED);
		const valid: string[] = [];
		for (let i = 0; i < 40; i++) valid.push(await encodeShareFragment(docOf(random, i)));
		let failures = 0;
		let documents = 0;
		const problems: string[] = [];
		for (let start = 0; start < LINKS; start += BATCH) {
			const links = Array.from({ length: BATCH }, () =>
				random.chance(0.25) ? randomLink(random) : mutate(random, random.pick(valid))
			);
			const settled = await Promise.allSettled(links.map((link) => decodeShareFragment(link)));
			settled.forEach((result, i) => {
				if (result.status === 'rejected') problems.push(`rejected: ${links[i]}`);
				else if (result.value.ok) documents++;
				else if (typeof result.value.error !== 'string' || result.value.error.trim() === '') {
					problems.push(`empty message: ${links[i]}`);
				} else failures++;
			});
		}
		expect(problems.slice(0, 5), `seed ${SEED}`).toEqual([]);
		expect(failures + documents).toBe(LINKS);
		// Most mutations break the link; some leave it readable (deflate has no checksum).
		expect(failures).toBeGreaterThan(LINKS / 2);
	}, 60_000);
});
