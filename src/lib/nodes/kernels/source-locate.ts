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

export type ByteLocation = { kind: 'file'; path: string } | { kind: 'url'; url: string };

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
