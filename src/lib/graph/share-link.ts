// Share links: the whole pipeline in the URL fragment, so a link works with no server storage
// and the document never reaches a server (browsers do not send the fragment).
//
//   #p=1.<base64url(deflate-raw(JSON))>      '1' is the link format version
//
// Decoding never throws and never trusts the input: a wrong prefix, a future format version,
// base64 that is not, deflate data that does not inflate (or inflates past MAX_INFLATED_BYTES: a
// decompression bomb), text that is not JSON and a document that fails validation each give a
// sentence naming what is wrong. Uses CompressionStream('deflate-raw') (Chromium, Node 20+).
import type { Diagnostic, KindLookup } from './diagnostics';
import type { PipelineDocument } from './document';
import { loadDocument } from './load';
import { serializeDocument } from './serialize';

/** The link format this code writes and the newest it reads. */
export const SHARE_FORMAT = 1;
/** The fragment key: `#p=…`. */
export const SHARE_KEY = 'p';
/** Links longer than this are too long for common chat tools; offer the JSON file instead. */
export const MAX_SHARE_URL_CHARS = 8000;
/** Inflating stops here: a link may not expand to more than this (bytes of JSON). */
export const MAX_INFLATED_BYTES = 5_000_000;
/** Longest fragment read at all (a link is never this long in practice). */
export const MAX_FRAGMENT_CHARS = 2_000_000;

export const shareMessages = {
	notShare: () => 'this link holds no pipeline (its address does not end in #p=…)',
	noVersion: () =>
		'this link is damaged: the pipeline after #p= has no format version (expected #p=1.…)',
	futureFormat: (version: string) =>
		`this link was made by a newer Sluice (link format ${version}); this one reads format ` +
		`${SHARE_FORMAT}. Ask for the pipeline as a JSON file, or open the link in a newer Sluice`,
	badFormat: (version: string) =>
		`this link is damaged: '${version.slice(0, 12)}' is not a link format version`,
	cut: () => 'this link is truncated: its pipeline data ends in the middle of a byte',
	empty: () => 'this link is truncated: it holds no pipeline data after the version',
	badBase64: (at: number) =>
		`this link is damaged: character ${at + 1} of the pipeline data is not base64url ` +
		'(was the link cut or changed when it was copied?)',
	tooLong: (chars: number) =>
		`this link is ${chars.toLocaleString('en')} characters long; Sluice reads links up to ` +
		`${MAX_FRAGMENT_CHARS.toLocaleString('en')}`,
	inflate: (detail: string) =>
		`this link is damaged or truncated: its pipeline data does not decompress (${detail})`,
	bomb: () =>
		`this link expands to more than ${MAX_INFLATED_BYTES / 1_000_000} MB; Sluice does not open it`,
	notText: () => 'this link is damaged: its pipeline data is not UTF-8 text',
	invalid: (reasons: string) => `this link does not hold a valid pipeline: ${reasons}`,
	unsupported: () => 'this browser cannot decompress share links (no DecompressionStream)'
};

export type ShareDecode =
	{ ok: true; doc: PipelineDocument; diagnostics: Diagnostic[] } | { ok: false; error: string };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function toBase64Url(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
		const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
		for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
	}
	return out;
}

/** Bytes of unpadded base64url text, or the index of the first character that is not one. */
export function fromBase64Url(text: string): Uint8Array | { badAt: number } {
	const out = new Uint8Array(Math.floor((text.length * 6) / 8));
	let bits = 0;
	let value = 0;
	let o = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		const digit = code < 128 ? DECODE[code] : -1;
		if (digit < 0) return { badAt: i };
		value = ((value << 6) | digit) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (value >> bits) & 0xff;
		}
	}
	// A length of 4k + 1 leaves 6 bits, which end no byte: the text was cut.
	return text.length % 4 === 1 ? { badAt: text.length } : out;
}

async function compress(text: string): Promise<Uint8Array> {
	const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates `bytes`, stopping (and cancelling) once the output passes `max` bytes. */
async function inflate(
	bytes: Uint8Array,
	max: number
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; bomb: boolean; detail: string }> {
	const reader = new Blob([bytes as BlobPart])
		.stream()
		.pipeThrough(new DecompressionStream('deflate-raw'))
		.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.byteLength;
			if (total > max) {
				void reader.cancel().catch(() => {});
				return { ok: false, bomb: true, detail: 'too large' };
			}
			chunks.push(value);
		}
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { ok: false, bomb: false, detail: detail.replace(/\.$/, '') || 'corrupt data' };
	}
	const out = new Uint8Array(total);
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.byteLength;
	}
	return { ok: true, bytes: out };
}

/** The fragment (without '#') that carries `doc`: `p=1.<data>`. */
export async function encodeShareFragment(doc: PipelineDocument): Promise<string> {
	const data = toBase64Url(await compress(serializeDocument(doc)));
	return `${SHARE_KEY}=${SHARE_FORMAT}.${data}`;
}

/** True when a location hash (with or without '#') looks like a share link. */
export function isShareFragment(hash: string): boolean {
	return hash.replace(/^#/, '').startsWith(`${SHARE_KEY}=`);
}

/** Reads a share fragment (`#p=1.…`, '#' optional). Never throws or rejects. */
export async function decodeShareFragment(hash: string, kinds?: KindLookup): Promise<ShareDecode> {
	try {
		return await decode(hash, kinds);
	} catch (error) {
		// Nothing above throws on any input; this keeps that promise if a platform API does.
		return { ok: false, error: shareMessages.inflate(String(error)) };
	}
}

async function decode(hash: string, kinds: KindLookup | undefined): Promise<ShareDecode> {
	const fail = (error: string): ShareDecode => ({ ok: false, error });
	const fragment = String(hash).replace(/^#/, '');
	if (fragment.length > MAX_FRAGMENT_CHARS) return fail(shareMessages.tooLong(fragment.length));
	if (!fragment.startsWith(`${SHARE_KEY}=`)) return fail(shareMessages.notShare());
	const body = fragment.slice(SHARE_KEY.length + 1);
	const dot = body.indexOf('.');
	if (dot < 0) return fail(shareMessages.noVersion());
	const version = body.slice(0, dot);
	if (!/^[0-9]{1,6}$/.test(version)) return fail(shareMessages.badFormat(version));
	if (Number(version) > SHARE_FORMAT) return fail(shareMessages.futureFormat(version));
	if (Number(version) !== SHARE_FORMAT) return fail(shareMessages.badFormat(version));
	const data = body.slice(dot + 1);
	if (data.length === 0) return fail(shareMessages.empty());
	const bytes = fromBase64Url(data);
	if (!(bytes instanceof Uint8Array)) {
		return fail(
			bytes.badAt === data.length ? shareMessages.cut() : shareMessages.badBase64(bytes.badAt)
		);
	}
	if (typeof DecompressionStream === 'undefined') return fail(shareMessages.unsupported());
	const inflated = await inflate(bytes, MAX_INFLATED_BYTES);
	if (!inflated.ok) {
		return fail(inflated.bomb ? shareMessages.bomb() : shareMessages.inflate(inflated.detail));
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
	} catch {
		return fail(shareMessages.notText());
	}
	const { document, diagnostics } = loadDocument(text, kinds);
	if (document === null) {
		const reasons = diagnostics.map((d) => d.message).join('; ');
		return fail(shareMessages.invalid(reasons || 'it is not a pipeline document'));
	}
	return { ok: true, doc: document, diagnostics };
}
