// Finds a Chromium for Playwright, in this order: $CHROMIUM_PATH, /usr/bin/chromium,
// Playwright's own browser; then tries `npx playwright install chromium`, then (as root with
// apt-get) `apt-get install -y chromium`. Prints what to install when all of that fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function playwrightBrowser() {
	try {
		const r = spawnSync(
			process.execPath,
			['-e', "import('playwright-core').then(m=>console.log(m.chromium.executablePath()))"],
			{ encoding: 'utf8' }
		);
		const path = r.stdout.trim();
		return path && existsSync(path) ? path : undefined;
	} catch {
		return undefined;
	}
}

function firstExisting() {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (existsSync(fromEnv)) return fromEnv;
		console.warn(`CHROMIUM_PATH=${fromEnv} does not exist; looking elsewhere.`);
	}
	return SYSTEM_PATHS.find((p) => existsSync(p)) ?? playwrightBrowser();
}

function run(cmd, args) {
	console.log(`> ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', timeout: 10 * 60_000 });
	return r.status === 0;
}

export function findChromium() {
	let path = firstExisting();
	if (path) return path;
	console.log('No Chromium found; trying to install one.');
	if (run('npx', ['playwright', 'install', 'chromium']) && (path = playwrightBrowser()))
		return path;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (isRoot && spawnSync('which', ['apt-get']).status === 0) {
		if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'chromium'])) {
			path = firstExisting();
			if (path) return path;
		}
	}
	throw new Error(
		'No Chromium for the browser tests. Install one of: the Debian/Ubuntu package `chromium` ' +
			"(apt-get install -y chromium), or Playwright's browser (npx playwright install chromium), " +
			'or set CHROMIUM_PATH to a Chromium or Chrome executable.'
	);
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(findChromium());
