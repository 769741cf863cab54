// Playwright end-to-end tests against the production build, in a Chromium found by itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';

const chromium = findChromium();
console.log(`Chromium: ${chromium}`);
if (!existsSync('build/handler.js')) {
	const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, CHROMIUM_PATH: chromium }
});
process.exit(r.status ?? 1);
