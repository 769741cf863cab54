// Dates, timestamps and 64-bit integers as text, over their whole range: what CSV export writes
// (the one formatter every text output uses, runtime/batch/value-text.ts) reads back equal
// through the CSV reader and through cast, and agrees with JavaScript's own ISO text wherever
// a Date reaches. The table view's and the CLI's cells go through the same formatter.
import { describe, expect, it } from 'vitest';
import { cellText } from '../../cli/results';
import { BatchBuilder } from '../nodes/formats/column-build';
import { parse } from '../nodes/csv/csv-fixtures.spec-support';
import { converter } from '../nodes/cast';
import { cell } from '../nodes/table';
import { formatDate, formatTimestamp, valueText } from '../runtime/batch/value-text';
import { mulberry32 } from '../runtime/testing/prng';
import { exportCsv } from './export-csv';

const SEED = 1302;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const SAFE = Number.MAX_SAFE_INTEGER;
const DATE_MIN_MS = -8.64e15;
const DATE_MAX_MS = 8.64e15;

/** Days of 12000-01-01 and of 44 BC's 15 March (year -43 in ISO's numbering is -0043; -44 is 45 BC). */
const Y12000 = Date.UTC(12000, 0, 1) / 864e5;
const IDES = Date.UTC(-44, 2, 15) / 864e5;

async function csvOf(types: ('date32' | 'timestamp')[], rows: (number | bigint)[][]) {
	const schema = { names: types.map((_, i) => `c${i}`), types };
	const builder = new BatchBuilder(schema, rows.length);
	for (const row of rows) row.forEach((v, c) => expect(builder.columns[c].push(v)).toBeNull());
	let text = '';
	const decoder = new TextDecoder();
	for await (const chunk of exportCsv({ schema, batches: [builder.take()] }))
		text += decoder.decode(chunk);
	return { schema, text };
}

describe('dates and timestamps as text', () => {
	it('write years outside 0000–9999 in ISO expanded form, with their day', async () => {
		expect(formatDate(Y12000)).toBe('+012000-01-01');
		expect(formatDate(IDES)).toBe('-000044-03-15');
		expect(formatDate(0)).toBe('1970-01-01');
		expect(formatDate(INT32_MAX)).toBe('+5881580-07-11');
		expect(formatDate(INT32_MIN)).toBe('-5877641-06-23');
		expect(formatTimestamp(2n ** 63n - 1n)).toBe('+292278994-08-17T07:12:55.807Z');
		expect(formatTimestamp(-(2n ** 63n))).toBe('-292275055-05-16T16:47:04.192Z');
		const { text } = await csvOf(['date32'], [[Y12000], [IDES]]);
		expect(text).toBe('c0\r\n+012000-01-01\r\n-000044-03-15\r\n');
	});

	it('read back equal through CSV over the whole date32 range and every exact timestamp', async () => {
		const random = mulberry32(SEED);
		const days = [INT32_MIN, INT32_MAX, Y12000, IDES, -1, 0, -719528, 2932896, 2932897];
		const stamps = [-SAFE, SAFE, -1, 0, Date.UTC(-271821, 3, 20), Date.UTC(275760, 8, 13)];
		for (let i = 0; i < 2000; i++) {
			days.push(random.int(INT32_MIN, INT32_MAX));
			stamps.push(Math.floor((random.next() * 2 - 1) * SAFE));
		}
		const rows = days.map((d, i) => [d, BigInt(stamps[i % stamps.length])]);
		const { text } = await csvOf(['date32', 'timestamp'], rows);
		const back = parse(text, { types: { c0: 'date32', c1: 'timestamp' } });
		expect(back.rows, `seed ${SEED}`).toEqual(rows);
	});

	it('read back equal through cast, and match toISOString wherever a Date reaches', () => {
		const random = mulberry32(SEED + 1);
		for (let i = 0; i < 2000; i++) {
			const ms = Math.floor(DATE_MIN_MS + random.next() * (DATE_MAX_MS - DATE_MIN_MS));
			expect(formatTimestamp(ms), `seed ${SEED + 1}`).toBe(new Date(ms).toISOString());
			expect(formatTimestamp(BigInt(ms))).toBe(new Date(ms).toISOString());
			const day = Math.floor(ms / 864e5);
			expect(formatDate(day)).toBe(
				new Date(day * 864e5).toISOString().replace('T00:00:00.000Z', '')
			);
			const d = random.int(INT32_MIN, INT32_MAX);
			const text = converter('date32', 'utf8')(d) as string;
			expect(converter('utf8', 'date32')(text), `${d} as ${text}`).toBe(d);
			const at = converter('timestamp', 'utf8')(BigInt(ms)) as string;
			expect(converter('utf8', 'timestamp')(at), at).toBe(BigInt(ms));
		}
	});
});

describe('64-bit integers as text', () => {
	it('are exact in the table view cells, the CLI and every text output', () => {
		const max = 2n ** 64n - 1n;
		expect(cell(max)).toBe(max);
		expect(cell(2n ** 53n)).toBe(2n ** 53n);
		expect(cell(2n ** 53n - 1n)).toBe(SAFE);
		expect(valueText('uint64', cell(max) as bigint)).toBe('18446744073709551615');
		expect(valueText('int64', cell(-(2n ** 63n)) as bigint)).toBe('-9223372036854775808');
		expect(cellText(cell(max), 'uint64')).toBe('18,446,744,073,709,551,615');
		expect(cellText(cell(12n), 'uint64')).toBe('12');
		expect(cellText(cell(BigInt(Y12000) * 86_400_000n), 'timestamp')).toBe(
			'+012000-01-01T00:00:00Z'
		);
		expect(cellText(Y12000, 'date32')).toBe('+012000-01-01');
	});
});
