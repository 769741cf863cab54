// What the CSV parser says about the rows it could not pass on as they were: counts per reason
// with the first lines (CsvParser.report), the unclosed-quote and record-cap rules of
// csv-scanner.ts, and a property over random files with injected faults: rows in = rows out +
// rows skipped, and 'null' never drops a row.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { skippedRows } from '../../runtime/source-report';
import { parse } from './csv-fixtures.spec-support';
import { CsvParser } from './csv-parser';

const fixture = (name: string) => readFileSync(`test/fixtures/csv/${name}`);

describe('CSV bad rows are counted, never lost in silence', () => {
	const weather = fixture('weather-unclosed-quote.csv');

	it('skips only the row with an unclosed quote, and says which', () => {
		const { rows, parser } = parse(weather, { badRows: 'skip' });
		expect(rows).toHaveLength(19);
		expect(parser.report()).toEqual({
			issues: [
				{
					reason: 'unclosed-quote',
					action: 'skipped',
					count: 1,
					samples: [
						{
							line: 7,
							column: 'weather',
							message: "line 7, column 'weather': quoted field opened on line 7 is never closed"
						}
					]
				}
			]
		});
	});

	it("keeps that row under 'null' with the broken field null", () => {
		const { rows, parser } = parse(weather, { badRows: 'null' });
		expect(rows).toHaveLength(20);
		expect(rows[5].slice(1)).toEqual([0.9, 11.3, 5.7, 2.2, null]);
		expect(rows[6][5]).toBe('snow');
		expect(parser.report()?.issues).toMatchObject([
			{ reason: 'unclosed-quote', action: 'nulled', count: 1, samples: [{ line: 7 }] }
		]);
	});

	it('counts ragged rows skipped, or nulled and truncated', () => {
		const ragged = fixture('weather-ragged.csv');
		const skip = parse(ragged, { badRows: 'skip' });
		expect(skip.rows).toHaveLength(18);
		expect(skip.parser.report()?.issues).toMatchObject([
			{ reason: 'ragged', action: 'skipped', count: 2, samples: [{ line: 5 }, { line: 12 }] }
		]);
		const kept = parse(ragged, { badRows: 'null' });
		expect(kept.rows).toHaveLength(20);
		expect(kept.rows[3].slice(4)).toEqual([null, null]);
		expect(kept.parser.report()?.issues).toMatchObject([
			{ reason: 'ragged', action: 'nulled', count: 1, samples: [{ line: 5 }] },
			{ reason: 'ragged', action: 'truncated', count: 1, samples: [{ line: 12 }] }
		]);
	});

	it('counts a row with two bad values once, and keeps the first five lines as samples', () => {
		const lines = ['a,b', ...Array.from({ length: 8 }, (_, i) => `x${i},y${i}`)];
		const { rows, parser } = parse(lines.join('\n'), {
			badRows: 'null',
			types: { a: 'int32', b: 'int32' }
		});
		expect(rows).toHaveLength(8);
		const [issue] = parser.report()!.issues;
		expect(issue).toMatchObject({ reason: 'bad-value', action: 'nulled', count: 8 });
		expect(issue.samples.map((s) => s.line)).toEqual([2, 3, 4, 5, 6]);
	});

	it('reports nothing for a clean file', () => {
		expect(parse('a,b\n1,2\n', { badRows: 'skip' }).parser.report()).toBeNull();
	});

	it('warns about an empty or BOM-only file, but not about a header with no rows', () => {
		for (const input of [new Uint8Array(0), new Uint8Array([0xef, 0xbb, 0xbf]), '\n\n']) {
			const { rows, parser } = parse(input);
			expect(rows).toEqual([]);
			expect(parser.report()?.issues).toEqual([
				{
					reason: 'empty-input',
					action: 'warning',
					count: 1,
					samples: [{ message: 'the file is empty: no header and no rows' }]
				}
			]);
		}
		expect(parse('a,b\n').parser.report()).toBeNull();
	});
});

