// Transform: keeps each row with probability `fraction`, deterministically.
//
// Rows have no global id (batches and instances split them differently from run to run), so
// the decision hashes the row's own values with the seed: murmur3-style mixing of every
// column's value bytes (numbers and dates as their stored bytes, strings as UTF-8 bytes, bool
// as a bit, null as a constant), then a finalizer; the row is kept when hash / 2^32 <
// fraction. The same seed keeps the same rows for any batch size or worker count. Identical
// rows (bit for bit, so -0 and 0 differ) get identical decisions: all kept or all dropped.
// Column at a time into reusable scratch arrays; allocates only typed-array views per batch.
import * as v from 'valibot';
import type { ColumnView } from '../runtime/contracts';
import { elementBytes } from '../runtime/batch/types';
import type { NodeDefinition } from './types';

const params = v.object({
	fraction: v.optional(
		v.pipe(
			v.number(),
			v.minValue(0, 'fraction must be between 0 and 1'),
			v.maxValue(1, 'fraction must be between 0 and 1')
		),
		0.1
	),
	seed: v.optional(v.pipe(v.number(), v.integer('seed must be an integer')), 1)
});
type Params = v.InferOutput<typeof params>;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const NULL_WORD = 0x6e756c6c;

/** Folds one 32-bit word into a running murmur3 hash. */
function fold(h: number, k: number): number {
	k = Math.imul(k, C1);
	k = (k << 15) | (k >>> 17);
	h ^= Math.imul(k, C2);
	h = (h << 13) | (h >>> 19);
	return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number): number {
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

/** Folds column `col`'s value of each live row into `hashes` (live row i = row sel[i] or i). */
function foldColumn(col: ColumnView, sel: Uint32Array | null, count: number, hashes: Int32Array) {
	const validity = col.nullCount > 0 ? col.validity : null;
	const raw = col.values;
	const width = col.type === 'bool' || col.type === 'utf8' ? 0 : elementBytes(col.type);
	const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
	const words = width >= 4 ? new Int32Array(raw.buffer, raw.byteOffset, raw.byteLength >> 2) : null;
	for (let i = 0; i < count; i++) {
		const r = sel === null ? i : sel[i];
		let h = hashes[i];
		if (validity !== null && (validity[r >>> 3] & (1 << (r & 7))) === 0) h = fold(h, NULL_WORD);
		else if (words !== null) {
			const w = r * (width >> 2);
			h = fold(h, words[w]);
			if (width === 8) h = fold(h, words[w + 1]);
		} else if (width === 1) h = fold(h, bytes[r]);
		else if (width === 2) h = fold(h, bytes[2 * r] | (bytes[2 * r + 1] << 8));
		else if (col.type === 'bool') h = fold(h, (bytes[r >>> 3] >>> (r & 7)) & 1);
		else {
			const start = col.offsets![r];
			const end = col.offsets![r + 1];
			let b = start;
			for (; b + 4 <= end; b += 4)
				h = fold(h, bytes[b] | (bytes[b + 1] << 8) | (bytes[b + 2] << 16) | (bytes[b + 3] << 24));
			let tail = end - start; // the length tells "ab" + "c" from "a" + "bc"
			for (let s = 0; b < end; b++, s += 8) tail ^= bytes[b] << (s + 8);
			h = fold(h, tail);
		}
		hashes[i] = h;
	}
}

export const sample: NodeDefinition<Params> = {
	kind: 'sample',
	title: 'Sample',
	category: 'transform',
	description:
		'Keep a random share of the rows; the same seed keeps the same rows (decided from each row’s values).',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { fraction: 0.1, seed: 1 },
	fields: [
		{ name: 'fraction', label: 'Share of rows kept (0–1)', control: 'number' },
		{
			name: 'seed',
			label: 'Seed',
			control: 'integer',
			help: 'Identical rows are kept or dropped together.'
		}
	],
	traits: { stateless: true, blocking: false, partitionable: true },
	summary: (p) => `${+(p.fraction * 100).toFixed(4)}% of rows, seed ${p.seed}`,
	inferSchema: ([input]) => ({ ok: true, outputs: [input] }),
	step({ params: p }) {
		if (p.fraction >= 1) return (batch) => batch;
		const threshold = Math.floor(p.fraction * 4294967296);
		const seed = fold(0x9747b28c, p.seed | 0);
		let hashes = new Int32Array(1024);
		let kept = new Uint32Array(1024);
		return (batch) => {
			const { view, selection, count } = batch;
			if (hashes.length < count) {
				hashes = new Int32Array(count * 2);
				kept = new Uint32Array(count * 2);
			}
			hashes.fill(seed, 0, count);
			for (const col of view.columns) foldColumn(col, selection, count, hashes);
			let n = 0;
			for (let i = 0; i < count; i++) {
				if (finalize(hashes[i]) < threshold) kept[n++] = selection === null ? i : selection[i];
			}
			return { view, selection: kept, count: n };
		};
	}
};
