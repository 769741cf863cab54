// The compiled `sluice` command: src/cli/main.ts and the worker entries bundled by esbuild into
// plain JavaScript under dist-cli/ (gitignored), so a run starts without compiling TypeScript.
// Built by `npm ci` (the `prepare` script) and again by bin/sluice.mjs whenever a file the build
// was made from is newer than the build.
//
// Layout: dist-cli/build-<time>-<pid>/{main,stage-host,fallback-host,probe}.mjs plus shared
// chunks, and dist-cli/current.json naming the build and the files it was made from. Each build
// goes to a folder of its own and current.json is replaced by a rename, so processes that start
// (or build) at the same moment never read half a build; an older build stays until a later
// build finds it more than an hour old (a long run may still start workers from it).
import {
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'dist-cli');
/** Worker entries a headless run or a Node test starts (src/lib/runtime/node-worker.ts). */
const WORKERS = ['stage-host', 'fallback-host', 'probe'];
const STALE_MS = 60 * 60 * 1000;

/** The current build's `main.mjs` path when no file it was made from changed since; else null. */
export function freshBuild(out = OUT) {
	let current;
	try {
		current = JSON.parse(readFileSync(join(out, 'current.json'), 'utf8'));
	} catch {
		return null;
	}
	try {
		for (const input of current.inputs) {
			if (statSync(input).mtimeMs > current.builtAt) return null;
		}
		const main = join(out, current.dir, 'main.mjs');
		statSync(main);
		return main;
	} catch {
		// A source was deleted or moved, or the build is gone: build again.
		return null;
	}
}

/** Bundles the CLI and its workers into a new build and makes it current; returns its main.mjs. */
export async function buildCli(out = OUT) {
	const { build } = await import('esbuild');
	mkdirSync(out, { recursive: true });
	const builtAt = Date.now();
	const dir = `build-${builtAt}-${process.pid}`;
	const outdir = join(out, dir);
	const entryPoints = {
		main: join(ROOT, 'src/cli/main.ts'),
		...Object.fromEntries(WORKERS.map((w) => [w, join(ROOT, `src/workers/${w}.ts`)]))
	};
	const result = await build({
		entryPoints,
		outdir,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		entryNames: '[name]',
		chunkNames: 'chunk-[hash]',
		// .mjs: Node loads it as ESM without first scanning it for its module format.
		outExtension: { '.js': '.mjs' },
		// Less to read and parse at every start; names are kept, so stack traces still read.
		minifyWhitespace: true,
		minifySyntax: true,
		// Bundled CommonJS modules that require Node built-ins need a real `require`.
		banner: {
			js: "import { createRequire as __sluiceRequire } from 'node:module'; const require = __sluiceRequire(import.meta.url);"
		},
		metafile: true,
		logLevel: 'error'
	});
	// Checked at every start, so only what an edit changes: the sources themselves. A change in
	// node_modules comes with an install, which rewrites its lock file (and runs `prepare`).
	const inputs = Object.keys(result.metafile.inputs)
		.map((p) => join(process.cwd(), p))
		.filter((p) => !p.includes('/node_modules/'))
		.concat(join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url));
	const tmp = join(out, `current-${process.pid}.json`);
	writeFileSync(tmp, JSON.stringify({ dir, builtAt, inputs }));
	// Publishes the build: readers see the old current.json or the new one, never a mix.
	renameSync(tmp, join(out, 'current.json'));
	removeOldBuilds(out, dir);
	return join(outdir, 'main.mjs');
}

/** Removes builds in `out` other than `keep` made more than an hour ago.
 * @param {string} out
 * @param {string} keep
 */
function removeOldBuilds(out, keep) {
	for (const name of readdirSync(out)) {
		if (!name.startsWith('build-') || name === keep) continue;
		const path = join(out, name);
		try {
			if (Date.now() - statSync(path).mtimeMs > STALE_MS)
				rmSync(path, { recursive: true, force: true });
		} catch {
			// Another process removed it first.
		}
	}
}

// `node bin/cli-build.mjs` (the `prepare` script): build now.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const main = await buildCli();
	console.log(`built the sluice command into ${relative(ROOT, dirname(main))}/`);
}
