// Ctrl-C is never lost: `sluice run` of a 2-worker sort written with --out is interrupted at
// random points (seeded, printed, replayable with SEED=…), from the start of the run to the
// last chunk of the file. Every interrupt that comes while the command listens for it ends it with
// exit 130 and no output file; one that comes after finds it done.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../lib/runtime/testing/prng';
import { runCommand, type CliIo } from './commands';
import { cliOptions } from './cli-fixtures.spec-support';
import { EXIT } from './exit-codes';

const doc = {
	version: 1,
	id: 'interrupt',
	name: 'interrupt',
	nodes: [
		{
			id: 'g',
			kind: 'generator',
			params: {
				rows: 150_000,
				seed: 1,
				columns: [
					{ name: 'x', type: 'float' },
					{ name: 's', type: 'string', cardinality: 40_000 }
				]
			},
			position: { x: 0, y: 0 }
		},
		{ id: 'srt', kind: 'sort', params: { by: [{ column: 's' }] }, position: { x: 200, y: 0 } },
		{ id: 'c', kind: 'collect', params: {}, position: { x: 400, y: 0 } }
	],
	edges: [
		{ id: 'e1', from: { node: 'g', port: 'out' }, to: { node: 'srt', port: 'in' } },
		{ id: 'e2', from: { node: 'srt', port: 'out' }, to: { node: 'c', port: 'in' } }
	]
};

/** An io whose Ctrl-C the test presses with `interrupt()`. */
function io(): CliIo & { errors: string[]; listening(): boolean; interrupt(): void } {
	const errors: string[] = [];
	let handler: (() => void) | null = null;
	return {
		errors,
		out: () => {},
		err: (line) => errors.push(line),
		progress: { isTTY: false, write: () => true },
		onInterrupt: (h) => {
			handler = h;
			return () => (handler = null);
		},
		listening: () => handler !== null,
		interrupt: () => handler?.()
	};
}

describe('sluice run interrupted', () => {
	let dir: string;
	let file: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sluice-interrupt-'));
		file = join(dir, 'sort.json');
		writeFileSync(file, JSON.stringify(doc));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('ends cancelled (exit 130, no file) whenever Ctrl-C comes while the command listens', async () => {
		const seed = Number(process.env.SEED ?? Date.now() % 1e9);
		console.log(`interrupt seed ${seed}`);
		const random = mulberry32(seed);
		const argv = (out: string) => ['run', file, '--workers', '2', '--quiet', '--out', out];
		// One uninterrupted run measures how long the command takes on this machine.
		const t0 = performance.now();
		expect(await runCommand(cliOptions(argv(join(dir, 'whole.csv'))), io())).toBe(EXIT.OK);
		const commandMs = performance.now() - t0;
		let before = 0;
		for (let i = 0; i < 8; i++) {
			const out = join(dir, `out-${i}.csv`);
			const cli = io();
			const code = runCommand(cliOptions(argv(out)), cli);
			// Late points (the file being written, the results) are the ones a cancel was lost in.
			const delay = commandMs * (0.3 + 0.8 * random.next());
			await new Promise((resolve) => setTimeout(resolve, delay));
			// Once the command stops listening (its answer is decided and the pool shutting down),
			// a real Ctrl-C takes Node's default path and ends the process: nothing to lose there.
			const pressedBefore = cli.listening();
			cli.interrupt();
			const exit = await code;
			const where = `seed ${seed}, run ${i}, Ctrl-C after ${delay.toFixed(0)} ms`;
			if (pressedBefore) {
				before++;
				expect(exit, where).toBe(EXIT.INTERRUPTED);
				expect(existsSync(out), where).toBe(false);
				expect(cli.errors.at(-1), where).toMatch(/^cancelled after [\d.]+ s/);
			} else expect(exit, where).toBe(EXIT.OK);
		}
		expect(before).toBeGreaterThan(0);
	}, 600_000);
});
