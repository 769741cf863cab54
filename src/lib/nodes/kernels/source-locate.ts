// Where a source's bytes come from: a `source` param (a URL, a same-origin path, a local path in
// headless Node, or 'sample:<name>') resolved for the runtime this code is running in.
//
// - 'http:'/'https:' URLs are fetched everywhere.
// - 'sample:<name>' is the bundled file static/samples/<file>: fetched from /samples/<file> in
//   a browser, read from the repository's static/ folder in Node.
// - In a browser, any other text is a URL relative to the page ('/samples/cities.csv').
// - In Node, 'file:' URLs and plain paths are local files; a path starting with '/' that does
//   not exist is looked up under the repository's static/ folder too, so a document written for
//   the browser ('/samples/cities.csv') runs headless unchanged.
// - 'local:<id>/<file name>' is a file the user dropped or picked in the editor. The page keeps
//   the `File` (a Blob handle: cheap to structured-clone, its bytes stay on disk) in this
//   module's blob registry under the whole source text, and sends it to every pool worker over
//   the control channel (WorkerPool.registerBlob), where it is registered under the same text.
//   <id> makes two files of the same name distinct; the name is for people. The file is not in
//   the pipeline document: a shared or reopened pipeline names a file this page does not have,
//   and locating it fails with `localFileMissing` ("must be provided again").
// - Any source text (a URL too) with a Blob registered for it is read from that Blob: the
//   editor registers a URL's cached copy (dataset cache) so workers read it without a download.
//
// No static Node imports: Node modules come from `process.getBuiltinModule` at call time, so
// this module bundles for browser workers.
import type * as Fs from 'node:fs';

/** Built-in sample files, by sample name: served from /samples/ and kept in static/samples/. */
export const SAMPLE_FILES: Readonly<Record<string, string>> = {
	cities: 'cities.csv',
	trips: 'trips.parquet',
	events: 'events.ndjson'
};

export const SAMPLE_PREFIX = 'sample:';

export type ByteLocation =
	| { kind: 'file'; path: string }
	| { kind: 'url'; url: string }
	| { kind: 'blob'; blob: Blob; name: string };

/** Prefix of a local file's source text: 'local:<id>/<file name>'. */
export const LOCAL_PREFIX = 'local:';

/** The source text of a local file registered under `id`. */
export function localSource(id: string, fileName: string): string {
	if (!/^[A-Za-z0-9_-]+$/.test(id))
		throw new TypeError(`a local file id is letters, digits, _ and - only, got '${id}'`);
	return `${LOCAL_PREFIX}${id}/${fileName}`;
}

/** The id and file name of a 'local:<id>/<name>' source, else null. */
export function parseLocalSource(source: string): { id: string; name: string } | null {
	const m = /^local:([A-Za-z0-9_-]+)\/(.*)$/s.exec(source.trim());
	return m ? { id: m[1], name: m[2] } : null;
}

/** The message of a local file source whose file this page does not have. */
export function localFileMissing(name: string): string {
	return `${localFileNeeded(name)}: a local file is not saved in the pipeline — drop it on the node or pick it with “${CHOOSE_FILE}”`;
}

/** The short form of `localFileMissing`, for the line on the node's card. */
export function localFileNeeded(name: string): string {
	return `file '${name}' must be provided again`;
}

/** The label of the button that provides a local file again. */
export const CHOOSE_FILE = 'Choose file…';

const blobs = new Map<string, Blob>();

/** Reads `source` (its trimmed text) from `blob` on this thread; null forgets it. */
export function registerSourceBlob(source: string, blob: Blob | null): void {
	if (blob === null) blobs.delete(source.trim());
	else blobs.set(source.trim(), blob);
}

/** The Blob registered for `source` on this thread, if any. */
export function sourceBlob(source: string): Blob | undefined {
	return blobs.get(source.trim());
}

/** True in Node (worker_threads or main), false in browsers. */
export function isNodeRuntime(): boolean {
	return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** node:fs in Node (loaded at call time, never at import), else null. */
export function nodeFs(): typeof Fs | null {
	if (!isNodeRuntime() || typeof process.getBuiltinModule !== 'function') return null;
	return process.getBuiltinModule('node:fs') as typeof Fs;
}

/** Same-origin path of a built-in sample, e.g. '/samples/cities.csv'; TypeError if unknown. */
export function samplePath(name: string): string {
	const file = SAMPLE_FILES[name];
	if (file === undefined)
		throw new TypeError(
			`there is no sample named '${name}': choose one of ${Object.keys(SAMPLE_FILES).join(', ')}`
		);
	return `/samples/${file}`;
}

let staticDir: string | null | undefined;

/**
 * The repository's static/ folder (Node only): the first ancestor folder of this module that
 * holds static/samples/, else the working directory's static/ when it has samples/; null if
 * neither exists.
 */
export function repoStaticDir(): string | null {
	if (staticDir !== undefined) return staticDir;
	const fs = nodeFs();
	staticDir = null;
	if (!fs) return null;
	const candidates: string[] = [];
	try {
		let dir = new URL('.', import.meta.url);
		for (let up = 0; up < 8 && dir.protocol === 'file:'; up++) {
			candidates.push(decodeURIComponent(new URL('static', dir).pathname));
			const parent = new URL('..', dir);
			if (parent.href === dir.href) break;
			dir = parent;
		}
	} catch {
		// import.meta.url is not a file URL here (a bundle served over http): use the cwd only.
	}
	candidates.push(`${process.cwd()}/static`);
	staticDir = candidates.find((dir) => fs.existsSync(`${dir}/samples`)) ?? null;
	return staticDir;
}

/** Where the bytes of `source` are read from here; TypeError naming the source if nowhere. */
export function locateSource(source: string): ByteLocation {
	const text = source.trim();
	if (text === '') throw new TypeError('source is empty: give a URL, a file path or sample:<name>');
	const blob = blobs.get(text);
	const local = parseLocalSource(text);
	if (blob !== undefined)
		return { kind: 'blob', blob, name: local?.name ?? text.replace(/^.*\//, '') };
	if (local !== null || text.startsWith(LOCAL_PREFIX))
		throw new TypeError(localFileMissing(local?.name ?? text.slice(LOCAL_PREFIX.length)));
	if (text.startsWith(SAMPLE_PREFIX))
		return locatePath(samplePath(text.slice(SAMPLE_PREFIX.length)));
	if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
	if (/^file:/i.test(text)) {
		if (!isNodeRuntime())
			throw new TypeError(
				`'${text}' is a local file URL: only the headless runner reads those; upload the file instead`
			);
		return { kind: 'file', path: decodeURIComponent(new URL(text).pathname) };
	}
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
		throw new TypeError(
			`'${text}' uses a protocol Sluice cannot read: use http(s), a path or sample:<name>`
		);
	return locatePath(text);
}

function locatePath(path: string): ByteLocation {
	const fs = nodeFs();
	if (!fs) {
		const base = typeof location !== 'undefined' ? location.href : 'http://localhost/';
		return { kind: 'url', url: new URL(path, base).href };
	}
	if (fs.existsSync(path) || !path.startsWith('/')) return { kind: 'file', path };
	const dir = repoStaticDir();
	const underStatic = dir === null ? null : dir + path;
	if (underStatic !== null && fs.existsSync(underStatic))
		return { kind: 'file', path: underStatic };
	return { kind: 'file', path };
}
