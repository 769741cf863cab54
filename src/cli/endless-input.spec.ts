// `sluice run` on a CSV source that never ends a line (/dev/zero: endless bytes, no newline)
// stops with an error naming the record cap and the byte offset where it was passed, instead
// of growing its memory until the machine gives out. No timing is asserted: that the run ends
// at all, with that error, is the point.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './commands';
import { cliOptions, recordingIo } from './cli-fixtures.spec-support';

describe.skipIf(!existsSync('/dev/zero'))('sluice run on an endless line', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sluice-cli-endless-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('a CSV source on /dev/zero fails naming the 16 MiB record cap and the byte offset', async () => {
		const path = join(dir, 'zero.json');
		const doc = {
			version: 1,
			id: 'p',
			name: 'endless',
			nodes: [
				{ id: 'src', kind: 'csv', params: { source: '/dev/zero' }, position: { x: 0, y: 0 } },
				{ id: 'out', kind: 'table', params: {}, position: { x: 200, y: 0 } }
			],
			edges: [{ id: 'e', from: { node: 'src', port: 'out' }, to: { node: 'out', port: 'in' } }]
		};
		writeFileSync(path, JSON.stringify(doc));
		const out = recordingIo();
		expect(await runCommand(cliOptions(['run', path, '--workers', '1']), out)).not.toBe(0);
		const error = out.errors.join('\n');
		expect(error).toContain("'/dev/zero'");
		expect(error).toContain('line 1: record longer than the 16 MiB limit (at byte 16777216)');
		expect(out.errors.every((line) => line.length < 400)).toBe(true);
	}, 300_000);
});
