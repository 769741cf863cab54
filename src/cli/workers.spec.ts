// `sluice run --workers N` with N above the cores available: the run gets one worker per core
// and stderr says the request was lowered (a 64-worker pool once took minutes and gigabytes).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, type CliOptions } from './args';
import { runCommand, type CliIo } from './commands';

const EXAMPLE = fileURLToPath(
	new URL('../../static/examples/csv-filter-group.json', import.meta.url)
);

function io(): CliIo & { lines: string[]; errors: string[] } {
	const lines: string[] = [];
	const errors: string[] = [];
	return {
		lines,
		errors,
		out: (line) => lines.push(line),
		err: (line) => errors.push(line),
		progress: { isTTY: false, write: () => true },
		onInterrupt: () => () => {}
	};
}

function options(argv: string[]): CliOptions {
	const parsed = parseCliArgs(argv);
	if (!parsed.ok || !('options' in parsed)) throw new Error(JSON.stringify(parsed));
	return parsed.options;
}

describe('sluice run --workers', () => {
	it('lowers 64 workers to the cores available and says so', async () => {
		const cores = availableParallelism();
		const out = io();
		expect(await runCommand(options(['run', EXAMPLE, '--workers', '64']), out)).toBe(0);
		expect(out.errors).toContain(
			`note: --workers 64 lowered to ${cores}: this machine has ${cores} core${cores === 1 ? '' : 's'}`
		);
		expect(out.lines.find((l) => l.startsWith('done:'))).toMatch(
			new RegExp(`^done: 228 rows .* on ${cores} worker${cores === 1 ? '' : 's'}$`)
		);
	}, 120_000);
});
