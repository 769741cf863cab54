import { describe, expect, it } from 'vitest';
import { parse, everySplit, type Cell } from './csv-fixtures.spec-support';
import { CsvError, CsvParser, inferCsvSchema } from './index';

const enc = (text: string) => new TextEncoder().encode(text);

describe('CsvParser records and fields', () => {
	it('reads a header and typed rows into int32, float64, bool and utf8 columns', () => {
		const { parser, rows } = parse('id,price,ok,name\n1,2.5,true,ab\n2,-0.125,FALSE,cd\n');
		expect(parser.schema()).toEqual({
			names: ['id', 'price', 'ok', 'name'],
			types: ['int32', 'float64', 'bool', 'utf8']
		});
		expect(rows).toEqual([
			[1, 2.5, true, 'ab'],
			[2, -0.125, false, 'cd']
		]);
	});

	it('gives the same rows for LF, CRLF and lone-CR line ends, with or without a final newline', () => {
		const expected = [
			[1, 'x'],
			[2, 'y']
		];
		for (const text of [
			'a,b\n1,x\n2,y\n',
			'a,b\r\n1,x\r\n2,y\r\n',
			'a,b\r1,x\r2,y',
			'a,b\n1,x\n2,y'
		]) {
			for (const cuts of everySplit(enc(text))) {
				expect(parse(text, {}, cuts).rows, `${JSON.stringify(text)} cut at ${cuts}`).toEqual(
					expected
				);
			}
		}
	});

	it('parses a CRLF file identically at every split point, including between CR and LF', () => {
		const bytes = enc('a,b\r\n1,"q\r\nr"\r\n\r\n2,z\r\nx,w\r\n');
		for (const cuts of everySplit(bytes)) {
			const { rows, parser } = parse(bytes, { badRows: 'skip', types: { a: 'int32' } }, cuts);
			expect(rows, `cut at ${cuts[0]}`).toEqual([
				[1, 'q\r\nr'],
				[2, 'z']
			]);
			expect(parser.problems().map((p) => p.line)).toEqual([6]);
			expect(parser.rowsRead()).toBe(3);
		}
	});

	it('keeps delimiters, newlines and doubled quotes inside quoted fields', () => {
		const { rows } = parse('s,n\n"a,b",1\n"line1\nline2",2\n"say ""hi""",3\n"",4\n');
		expect(rows).toEqual([
			['a,b', 1],
			['line1\nline2', 2],
			['say "hi"', 3],
			['', 4]
		]);
	});

	it('skips a UTF-8 BOM even when it arrives one byte per chunk', () => {
		const bytes = enc('\uFEFFname,n\né,1\n');
		const { parser, rows } = parse(bytes, {}, [1, 2, 3, 4]);
		expect(parser.schema()?.names).toEqual(['name', 'n']);
		expect(rows).toEqual([['é', 1]]);
	});

	it('copies multi-byte UTF-8 split across chunks byte for byte', () => {
		const bytes = enc('s,n\n日本語,1\n"🎉,é",2\n');
		for (const cuts of everySplit(bytes)) {
			expect(parse(bytes, {}, cuts).rows, `cut at ${cuts[0]}`).toEqual([
				['日本語', 1],
				['🎉,é', 2]
			]);
		}
	});

	it('skips blank lines but counts them in line numbers', () => {
		const { rows, parser } = parse('a,b\n\n1,2\n\r\n\n3,x\n', {
			badRows: 'skip',
			sampleRows: 1
		});
		expect(rows).toEqual([[1, 2]]);
		expect(parser.problems()).toEqual([
			{ line: 6, column: 'b', message: "line 6, column 'b': 'x' is not a int32" }
		]);
	});

	it('reads an empty file as no columns and no rows', () => {
		const { parser, batches } = parse('');
		expect(batches).toEqual([]);
		expect(parser.schema()).toEqual({ names: [], types: [] });
		expect(parser.rowsRead()).toBe(0);
	});

	it('reads a header-only file as named utf8 columns and no rows', () => {
		for (const text of ['a,b', 'a,b\n', 'a,b\r\n']) {
			const { parser, batches } = parse(text, { types: { b: 'float64' } });
			expect(batches).toEqual([]);
			expect(parser.schema()).toEqual({ names: ['a', 'b'], types: ['utf8', 'float64'] });
		}
	});

	it('names columns column_1..n without a header and fixes empty and repeated header names', () => {
		expect(parse('1,2\n3,4\n', { header: false }).parser.schema()?.names).toEqual([
			'column_1',
			'column_2'
		]);
		expect(parse('x,,x\n1,2,3\n').parser.schema()?.names).toEqual(['x', 'column_2', 'x_2']);
	});

	it('accepts tab, semicolon and pipe delimiters and a custom quote', () => {
		for (const delimiter of ['\t', ';', '|']) {
			const text = `a${delimiter}b\n1${delimiter}"x${delimiter}y"\n`;
			expect(parse(text, { delimiter }).rows).toEqual([[1, `x${delimiter}y`]]);
		}
		expect(parse("a,b\n1,'x,''y'\n", { quote: "'" }).rows).toEqual([[1, "x,'y"]]);
		expect(parse('a,b\n1,"x\n', { quote: '' }).rows).toEqual([[1, '"x']]);
	});

	it('reads a field larger than 1 MB fed in 64 KiB chunks', () => {
		const big = 'x'.repeat(1_500_000) + ',"\n' + 'y'.repeat(300_000);
		const text = `n,s\n1,"${big.replace(/"/g, '""')}"\n2,z\n`;
		const bytes = enc(text);
		const cuts = [];
		for (let at = 65536; at < bytes.length; at += 65536) cuts.push(at);
		const { rows } = parse(bytes, {}, cuts);
		expect(rows.length).toBe(2);
		expect((rows[0][1] as string).length).toBe(big.length);
		expect(rows[0][1] === big).toBe(true);
		expect(rows[1]).toEqual([2, 'z']);
	});

	it('emits batches of batchRows rows and a short last batch', () => {
		const lines = Array.from({ length: 10 }, (_, i) => `${i}`).join('\n');
		const { batches, rows } = parse(`n\n${lines}\n`, { batchRows: 4, sampleRows: 3 });
		expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
		expect(rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});

	it('hands out fresh arrays per batch, not views of reused scratch', () => {
		const { batches } = parse('n,s\n1,a\n2,b\n3,c\n', { batchRows: 2 });
		const first = batches[0].columns;
		expect(first[0].values.buffer).not.toBe(batches[1].columns[0].values.buffer);
		expect(Array.from(first[0].values as Int32Array)).toEqual([1, 2]);
		expect(first[1].values.byteLength).toBe(2);
	});
});

describe('CsvParser nulls', () => {
	it('reads the default null tokens as null, sets validity bits and counts nulls', () => {
		const { batches, rows } = parse('a,b\n1,x\nNA,\nnull,N/A\nNULL,y\n');
		expect(rows).toEqual([
			[1, 'x'],
			[null, null],
			[null, null],
			[null, 'y']
		]);
		const [a, b] = batches[0].columns;
		expect(a.nullCount).toBe(3);
		expect(Array.from(a.validity!)).toEqual([0b0001]);
		expect(b.nullCount).toBe(2);
	});

	it('keeps a quoted null token as text in a utf8 column', () => {
		expect(parse('s\n"NA"\n""\nNA\n').rows).toEqual([['NA'], [''], [null]]);
	});

	it('uses custom null values and reports a validity of null when a column has none', () => {
		const { rows, batches } = parse('a,b\n-,1\n2,3\n', { nullValues: ['-'] });
		expect(rows).toEqual([
			[null, 1],
			[2, 3]
		]);
		expect(batches[0].columns[1].validity).toBeNull();
	});

	it('treats null tokens that look like values as null in typed columns', () => {
		const { rows } = parse('n,f\n0,NaN\n5,1.5\n', {
			nullValues: ['0', 'NaN'],
			types: { n: 'int32', f: 'float64' }
		});
		expect(rows).toEqual([
			[null, null],
			[5, 1.5]
		]);
		expect(parse('f\nNaN\n1\n').rows).toEqual([[NaN], [1]]);
	});

	it('reads missing trailing fields after a final delimiter as null', () => {
		expect(parse('a,b\n1,').rows).toEqual([[1, null]]);
	});
});

describe('CsvParser type inference', () => {
	const typesOf = (text: string) => parse(text).parser.schema()?.types;

	it('infers int32, int64, float64, bool, date32, timestamp and utf8', () => {
		expect(typesOf('a\n1\n-2147483648\n')).toEqual(['int32']);
		expect(typesOf('a\n1\n2147483648\n')).toEqual(['int64']);
		expect(typesOf('a\n1\n99999999999999999999\n')).toEqual(['float64']);
		expect(typesOf('a\n1\n2.5\n')).toEqual(['float64']);
		expect(typesOf('a\ntrue\nFalse\n')).toEqual(['bool']);
		expect(typesOf('a\n2024-02-29\n1970-01-01\n')).toEqual(['date32']);
		expect(typesOf('a\n2024-02-29\n2024-03-01T10:00:00Z\n')).toEqual(['timestamp']);
		expect(typesOf('a\n2024-02-30\n')).toEqual(['utf8']);
		expect(typesOf('a\n1\ntrue\n')).toEqual(['utf8']);
		expect(typesOf('a\nNA\n\n')).toEqual(['utf8']);
	});

	it('does not let nulls vote', () => {
		expect(typesOf('a,b\nNA,1\n3,\n')).toEqual(['int32', 'int32']);
	});

	it('converts dates to days and timestamps to ms since the epoch, as bigints', () => {
		const { rows } = parse(
			'd,t\n1970-01-02,1970-01-01T00:00:01.5Z\n1969-12-31,2024-03-01 10:20:30\n'
		);
		expect(rows).toEqual([
			[1, 1500n],
			[-1, BigInt(Date.UTC(2024, 2, 1, 10, 20, 30))]
		]);
	});

	it('keeps int64 values beyond 2^53 exact', () => {
		const { rows } = parse('a\n9007199254740993\n-9223372036854775808\n9223372036854775807\n');
		expect(rows).toEqual([[9007199254740993n], [-9223372036854775808n], [9223372036854775807n]]);
	});

	it('lets explicit types win over inference', () => {
		const { parser, rows } = parse('a,b,c\n1,2,3\n', {
			types: { a: 'utf8', b: 'float32', c: 'uint8' }
		});
		expect(parser.schema()?.types).toEqual(['utf8', 'float32', 'uint8']);
		expect(rows).toEqual([['1', 2, 3]]);
	});

	it('has no schema before the sample is read and one right after', () => {
		const parser = new CsvParser({ sampleRows: 2 });
		parser.push(enc('a\n1\n'));
		expect(parser.schema()).toBeNull();
		parser.push(enc('2\n'));
		expect(parser.schema()).toEqual({ names: ['a'], types: ['int32'] });
	});

	it('infers a schema from the first bytes of a file, ignoring a cut-off last line', () => {
		expect(inferCsvSchema(enc('a,b\n1,x\n2,y\n3,2024-'))).toEqual({
			names: ['a', 'b'],
			types: ['int32', 'utf8']
		});
		expect(inferCsvSchema(enc('a,b\n1,2024-01-01\n2,2024-01-0'))).toEqual({
			names: ['a', 'b'],
			types: ['int32', 'date32']
		});
		expect(inferCsvSchema(enc('a,b\n1,2.5'))).toEqual({
			names: ['a', 'b'],
			types: ['int32', 'float64']
		});
		expect(inferCsvSchema(enc(''))).toEqual({ names: [], types: [] });
		expect(inferCsvSchema(enc('a,b\n1,"open'))).toEqual({
			names: ['a', 'b'],
			types: ['utf8', 'utf8']
		});
	});
});

describe('CsvParser bad rows', () => {
	const text = 'id,price\n1,2.5\n2,abc\n3\n4,5,6\n5,7\n';

	it("stops under 'fail' with an error naming the line and column", () => {
		const parser = new CsvParser({ sampleRows: 1 });
		let error: unknown;
		try {
			parser.push(enc(text));
			parser.finish();
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(CsvError);
		expect((error as CsvError).problem).toEqual({
			line: 3,
			column: 'price',
			message: "line 3, column 'price': 'abc' is not a float64"
		});
		expect(() => parser.finish()).toThrow(CsvError);
	});

	it("throws from push as soon as a bad row arrives under 'fail'", () => {
		const parser = new CsvParser({ sampleRows: 1 });
		parser.push(enc('n\n1\n'));
		expect(() => parser.push(enc('oops\n'))).toThrow("line 3, column 'n': 'oops' is not a int32");
		expect(() => parser.push(enc('2\n'))).toThrow(CsvError);
	});

	it("drops bad and ragged rows under 'skip' and lists them with their lines", () => {
		const { rows, parser } = parse(text, { badRows: 'skip', sampleRows: 1 });
		expect(rows).toEqual([
			[1, 2.5],
			[5, 7]
		]);
		expect(parser.problems().map((p) => [p.line, p.message])).toEqual([
			[3, "line 3, column 'price': 'abc' is not a float64"],
			[4, 'line 4: expected 2 fields, found 1'],
			[5, 'line 5: expected 2 fields, found 3']
		]);
		expect(parser.rowsRead()).toBe(5);
	});

	it("stores null for bad values and missing fields under 'null' and drops extra fields", () => {
		const { rows, parser } = parse(text, { badRows: 'null', sampleRows: 1 });
		expect(rows).toEqual([
			[1, 2.5],
			[2, null],
			[3, null],
			[4, 5],
			[5, 7]
		]);
		expect(parser.problemCount()).toBe(3);
	});

	it('rolls back a skipped row completely, nulls and text included', () => {
		const { rows, batches } = parse('s,n\n,1\nabc,x\nd,2\n', {
			badRows: 'skip',
			sampleRows: 1
		});
		expect(rows).toEqual([
			[null, 1],
			['d', 2]
		]);
		expect(batches[0].columns[0].nullCount).toBe(1);
		expect(batches[0].columns[1].nullCount).toBe(0);
	});

	it('counts line numbers across quoted newlines for problems after them', () => {
		const { parser } = parse('s,n\n"a\nb\r\nc",1\nx,y\n', {
			badRows: 'skip',
			sampleRows: 1
		});
		expect(parser.problems()[0].line).toBe(5);
	});

	it('keeps the first 100 problems and counts the rest', () => {
		const body = Array.from({ length: 150 }, () => 'x').join('\n');
		const { parser } = parse(`n\n1\n${body}\n`, { badRows: 'skip', sampleRows: 1 });
		expect(parser.problems().length).toBe(100);
		expect(parser.problemCount()).toBe(150);
	});

	it('reports an unterminated quote with the line where the field opened and reads on from the next line', () => {
		const input = 'a,b\n1,x\n2,"never\n3,y\n';
		expect(() => parse(input)).toThrow(
			"line 3, column 'b': quoted field opened on line 3 is never closed"
		);
		const skip = parse(input, { badRows: 'skip' });
		expect(skip.rows).toEqual([
			[1, 'x'],
			[3, 'y']
		]);
		expect(skip.parser.problems()[0]).toMatchObject({ line: 3, column: 'b' });
		expect(skip.parser.report()?.issues).toMatchObject([
			{ reason: 'unclosed-quote', action: 'skipped', count: 1, samples: [{ line: 3 }] }
		]);
		const kept = parse(input, { badRows: 'null' });
		expect(kept.rows).toEqual([
			[1, 'x'],
			[2, null],
			[3, 'y']
		]);
		expect(kept.parser.report()?.issues).toMatchObject([
			{ reason: 'unclosed-quote', action: 'nulled', count: 1 }
		]);
	});

	it('flags text after a closing quote as a bad value', () => {
		const { rows, parser } = parse('s,n\n"ab"cd,1\n', { badRows: 'null' });
		expect(rows).toEqual([[null, 1]]);
		expect(parser.problems()[0].message).toBe(
			"line 2, column 's': unexpected text after a closing quote"
		);
	});

	it('applies the policy to values after the sample that do not fit the inferred type', () => {
		const { rows, parser } = parse('n\n1\n2\n2.5\n', { sampleRows: 2, badRows: 'null' });
		expect(rows).toEqual([[1], [2], [null]]);
		expect(parser.problems()[0].message).toBe("line 4, column 'n': '2.5' is not a int32");
	});
});

describe('CsvParser options', () => {
	it('rejects bad options with errors that name the option', () => {
		expect(() => new CsvParser({ delimiter: ',,' })).toThrow(/delimiter/);
		expect(() => new CsvParser({ quote: ',' })).toThrow(/delimiter/);
		expect(() => new CsvParser({ batchRows: 0 })).toThrow(/batchRows/);
		expect(() => new CsvParser({ sampleRows: 1.5 })).toThrow(/sampleRows/);
		expect(() => new CsvParser({ badRows: 'ignore' as 'skip' })).toThrow(/badRows/);
		expect(() => new CsvParser({ types: { a: 'decimal' as 'utf8' } })).toThrow(/types\.a/);
	});

	it('counts bytes pushed and data records read', () => {
		const { parser } = parse('a\n1\n\n2\n', {}, [3]);
		expect(parser.bytesRead()).toBe(7);
		expect(parser.rowsRead()).toBe(2);
	});
});

export type { Cell };