describe('CSV record cap', () => {
	const MiB = 1024 * 1024;

	/** Feeds `chunks` chunks of `size` bytes of `byte` after `head`. */
	function endless(head: string, byte: number, chunks: number, options: object) {
		const parser = new CsvParser(options);
		parser.push(new TextEncoder().encode(head));
		const chunk = new Uint8Array(64 * 1024).fill(byte);
		for (let i = 0; i < chunks; i++) parser.push(chunk);
		return parser;
	}

	it('fails an endless line (as /dev/zero is) at the cap, naming it and the byte offset', () => {
		expect(() => endless('a,b\n', 0, 40, { maxRecordBytes: MiB })).toThrow(
			'line 2: record longer than the 1 MiB limit (at byte 1048580)'
		);
	});

	it('fails an endless header at the cap without quoting it', () => {
		let message = '';
		try {
			endless('', 0x41, 40, { maxRecordBytes: MiB });
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/^the header cannot be read: line 1: record longer than the 1 MiB/);
		expect(message.length).toBeLessThan(200);
	});

	it('skips an over-long line without keeping it, and reads the lines after it', () => {
		const parser = new CsvParser({ maxRecordBytes: MiB, badRows: 'skip' });
		const enc = new TextEncoder();
		const out = [...parser.push(enc.encode('a,b\n1,'))];
		const chunk = new Uint8Array(64 * 1024).fill(0x7a);
		for (let i = 0; i < 40; i++) out.push(...parser.push(chunk));
		out.push(...parser.push(enc.encode('\n2,y\n')), ...parser.finish());
		expect(out.reduce((n, b) => n + b.length, 0)).toBe(1);
		expect(parser.report()?.issues).toMatchObject([
			{ reason: 'too-long', action: 'skipped', count: 1, samples: [{ line: 2 }] }
		]);
	});

	it('strips control bytes from quoted values (a terminal escape in a file stays inert)', () => {
		expect(() => parse('n\n1\n\x1b]0;pwned\x07\n', { types: { n: 'int32' } })).toThrow(
			"line 3, column 'n': '\\x1b]0;pwned\\x07' is not a int32"
		);
	});
});

// ---- property: random files with injected faults ----

const SEED = 1202;
const MODES = ['skip', 'null'] as const;

interface Fault {
	kind: 'none' | 'unclosed' | 'short' | 'long' | 'bad';
}

/**
 * A field value that needs no quotes, or a quoted one (commas and doubled quotes inside). A
 * quoted value starts with a letter: a stray quote earlier in the file pairs with its opening
 * quote, and only a letter after it shows the pairing is wrong (see csv-scanner.ts).
 */
const text = fc.oneof(
	fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
	fc.stringMatching(/^[a-z][a-z,"]{0,4}$/).map((s) => `"${s.replaceAll('"', '""')}"`)
);

const file = fc.record({
	width: fc.integer({ min: 1, max: 4 }),
	rows: fc.array(
		fc.record({
			ints: fc.array(fc.integer({ min: -999, max: 999 }), { minLength: 4, maxLength: 4 }),
			texts: fc.array(text, { minLength: 4, maxLength: 4 }),
			fault: fc.constantFrom<Fault['kind']>(
				'none',
				'none',
				'none',
				'unclosed',
				'short',
				'long',
				'bad'
			),
			at: fc.nat(3)
		}),
		{ minLength: 1, maxLength: 40 }
	),
	cuts: fc.array(fc.nat(2000), { maxLength: 4 }),
	crlf: fc.boolean()
});

type File = typeof file extends fc.Arbitrary<infer T> ? T : never;

/** Columns alternate int32 and utf8 (fixed by `types`, so inference cannot shift under a fault). */
function render(f: File): { text: string; lines: number; types: Record<string, 'int32' | 'utf8'> } {
	const names = Array.from({ length: f.width }, (_, i) => `c${i}`);
	const types = Object.fromEntries(
		names.map((n, i) => [n, i % 2 === 0 ? 'int32' : 'utf8'] as const)
	);
	const lines = [names.join(',')];
	for (const row of f.rows) {
		let fields = names.map((_, i) => (i % 2 === 0 ? String(row.ints[i]) : row.texts[i]));
		const at = row.at % f.width;
		if (row.fault === 'unclosed') fields[at] = `"open${fields[at].replaceAll('"', '')}`;
		if (row.fault === 'short') fields = fields.slice(0, Math.max(0, f.width - 1 - (row.at % 2)));
		if (row.fault === 'long') fields.push('extra');
		if (row.fault === 'bad') fields[0] = 'oops';
		const line = fields.join(',');
		// A one-column row that became empty is a blank line, which is no record: give it a value.
		lines.push(line === '' ? 'x' : line);
	}
	return { text: lines.join(f.crlf ? '\r\n' : '\n') + '\n', lines: f.rows.length, types };
}

describe('CSV bad rows, property', () => {
	for (const mode of MODES) {
		it(`rows in = rows out + rows skipped under '${mode}' (seed ${SEED})`, () => {
			fc.assert(
				fc.property(file, (f) => {
					const { text, lines, types } = render(f);
					const bytes = new TextEncoder().encode(text);
					const cuts = [...new Set(f.cuts.map((c) => c % (bytes.length + 1)))].sort(
						(a, b) => a - b
					);
					const { rows, parser } = parse(bytes, { badRows: mode, types }, cuts);
					const skipped = skippedRows(parser.report());
					expect(rows.length + skipped).toBe(lines);
					expect(parser.rowsRead()).toBe(lines);
					if (mode === 'null') expect(rows.length).toBe(lines);
					const faults = f.rows.filter((r) => r.fault !== 'none').length;
					if (faults === 0) expect(parser.report()).toBeNull();
				}),
				{ seed: SEED, numRuns: 400 }
			);
		});
	}
});
