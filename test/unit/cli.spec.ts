// `sluice` as a user runs it: `node bin/sluice.mjs ...` in a child process, judged by its exit
// code, stdout and stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/lib/graph/document';
import { validateRunMetricsReport } from '../../src/lib/runtime/metrics/report';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sluice.mjs');
const EXAMPLE = join(ROOT, 'static/examples/generator-filter-table.json');
const JOIN_EXAMPLE = join(ROOT, 'static/examples/join-two-sources.json');
/** Generator rows of the filter example (its `rows` param). */
const EXAMPLE_ROWS = 1_000_000;

const tmp = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Ran {
	code: number | null;
	stdout: string;
	stderr: string;
}

function sluice(...args: string[]): Promise<Ran> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: process.env });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

function readDoc(path: string): PipelineDocument {
	return JSON.parse(readFileSync(path, 'utf8')) as PipelineDocument;
}

function writeDoc(name: string, doc: PipelineDocument): string {
	const path = join(tmp, name);
	writeFileSync(path, JSON.stringify(doc));
	return path;
}

/** Lines of a child's stderr that are not npm/node noise. */
function errorLines(stderr: string): string[] {
	return stderr
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l !== '');
}

describe('sluice run', () => {
	it('prints the table sink with its column types, 20 rows and the total, and writes metrics', async () => {
		const metricsPath = join(tmp, 'metrics.json');
		const ran = await sluice('run', EXAMPLE, '--workers', '2', '--metrics', metricsPath);
		expect(ran.stderr).toBe('');
		expect(ran.code).toBe(0);

		const lines = ran.stdout.split('\n');
		const title = lines.findIndex((l) => l.startsWith('Preview: '));
		expect(title).toBeGreaterThanOrEqual(0);
		const total = Number(lines[title].replace(/^Preview: ([\d,]+) rows$/, '$1').replace(/,/g, ''));
		expect(total).toBeGreaterThan(0);
		expect(total).toBeLessThan(EXAMPLE_ROWS);
		expect(lines[title + 1].split(/\s{2,}/)).toEqual([
			'id (int32)',
			'user (int32)',
			'amount (float64)',
			'country (utf8)',
			'premium (bool)'
		]);
		const rows = lines.slice(title + 3, title + 23).map((l) => l.trim().split(/\s+/));
		for (const [, , amount, , premium] of rows) {
			// The filter is `amount > 400 and premium`: every printed row satisfies it.
			expect(Number(amount)).toBeGreaterThan(400);
			expect(premium).toBe('true');
		}
		expect(lines[title + 23]).toBe(
			`… ${(total - 20).toLocaleString('en-US')} more rows (total ${total.toLocaleString('en-US')})`
		);
		expect(ran.stdout).toMatch(/^done: 1,000,000 rows · [\d,]+ rows\/s · .* on 2 workers$/m);

		// The run metrics report, the same format the editor's panel downloads.
		const metrics = JSON.parse(readFileSync(metricsPath, 'utf8'));
		expect(validateRunMetricsReport(metrics)).toMatchObject({ ok: true });
		expect(metrics).toMatchObject({ format: 'sluice-metrics', version: 1, status: 'done' });
		expect(metrics.workers).toHaveLength(2);
		expect(metrics.stages[0].name).toBe('Synthetic events');
		expect(metrics.stages[0].totals.rowsOut).toBe(EXAMPLE_ROWS);
		expect(metrics.edges.length).toBeGreaterThan(0);
		expect(metrics.edges[0].totals.rows).toBeGreaterThan(0);
	});

	it('prints nothing but exits 0 with --quiet', async () => {
		const doc = readDoc(EXAMPLE);
		doc.nodes[0].params = { ...doc.nodes[0].params, rows: 10_000 };
		const ran = await sluice('run', writeDoc('small.json', doc), '--workers', '1', '--quiet');
		expect(ran).toEqual({ code: 0, stdout: '', stderr: '' });
	});

	it('exits 1 with one line naming the stage when the run fails', async () => {
		const doc = readDoc(JOIN_EXAMPLE);
		// A build side held to 1,000 bytes cannot take the customers table.
		const joinNode = doc.nodes.find((n) => n.kind === 'join')!;
		joinNode.params = { ...joinNode.params, maxBuildBytes: 1000 };
		const ran = await sluice('run', writeDoc('join-fails.json', doc), '--workers', '1');
		expect(ran.code).toBe(1);
		const errors = errorLines(ran.stderr);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(
			/^error: stage 'Orders ⋈ customers' failed( at batch \d+)?: .*maxBuildBytes/
		);
	});

	it('exits 2 with one line naming the node when the document is invalid', async () => {
		const doc = readDoc(EXAMPLE);
		doc.nodes.find((n) => n.id === 'big-premium')!.params = { expression: 'amount > "x"' };
		const ran = await sluice('run', writeDoc('bad-filter.json', doc));
		expect(ran.code).toBe(2);
		expect(ran.stdout).toBe('');
		const errors = errorLines(ran.stderr);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/^error: node 'big-premium' param 'expression': /);
	});

	it('exits 2 naming the node of an unknown kind, and the file when it is not there', async () => {
		const doc = readDoc(EXAMPLE);
		doc.nodes[1].kind = 'filtr';
		const missingPath = join(tmp, 'nowhere.json');
		const [unknown, missing] = await Promise.all([
			sluice('run', writeDoc('unknown-kind.json', doc)),
			sluice('run', missingPath)
		]);
		expect(unknown.code).toBe(2);
		expect(errorLines(unknown.stderr)).toEqual([
			"error: node 'big-premium': unknown kind 'filtr'; did you mean 'filter'?"
		]);
		expect(missing.code).toBe(2);
		expect(errorLines(missing.stderr)).toEqual([
			`error: cannot read '${missingPath}': no such file`
		]);
	});

	it('reads a local CSV file, and names the node whose file is missing', async () => {
		const csv = join(tmp, 'fruit.csv');
		writeFileSync(csv, 'name,qty,price\napple,3,1.5\npear,,2.25\nplum,7,0.5\n');
		const doc = (source: string): PipelineDocument => ({
			version: 1,
			id: 'fruit',
			name: 'fruit',
			nodes: [
				{ id: 'fruit', kind: 'csv', params: { source }, position: { x: 0, y: 0 } },
				{ id: 'tbl', kind: 'table', params: {}, position: { x: 280, y: 0 } }
			],
			edges: [{ id: 'e', from: { node: 'fruit', port: 'out' }, to: { node: 'tbl', port: 'in' } }]
		});
		const missingCsv = join(tmp, 'no-fruit.csv');
		const [found, missing] = await Promise.all([
			sluice('run', writeDoc('fruit.json', doc(csv)), '--workers', '1'),
			sluice('run', writeDoc('no-fruit.json', doc(missingCsv)))
		]);
		expect(found.code).toBe(0);
		const lines = found.stdout.split('\n');
		expect(lines[0]).toBe('Table (tbl): 3 rows');
		expect(lines[1].split(/\s{2,}/)).toEqual(['name (utf8)', 'qty (int32)', 'price (float64)']);
		expect(lines.slice(3, 6).map((l) => l.trim().split(/\s+/))).toEqual([
			['apple', '3', '1.5'],
			['pear', 'null', '2.25'],
			['plum', '7', '0.5']
		]);
		expect(missing.code).toBe(2);
		const errors = errorLines(missing.stderr);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/^error: node 'fruit': /);
		expect(errors[0]).toContain(missingCsv);
	});

	it('exits 2 with one line for a bad flag, a budget too small and an unknown command', async () => {
		// Every flag rule is specified in src/cli/args.spec.ts; these check the wiring end to end.
		const cases: [string[], RegExp][] = [
			[['run', EXAMPLE, '--budget', 'lots'], /^error: --budget must be a size like/],
			[['run', EXAMPLE, '--budget', '1KB'], /^error: --budget is too small/],
			[['run', EXAMPLE, '--frob'], /^error: Unknown option '--frob'/],
			[['launch', EXAMPLE], /^error: unknown command 'launch'/]
		];
		const runs = await Promise.all(cases.map(([args]) => sluice(...args)));
		runs.forEach((ran, i) => {
			const [args, message] = cases[i];
			expect(ran.code, args.join(' ')).toBe(2);
			expect(ran.stdout, args.join(' ')).toBe('');
			const errors = errorLines(ran.stderr);
			expect(errors, args.join(' ')).toHaveLength(1);
			expect(errors[0], args.join(' ')).toMatch(message);
		});
	});
});

describe('sluice explain', () => {
	it('prints the plan: its stages, workers and rings', async () => {
		const ran = await sluice('explain', EXAMPLE, '--workers', '2', '--budget', '64MiB');
		expect(ran.code).toBe(0);
		expect(ran.stdout).toMatch(/^Plan: \d+ stages on \d+ workers?, \d+ rings, budget 64 MiB/);
		expect(ran.stdout).toMatch(/stage 0: Synthetic events .*kernel node:generator/);
		expect(ran.stdout).toContain('Big premium orders');
	});

	it('lists the commands and options with --help', async () => {
		const ran = await sluice('--help');
		expect(ran.code).toBe(0);
		for (const word of [
			'run',
			'explain',
			'--workers',
			'--budget',
			'--metrics',
			'--live',
			'--quiet'
		])
			expect(ran.stdout).toContain(word);
	});
});
