// `sluice run` says what a source skipped, nulled or cut (stderr, one warning per reason with
// the lines, then the messages), and writes the same into the --metrics report; an empty file
// is a warning, not a silent 0 rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './commands';
import { cliOptions, recordingIo } from './cli-fixtures.spec-support';

function pipelineFile(dir: string, source: string, badRows: string, kind = 'csv'): string {
	const path = join(dir, `p-${kind}-${badRows}.json`);
	const params = kind === 'csv' ? { source, badRows } : { source };
	const doc = {
		version: 1,
		id: 'p',
		name: 'report',
		nodes: [
			{ id: 'src', kind, params, position: { x: 0, y: 0 } },
			{ id: 'out', kind: 'table', params: {}, position: { x: 200, y: 0 } }
		],
		edges: [{ id: 'e', from: { node: 'src', port: 'out' }, to: { node: 'out', port: 'in' } }]
	};
	writeFileSync(path, JSON.stringify(doc));
	return path;
}

describe('sluice run reports bad rows', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sluice-cli-report-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('warns with the skipped lines and puts them in the metrics report', async () => {
		const source = resolve('test/fixtures/csv/weather-ragged.csv');
		const metrics = join(dir, 'metrics.json');
		const out = recordingIo();
		const argv = ['run', pipelineFile(dir, source, 'skip'), '--workers', '1', '--metrics', metrics];
		expect(await runCommand(cliOptions(argv), out)).toBe(0);
		expect(out.errors).toContain(
			'warning: CSV (src): 2 rows skipped (wrong number of fields): line 5, line 12'
		);
		expect(out.errors).toContain('    line 5: expected 6 fields, found 4');
		const report = JSON.parse(readFileSync(metrics, 'utf8'));
		expect(report.sources).toMatchObject([
			{ node: 'src', issues: [{ reason: 'ragged', action: 'skipped', count: 2 }] }
		]);
	}, 120_000);

	it('warns about an empty file', async () => {
		const empty = join(dir, 'empty.csv');
		writeFileSync(empty, '\ufeff');
		const out = recordingIo();
		expect(await runCommand(cliOptions(['run', pipelineFile(dir, empty, 'fail')]), out)).toBe(0);
		expect(out.errors).toContain('warning: CSV (src): the file is empty: no header and no rows');
	}, 120_000);

	it('warns which Parquet columns it could not read and left out', async () => {
		// Written by DuckDB (test/fixtures/parquet/write-unsupported-columns.mjs).
		const source = resolve('test/fixtures/parquet/unsupported-columns.parquet');
		const out = recordingIo();
		const argv = ['run', pipelineFile(dir, source, '-', 'parquet'), '--workers', '1'];
		expect(await runCommand(cliOptions(argv), out)).toBe(0);
		expect(out.errors).toContain(
			"warning: Parquet (src): 6 columns dropped (type Sluice cannot read): 'wait', 'tags', " +
				"'point', 'attrs', 'raw', 'at_time'"
		);
		expect(out.errors).toContain(
			"    'at_time' (INT64 TIME): Sluice cannot read this type, so the column is left out"
		);
	}, 120_000);
});
