// `npm test`: lint, typecheck, unit + Node worker tests, production build, browser tests.
// Every step runs even when an earlier one fails, so one run shows every problem; the exit
// code is non-zero if any step failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

mkdirSync('reports', { recursive: true });
const steps = [
	['lint', 'npm', ['run', '--silent', 'lint']],
	['typecheck', 'npm', ['run', '--silent', 'check']],
	[
		'unit',
		'npx',
		[
			'vitest',
			'run',
			'--reporter=default',
			'--reporter=json',
			'--outputFile.json=reports/vitest.json'
		]
	],
	['build', 'npx', ['vite', 'build', '--logLevel', 'warn']],
	['e2e', 'node', ['scripts/e2e.mjs']]
];

const failed = [];
for (const [name, cmd, args] of steps) {
	const started = Date.now();
	console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit' });
	const secs = ((Date.now() - started) / 1000).toFixed(1);
	console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${secs}s`);
	if (r.status !== 0) failed.push(name);
}
if (failed.length) {
	console.error(`\nFailed steps: ${failed.join(', ')}`);
	process.exit(1);
}
console.log('\nAll steps passed.');
