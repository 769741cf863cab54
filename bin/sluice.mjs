#!/usr/bin/env node
// The `sluice` command (see `sluice --help`): hands the arguments to src/cli/main.ts and exits
// with its code. It runs the compiled build in dist-cli/ (bin/cli-build.mjs), building it first
// when a source changed since; if it cannot be built, it says why and runs the TypeScript
// sources through tsx, which compiles them at every start (seconds instead of a fraction).
import { pathToFileURL } from 'node:url';
import { buildCli, freshBuild } from './cli-build.mjs';

async function compiledMain() {
	try {
		return await import(pathToFileURL(freshBuild() ?? (await buildCli())).href);
	} catch (error) {
		const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
		process.stderr.write(`note: running sluice from its TypeScript sources (no build: ${why})\n`);
		return null;
	}
}

async function sourceMain() {
	const { register } = await import('tsx/esm/api');
	register();
	return import('../src/cli/main.ts');
}

const { main } = (await compiledMain()) ?? (await sourceMain());
process.exitCode = await main(process.argv.slice(2));
