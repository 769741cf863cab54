// Prints the `N passed, N failed` line CI reads, summed from vitest's and Playwright's JSON
// reports. Exits non-zero when a report is missing, anything failed, or nothing ran.
import { existsSync, readFileSync } from 'node:fs';

function read(path) {
	if (!existsSync(path)) return undefined;
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		return undefined;
	}
}

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

const vitest = read('reports/vitest.json');
if (vitest) {
	passed += vitest.numPassedTests ?? 0;
	failed += vitest.numFailedTests ?? 0;
	skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
	// A file that failed to load counts as a failure even though none of its tests ran.
	if (vitest.success === false && (vitest.numFailedTests ?? 0) === 0)
		failed += vitest.numFailedTestSuites || 1;
} else missing.push('vitest');

const pw = read('reports/playwright.json');
if (pw?.stats) {
	passed += pw.stats.expected ?? 0;
	failed += (pw.stats.unexpected ?? 0) + (pw.stats.flaky ?? 0);
	skipped += pw.stats.skipped ?? 0;
	if ((pw.errors ?? []).length) failed += pw.errors.length;
} else missing.push('playwright');

if (missing.length) console.log(`missing reports: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 || missing.length ? 1 : 0);
