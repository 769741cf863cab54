// CSV export read back by our own CSV parser: random tables of every column type, with nulls,
// extreme values and strings that look like nulls, numbers or dates, come back equal. CSV
// carries no types, so the reader is given the table's types, as a user would with `types`
// (a string column of '123's read without them is inferred as numbers: that is inference's
// choice, not a loss in the file). The writer's side of the bargain: a string the reader would
// take for null ('NA', 'null', ...) is quoted, and every number is written exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../runtime/contracts';
import { COLUMN_TYPES, type FrameSchema } from '../runtime/batch/types';
import { valueAt } from '../runtime/batch/values';
import { BatchBuilder } from '../nodes/formats/column-build';
import { CsvParser } from '../nodes/csv';
import { exportCsv } from './export-csv';

const SEED = 1304;
const DAY_MS = 86_400_000;
// Years 0001–9999: dates beyond them are issue 13.2's formatter, tested there.
const MS_MIN = Date.parse('0001-01-01T00:00:00Z');
const MS_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const TRICKY_TEXTS = [
	'',
	'NA',
	'null',
	'NULL',
	'N/A',
	' NA',
	'123',
	'-0',
	'1e5',
	'true',
	'2024-01-02',
	'2024-01-02T03:04:05Z',
	'a,b',
	'say "hi"',
	'two\nlines',
	'cr\r',
	'\ttab',
	'ünï ✓'
];

function valueOf(type: ColumnType): fc.Arbitrary<unknown> {
	const int = (min: number, max: number) =>
		fc.oneof(fc.constantFrom(min, max, 0), fc.integer({ min, max }));
	switch (type) {
		case 'int8':
			return int(-128, 127);
		case 'int16':
			return int(-32768, 32767);
		case 'int32':
			return int(-2147483648, 2147483647);
		case 'uint8':
			return int(0, 255);
		case 'uint16':
			return int(0, 65535);
		case 'uint32':
			return int(0, 4294967295);
		case 'int64':
			return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
		case 'uint64':
			return fc.oneof(fc.constant(2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
		case 'float32':
			return fc.float({ noDefaultInfinity: false }).map(Math.fround);
		case 'float64':
			return fc.oneof(fc.constantFrom(-0, NaN, Infinity, -Infinity), fc.double());
		case 'bool':
			return fc.boolean();
		case 'utf8':
			return fc.oneof(fc.constantFrom(...TRICKY_TEXTS), fc.string({ maxLength: 6 }));
		case 'date32':
			return fc.integer({ min: Math.ceil(MS_MIN / DAY_MS), max: Math.floor(MS_MAX / DAY_MS) });
		case 'timestamp':
			return fc.integer({ min: MS_MIN, max: MS_MAX }).map(BigInt);
	}
}

const SCHEMA: FrameSchema = { names: COLUMN_TYPES.map((t) => `c_${t}`), types: [...COLUMN_TYPES] };

const table = fc.array(fc.tuple(...SCHEMA.types.map((t) => fc.option(valueOf(t), { freq: 6 }))), {
	minLength: 1,
	maxLength: 30
});

async function csvOf(rows: unknown[][]): Promise<Uint8Array> {
	const b = new BatchBuilder(SCHEMA, rows.length);
	for (const row of rows) row.forEach((v, c) => expect(b.columns[c].push(v)).toBeNull());
	const parts: Uint8Array[] = [];
	for await (const chunk of exportCsv({ schema: SCHEMA, batches: [b.take()] })) parts.push(chunk);
	return Buffer.concat(parts);
}

function readBack(bytes: Uint8Array): unknown[][] {
	const types = Object.fromEntries(SCHEMA.names.map((n, i) => [n, SCHEMA.types[i]]));
	const parser = new CsvParser({ types });
	const batches = [...parser.push(bytes), ...parser.finish()];
	const rows: unknown[][] = [];
	for (const batch of batches)
		for (let r = 0; r < batch.length; r++) rows.push(batch.columns.map((c) => valueAt(c, r)));
	return rows;
}

/** float32 columns hold Math.fround values; compare them as stored. */
function stored(rows: unknown[][]): unknown[][] {
	return rows.map((row) =>
		row.map((v, c) => (SCHEMA.types[c] === 'float32' && typeof v === 'number' ? Math.fround(v) : v))
	);
}

describe('CSV export round trip', () => {
	it('writes strings that read as null quoted, so they come back as strings', async () => {
		const schema: FrameSchema = { names: ['s'], types: ['utf8'] };
		const b = new BatchBuilder(schema, 6);
		for (const v of ['NA', 'null', 'N/A', 'NULL', null, '']) b.columns[0].push(v);
		const parts: Uint8Array[] = [];
		for await (const chunk of exportCsv({ schema, batches: [b.take()] })) parts.push(chunk);
		const text = new TextDecoder().decode(Buffer.concat(parts));
		expect(text).toBe('s\r\n"NA"\r\n"null"\r\n"N/A"\r\n"NULL"\r\nNA\r\n""\r\n');
		const parser = new CsvParser({ types: { s: 'utf8' } });
		const batches = [...parser.push(Buffer.concat(parts)), ...parser.finish()];
		expect(Array.from({ length: 6 }, (_, r) => valueAt(batches[0].columns[0], r))).toEqual([
			'NA',
			'null',
			'N/A',
			'NULL',
			null,
			''
		]);
	});

	it('gives back random tables of every type, nulls and extremes included', async () => {
		await fc.assert(
			fc.asyncProperty(table, async (rows) => {
				expect(readBack(await csvOf(rows))).toEqual(stored(rows));
			}),
			{ seed: SEED, numRuns: 150 }
		);
	});
});
