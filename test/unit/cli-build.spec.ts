// The compiled `sluice` command (bin/cli-build.mjs): built into a folder of its own, found again
// while no source changed, rebuilt when one did, and able to run a pipeline with its own
// compiled workers (no TypeScript compiled at start-up).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCli, freshBuild, ROOT } from '../../bin/cli-build.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'sluice-cli-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the built command's `main` in a child process; resolves with its output and code. */
function runBuilt(main: string, args: string[]): Promise<{ code: number | null; out: string }> {
	const script = join(tmp, 'run-built.mjs');
	writeFileSync(
		script,
		`const { main } = await import(${JSON.stringify(pathToFileURL(main).href)});\n` +
			`process.exitCode = await main(${JSON.stringify(args)});\n`
	);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [script], { cwd: ROOT });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, out }));
	});
}

describe('the compiled sluice command', () => {
	const out = join(tmp, 'dist-cli');
	let main = '';

	it('is built as JavaScript and found again while no source is newer', async () => {
		main = await buildCli(out);
		expect(main.endsWith('main.mjs')).toBe(true);
		expect(freshBuild(out)).toBe(main);
	});

	it('runs a CSV pipeline on two compiled workers without tsx', async () => {
		const doc = JSON.parse(
			readFileSync(join(ROOT, 'static/examples/csv-filter-group.json'), 'utf8')
		) as { nodes: { id: string; params: Record<string, unknown> }[] };
		const path = join(tmp, 'pipeline.json');
		writeFileSync(path, JSON.stringify(doc));
		const ran = await runBuilt(main, ['run', path, '--workers', '2']);
		expect(ran.out).toContain('Result: 6 rows');
		expect(ran.out).toMatch(/on 2 workers/);
		expect(ran.code).toBe(0);
		// The built files import nothing that compiles TypeScript.
		expect(readFileSync(main, 'utf8')).not.toContain('tsx');
	});

	it('is stale once a file it was built from is newer, and after a rebuild fresh again', async () => {
		const current = JSON.parse(readFileSync(join(out, 'current.json'), 'utf8')) as {
			inputs: string[];
			builtAt: number;
		};
		const edited = join(tmp, 'edited.ts');
		writeFileSync(edited, '');
		const later = new Date(current.builtAt + 5000);
		utimesSync(edited, later, later);
		current.inputs.push(edited);
		writeFileSync(join(out, 'current.json'), JSON.stringify(current));
		expect(freshBuild(out)).toBeNull();

		const rebuilt = await buildCli(out);
		expect(rebuilt).not.toBe(main);
		expect(freshBuild(out)).toBe(rebuilt);
	});
});
