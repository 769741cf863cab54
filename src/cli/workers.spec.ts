// `sluice run --workers N` with N above the cores available: the run gets one worker per core
// and stderr says the request was lowered (a 64-worker pool once took minutes and gigabytes).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from './commands';
import { cliOptions, recordingIo } from './cli-fixtures.spec-support';

const EXAMPLE = fileURLToPath(
	new URL('../../static/examples/csv-filter-group.json', import.meta.url)
);

describe('sluice run --workers', () => {
	it('lowers 64 workers to the cores available and says so', async () => {
		const cores = availableParallelism();
		const out = recordingIo();
		expect(await runCommand(cliOptions(['run', EXAMPLE, '--workers', '64']), out)).toBe(0);
		expect(out.errors).toContain(
			`note: --workers 64 lowered to ${cores}: this machine has ${cores} core${cores === 1 ? '' : 's'}`
		);
		expect(out.lines.find((l) => l.startsWith('done:'))).toMatch(
			new RegExp(`^done: 228 rows .* on ${cores} worker${cores === 1 ? '' : 's'}$`)
		);
	}, 120_000);
});
