import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchView } from '../../runtime/contracts';
import { CsvError, CsvParser, LineCounter, recordStartAfter, shiftLines } from './index';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const NAMES = ['a', 'b', 'c'];
const TYPES = { a: 'utf8', b: 'utf8', c: 'utf8' } as const;

/** Rows of utf8 batches as strings ('∅' for null), fields joined by '|'. */
function rowsOf(batches: BatchView[]): string[] {
	const out: string[] = [];
	for (const b of batches)
		for (let r = 0; r < b.length; r++)
			out.push(
				b.columns
					.map((col) => {
						if (col.validity && ((col.validity[r >> 3] >> (r & 7)) & 1) === 0) return '∅';
						const o = col.offsets!;
						return decoder.decode((col.values as Uint8Array).subarray(o[r], o[r + 1]));
					})
					.join('|')
			);
	return out;
}

function parse(bytes: Uint8Array, midFile: boolean): string[] {
	const parser = new CsvParser({
		types: TYPES,
		batchRows: 7,
		badRows: 'null',
		columns: midFile ? NAMES : undefined
	});
	return [...rowsOf(parser.push(bytes)), ...rowsOf(parser.finish())];
}

function reader(bytes: Uint8Array) {
	return (position: number, into: Uint8Array): number => {
		const part = bytes.subarray(position, position + into.length);
		into.set(part);
		return part.length;
	};
}

const field = fc.constantFrom('x', '12', 'ü', '日本', '✓✓', '', 'NA', '"q, r"', '"say ""hi"""');
const eol = fc.constantFrom('\n', '\r\n', '\r');
const csvText = fc
	.record({
		rows: fc.array(fc.tuple(field, field, field, fc.boolean()), { maxLength: 12 }),
		eol,
		bom: fc.boolean(),
		trailing: fc.boolean()
	})
	.map(({ rows, eol, bom, trailing }) => {
		const lines = ['a,b,c', ...rows.map(([x, y, z, blank]) => `${x},${y},${z}${blank ? eol : ''}`)];
		return (bom ? '\ufeff' : '') + lines.join(eol) + (trailing ? eol : '');
	});

describe('splitting CSV bytes at record starts', () => {
	it('reads every row exactly once when a file is cut at any byte offset', () => {
		fc.assert(
			fc.property(csvText, (text) => {
				const bytes = encoder.encode(text);
				const whole = parse(bytes, false);
				const scratch = new Uint8Array(3);
				for (let offset = 0; offset <= bytes.length; offset++) {
					const cut = Math.max(
						1,
						recordStartAfter(Math.max(1, offset), bytes.length, reader(bytes), scratch)
					);
					const parts = [
						...parse(bytes.subarray(0, cut), false),
						...parse(bytes.subarray(cut), true)
					];
					expect(parts, `cut at ${offset} -> ${cut} of ${JSON.stringify(text)}`).toEqual(whole);
				}
			}),
			{ seed: 20240607, numRuns: 200 }
		);
	});

	it('starts the next record after the LF of a CRLF when the offset falls on its CR or LF', () => {
		const bytes = encoder.encode('ab\r\ncd\r\nef');
		const at = (offset: number) =>
			recordStartAfter(offset, bytes.length, reader(bytes), new Uint8Array(2));
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(at)).toEqual([0, 4, 4, 4, 4, 8, 8, 8, 8, 10, 10]);
	});

	it('starts a record right at the offset when the byte before it ends a line', () => {
		const bytes = encoder.encode('ab\ncd\rx');
		const at = (offset: number) =>
			recordStartAfter(offset, bytes.length, reader(bytes), new Uint8Array(64));
		expect(at(3)).toBe(3);
		expect(at(6)).toBe(6);
		expect(at(7)).toBe(7);
	});

	it('answers the end of the input when no line break follows the offset', () => {
		const bytes = encoder.encode('header\nno break here');
		expect(recordStartAfter(9, bytes.length, reader(bytes), new Uint8Array(4))).toBe(bytes.length);
	});

	it('does not skip a byte-order mark at the start of a mid-file range', () => {
		const parser = new CsvParser({ types: TYPES, columns: NAMES });
		const rows = rowsOf([...parser.push(encoder.encode('\ufeffx,y,z\n')), ...parser.finish()]);
		expect(rows).toEqual(['\ufeffx|y|z']);
	});

	it('keeps the given column width for a mid-file range whose first row is ragged', () => {
		const parser = new CsvParser({ types: TYPES, columns: NAMES, badRows: 'null' });
		const rows = rowsOf([...parser.push(encoder.encode('1,2\n3,4,5\n')), ...parser.finish()]);
		expect(rows).toEqual(['1|2|∅', '3|4|5']);
	});
});

describe('counting lines before a range', () => {
	it('counts LF, CRLF and lone CR once each, across chunk edges', () => {
		const counter = new LineCounter();
		for (const piece of ['a\r', '\nb\r', 'c\n', '\n', 'd\r']) counter.push(encoder.encode(piece));
		counter.finish();
		expect(counter.lineBreaks).toBe(5);
		expect(counter.quotedLineBreaks()).toBe(0);
	});

	it('counts the line breaks inside quoted fields separately', () => {
		const counter = new LineCounter();
		counter.push(encoder.encode('a,"one\r\ntwo\nthree"\nb,c\n'));
		counter.finish();
		expect(counter.lineBreaks).toBe(4);
		expect(counter.quotedLineBreaks()).toBe(2);
	});

	it('numbers lines like the parser does', () => {
		const text = 'a,b,c\r\n1,2,3\r\n\r\n4,5,6\r7,8,x\n';
		const parser = new CsvParser({ types: { a: 'int32', b: 'int32', c: 'int32' } });
		let line = -1;
		try {
			parser.push(encoder.encode(text));
			parser.finish();
		} catch (error) {
			line = (error as CsvError).problem.line;
		}
		const counter = new LineCounter();
		counter.push(encoder.encode(text.slice(0, text.indexOf('7,8,x'))));
		expect(line).toBe(counter.lineBreaks + 1);
	});

	it('moves the leading line number and an opened-on line, not a quoted value', () => {
		expect(shiftLines("line 3, column 'a': 'line 5' is not a int32", 100)).toBe(
			"line 103, column 'a': 'line 5' is not a int32"
		);
		expect(shiftLines('line 9: quoted field opened on line 7 is never closed', 10)).toBe(
			'line 19: quoted field opened on line 17 is never closed'
		);
	});
});
