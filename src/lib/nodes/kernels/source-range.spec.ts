import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../runtime/testing/prng';
import { linesBefore, planShare, SPLIT_SAMPLE_BYTES, type CsvShare } from './source-range';

function drain(share: CsvShare): number[] {
	if (share.kind !== 'range') return [];
	const bytes: number[] = [];
	for (let chunk = share.chunks.poll(); chunk !== null; chunk = share.chunks.poll())
		bytes.push(...chunk);
	expect(share.chunks.ended).toBe(true);
	return bytes;
}

describe('sharing a CSV file between instances', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'sluice-range-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	function file(name: string, text: string): string {
		const path = join(dir, name);
		writeFileSync(path, text);
		return path;
	}

	it('tiles the file with ranges that start after line breaks, for 1 to 7 instances', () => {
		const prng = mulberry32(77);
		const rows = Array.from({ length: 400 }, (_, i) => `${i},${'é'.repeat(prng.int(0, 30))}`);
		const path = file('tiles.csv', `id,name\r\n${rows.join('\r\n')}`);
		const bytes = [...readFileSync(path)];
		for (let n = 2; n <= 7; n++) {
			const shares = Array.from({ length: n }, (_, k) =>
				planShare({ kind: 'file', path }, k, n, true, {})
			);
			let at = 0;
			const read: number[] = [];
			for (const share of shares) {
				expect(share.kind, `seed 77, ${n} instances`).toBe('range');
				if (share.kind !== 'range') return;
				expect(share.start, `${n} instances`).toBe(at);
				if (share.start > 0) expect(bytes[share.start - 1]).toBe(10);
				at = share.end;
				read.push(...drain(share));
			}
			expect(at).toBe(bytes.length);
			expect(read).toEqual(bytes);
		}
	});

	it('gives instance 0 the whole source and the others nothing when not splitting', () => {
		const path = file('whole.csv', 'a\n1\n2\n');
		const plan = (k: number, n: number, parallel: boolean) =>
			planShare({ kind: 'file', path }, k, n, parallel, {}).kind;
		expect(plan(0, 1, true)).toBe('all');
		expect([plan(0, 2, false), plan(1, 2, false)]).toEqual(['all', 'nothing']);
		const url = { kind: 'url', url: 'http://127.0.0.1:1/x.csv' } as const;
		expect([0, 1, 2].map((k) => planShare(url, k, 3, true, {}).kind)).toEqual([
			'all',
			'nothing',
			'nothing'
		]);
	});

	it('does not split a file whose first 64 KiB hold a line break inside quotes', () => {
		const path = file('quoted.csv', 'a,b\n1,"two\nlines"\n' + '2,x\n'.repeat(1000));
		expect([0, 1].map((k) => planShare({ kind: 'file', path }, k, 2, true, {}).kind)).toEqual([
			'all',
			'nothing'
		]);
		const late = file('late.csv', 'a,b\n' + '2,x\n'.repeat(SPLIT_SAMPLE_BYTES / 4) + '1,"a\nb"\n');
		const share = planShare({ kind: 'file', path: late }, 1, 2, true, {});
		expect(share.kind).toBe('range');
		drain(share);
	});

	it('keeps the header line with instance 0 even when the file is tinier than the count', () => {
		const path = file('tiny.csv', 'name\nx\n');
		const shares = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) =>
			planShare({ kind: 'file', path }, k, 10, true, {})
		);
		const ranges = shares.map((s) => (s.kind === 'range' ? [s.start, s.end] : null));
		expect(ranges[0]).toEqual([0, 5]);
		expect(ranges.slice(1).every((r) => r !== null && r[0] >= 5)).toBe(true);
		shares.forEach(drain);
	});

	it('names the path when the file cannot be opened', () => {
		const missing = join(dir, 'missing.csv');
		expect(() => planShare({ kind: 'file', path: missing }, 1, 2, true, {})).toThrow(missing);
	});

	it('counts the lines before a range and tells whether a quoted field spans its start', () => {
		const path = file('lines.csv', 'a,b\r\n1,"x\ny"\n2,z\r\n');
		expect(linesBefore(path, 5, {})).toEqual({ lines: 1, aligned: true });
		expect(linesBefore(path, 10, {})).toEqual({ lines: 2, aligned: false });
		expect(linesBefore(path, 18, {})).toEqual({ lines: 4, aligned: false });
	});
});
