// `sluice run --out`: a pipeline's sink result written as CSV, Arrow IPC and Parquet, then read
// back by our own sources.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './commands';
import { parseCliArgs } from './args';
import { cliOptions, recordingIo } from './cli-fixtures.spec-support';
import { outFormat } from './out-file';

const ROWS = 5000;

function pipelineFile(dir: string, sink: string): string {
	const doc = {
		version: 1,
		id: 'out-test',
		name: 'out test',
		nodes: [
			{
				id: 'gen',
				kind: 'sample-dataset',
				params: { name: 'taxi', rows: ROWS },
				position: { x: 0, y: 0 }
			},
			{ id: 'sink', kind: sink, params: {}, position: { x: 200, y: 0 } }
		],
		edges: [{ id: 'e', from: { node: 'gen', port: 'out' }, to: { node: 'sink', port: 'in' } }]
	};
	const path = join(dir, `${sink}.json`);
	writeFileSync(path, JSON.stringify(doc));
	return path;
}

describe('sluice run --out', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sluice-out-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('tells the format from the extension or --format, and refuses an unknown one', () => {
		expect(outFormat('a.csv', undefined)).toEqual({ format: 'csv' });
		expect(outFormat('a.parquet', undefined)).toEqual({ format: 'parquet' });
		expect(outFormat('a.arrow', undefined)).toEqual({ format: 'arrow' });
		expect(outFormat('a.txt', 'csv')).toEqual({ format: 'csv' });
		expect(JSON.stringify(outFormat('a.txt', undefined))).toMatch(/--format/);
		expect(JSON.stringify(outFormat('a.csv', 'xlsx'))).toMatch(/csv, arrow, parquet/);
		expect(parseCliArgs(['run', 'p.json', '--sink', 'x'])).toMatchObject({ ok: false });
	});

	for (const format of ['csv', 'arrow', 'parquet'] as const) {
		it(`writes a collect sink's whole result as ${format}, which the ${format} source reads back`, async () => {
			const file = join(dir, `taxi.${format}`);
			const run = recordingIo();
			const code = await runCommand(
				cliOptions(['run', pipelineFile(dir, 'collect'), '--workers', '1', '--out', file]),
				run
			);
			expect(run.errors.filter((l) => l.startsWith('error'))).toEqual([]);
			expect(code).toBe(0);
			expect(statSync(file).size).toBeGreaterThan(0);

			const readDoc = {
				version: 1,
				id: 'read-back',
				name: 'read back',
				nodes: [
					{ id: 'src', kind: format, params: { source: file }, position: { x: 0, y: 0 } },
					{ id: 'stats', kind: 'statistics', params: {}, position: { x: 200, y: 0 } }
				],
				edges: [{ id: 'e', from: { node: 'src', port: 'out' }, to: { node: 'stats', port: 'in' } }]
			};
			const readPath = join(dir, `read-${format}.json`);
			writeFileSync(readPath, JSON.stringify(readDoc));
			const back = recordingIo();
			expect(await runCommand(cliOptions(['run', readPath, '--workers', '1']), back)).toBe(0);
			expect(back.lines[0]).toMatch(/\(stats\): 5,000 rows$/);
			// One statistics row per taxi column, each counting every row.
			for (const column of ['trip_id', 'pickup', 'fare', 'zone'])
				expect(back.lines.some((l) => l.startsWith(column) && l.includes('5,000'))).toBe(true);
		});
	}

	it('asks for --sink when the pipeline has several sinks, naming them', async () => {
		const doc = {
			version: 1,
			id: 'two',
			name: 'two sinks',
			nodes: [
				{
					id: 'gen',
					kind: 'sample-dataset',
					params: { name: 'taxi', rows: 100 },
					position: { x: 0, y: 0 }
				},
				{ id: 'a', kind: 'table', params: {}, position: { x: 200, y: 0 } },
				{ id: 'b', kind: 'collect', params: {}, position: { x: 200, y: 100 } }
			],
			edges: [
				{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'a', port: 'in' } },
				{ id: 'e2', from: { node: 'gen', port: 'out' }, to: { node: 'b', port: 'in' } }
			]
		};
		const path = join(dir, 'two.json');
		writeFileSync(path, JSON.stringify(doc));
		const run = recordingIo();
		const code = await runCommand(
			cliOptions(['run', path, '--workers', '1', '--out', join(dir, 'two.csv')]),
			run
		);
		expect(code).toBe(2);
		expect(run.errors.join('\n')).toMatch(/2 sinks \(a, b\).*--sink/);
		const picked = recordingIo();
		const file = join(dir, 'two-b.csv');
		const ok = await runCommand(
			cliOptions(['run', path, '--workers', '1', '--out', file, '--sink', 'b', '--quiet']),
			picked
		);
		expect(ok).toBe(0);
		expect(statSync(file).size).toBeGreaterThan(100);
	});
});
