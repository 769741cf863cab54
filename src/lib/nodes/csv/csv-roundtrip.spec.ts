import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../runtime/contracts';
import { parse, type Cell } from './csv-fixtures.spec-support';

const SEED = 4242;
const NULL_TOKENS = ['', 'NA', 'null', 'NULL', 'N/A'];
const TYPES = ['int32', 'int64', 'float64', 'bool', 'date32', 'timestamp', 'utf8'] as const;
type GenType = (typeof TYPES)[number];
const MS_MIN = Date.UTC(1000, 0, 1);
const MS_MAX = Date.UTC(9999, 11, 31);

/** A value as the writer prints it and as the parser should return it. */
interface Value {
	text: string;
	/** Text that must be quoted (it holds specials, or would read as null). */
	mustQuote: boolean;
	cell: Cell;
}

const textUnit = fc.constantFrom(
	'a',
	'b',
	'é',
	'日',
	'🎉',
	',',
	'\t',
	';',
	'|',
	'"',
	'\n',
	'\r',
	' ',
	'N',
	'A'
);

function valueOf(type: GenType): fc.Arbitrary<Value> {
	const plain = (text: string, cell: Cell): Value => ({ text, mustQuote: false, cell });
	switch (type) {
		case 'int32':
			return fc.integer().map((n) => plain(String(n), n));
		case 'int64':
			return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => plain(String(n), n));
		case 'float64':
			return fc.double().map((n) => plain(String(n), Number(String(n))));
		case 'bool':
			return fc
				.tuple(fc.boolean(), fc.constantFrom('lower', 'upper', 'title'))
				.map(([b, style]) => {
					const word = String(b);
					const text =
						style === 'upper'
							? word.toUpperCase()
							: style === 'title'
								? word[0].toUpperCase() + word.slice(1)
								: word;
					return plain(text, b);
				});
		case 'date32':
			return fc
				.integer({ min: MS_MIN / 864e5, max: MS_MAX / 864e5 })
				.map((days) => plain(new Date(days * 864e5).toISOString().slice(0, 10), days));
		case 'timestamp':
			return fc
				.tuple(
					fc.integer({ min: MS_MIN, max: MS_MAX }),
					fc.constantFrom('T', ' '),
					fc.constantFrom('Z', '')
				)
				.map(([ms, sep, zone]) => {
					const iso = new Date(ms).toISOString().replace('T', sep).replace('Z', zone);
					return plain(iso, BigInt(ms));
				});
		case 'utf8':
			return fc.string({ unit: textUnit, maxLength: 8 }).map((s) => ({
				text: s,
				mustQuote: NULL_TOKENS.includes(s) || /[,\t;|"\r\n]/.test(s),
				cell: s
			}));
	}
}

interface Table {
	types: GenType[];
	rows: (Value | null)[][];
	delimiter: string;
	newline: string;
	trailingNewline: boolean;
	quoteAll: boolean;
}

const table: fc.Arbitrary<Table> = fc
	.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 6 })
	.chain((types) =>
		fc.record({
			types: fc.constant(types),
			rows: fc.array(fc.tuple(...types.map((t) => fc.option(valueOf(t), { freq: 5 }))), {
				maxLength: 30
			}),
			delimiter: fc.constantFrom(',', '\t', ';', '|'),
			newline: fc.constantFrom('\n', '\r\n'),
			trailingNewline: fc.boolean(),
			quoteAll: fc.boolean()
		})
	);

function field(value: Value | null, t: Table, single: boolean, nullToken: string): string {
	// A lone empty field would be a blank line, which the parser skips: use a token instead.
	if (value === null) return single && nullToken === '' ? 'NA' : nullToken;
	if (!value.mustQuote && !(t.quoteAll && value.text !== '')) return value.text;
	return '"' + value.text.replace(/"/g, '""') + '"';
}

function write(t: Table, nullToken: string): string {
	const names = t.types.map((type, i) => `"${type} ""${i}"", ok"`);
	const lines = [names.join(t.delimiter)];
	const single = t.types.length === 1;
	for (const row of t.rows)
		lines.push(row.map((v) => field(v, t, single, nullToken)).join(t.delimiter));
	return lines.join(t.newline) + (t.trailingNewline ? t.newline : '');
}

describe('CSV round trip', () => {
	it('returns every value of a random table fed in random chunk splits', () => {
		const input = table.chain((t) => {
			const text = write(t, '');
			const length = new TextEncoder().encode(text).length;
			return fc.record({
				t: fc.constant(t),
				nullToken: fc.constantFrom(...NULL_TOKENS),
				cuts: fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 8 }),
				batchRows: fc.integer({ min: 1, max: 9 }),
				sampleRows: fc.integer({ min: 1, max: 5 })
			});
		});
		fc.assert(
			fc.property(input, ({ t, nullToken, cuts, batchRows, sampleRows }) => {
				const text = write(t, nullToken);
				const bytes = new TextEncoder().encode(text);
				const names = t.types.map((type, i) => `${type} "${i}", ok`);
				const types = Object.fromEntries(names.map((n, i) => [n, t.types[i] as ColumnType]));
				const options = { delimiter: t.delimiter, types, batchRows, sampleRows };
				const sorted = cuts.filter((c) => c <= bytes.length).sort((a, b) => a - b);
				const { rows, parser } = parse(bytes, options, sorted);
				const context = `seed ${SEED}, text ${JSON.stringify(text)}, cuts ${sorted}`;
				expect(parser.schema(), context).toEqual({ names, types: t.types });
				expect(rows, context).toEqual(
					t.rows.map((row) => row.map((v) => (v === null ? null : v.cell)))
				);
				expect(parser.problemCount(), context).toBe(0);
			}),
			{ seed: SEED, numRuns: 400 }
		);
	});

	it('gives the same batches whether the input arrives whole or one byte at a time', () => {
		fc.assert(
			fc.property(table, (t) => {
				const bytes = new TextEncoder().encode(write(t, 'NA'));
				const whole = parse(bytes, { delimiter: t.delimiter });
				const cuts = Array.from({ length: bytes.length }, (_, i) => i + 1);
				const bytewise = parse(bytes, { delimiter: t.delimiter }, cuts);
				expect(bytewise.parser.schema(), `seed ${SEED}`).toEqual(whole.parser.schema());
				expect(bytewise.batches, `seed ${SEED}`).toEqual(whole.batches);
			}),
			{ seed: SEED, numRuns: 100 }
		);
	});
});
