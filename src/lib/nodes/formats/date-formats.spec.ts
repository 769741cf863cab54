import { describe, expect, it } from 'vitest';
import { inferCsvSchema } from '../csv';
import { parse } from '../csv/csv-fixtures.spec-support';
import { compileDateFormat, parseWithFormat } from './date-formats';

const enc = (text: string) => new TextEncoder().encode(text);
const read = (pattern: string, text: string, allowTime = false) => {
	const bytes = enc(text);
	return parseWithFormat(compileDateFormat(pattern), bytes, 0, bytes.length, allowTime);
};

describe('date formats', () => {
	it('read the fields of a pattern, and refuse what is not a real date', () => {
		expect(read('%Y/%m/%d %H:%M', '2001/01/01 00:47')).toBe(Date.UTC(2001, 0, 1, 0, 47));
		expect(read('%b %d %Y', 'Jun 12 1998')).toBe(Date.UTC(1998, 5, 12));
		expect(read('%b %d, %Y', 'september 3, 2020')).toBe(Date.UTC(2020, 8, 3));
		expect(read('%d/%m/%Y', '25/06/1998')).toBe(Date.UTC(1998, 5, 25));
		expect(read('%m/%d/%Y', '6/7/1998')).toBe(Date.UTC(1998, 5, 7));
		expect(read('%Y-%m-%dT%H:%M:%S.%f%z', '1969-12-31T23:59:59.9995+01:00')).toBe(
			Date.UTC(1969, 11, 31, 22, 59, 59, 999)
		);
		expect(read('%m/%d/%Y', '02/30/2001')).toBeNaN();
		expect(read('%m/%d/%Y', '13/01/2001')).toBeNaN();
		expect(read('%Y/%m/%d', '2001/01/01 00:47')).toBeNaN();
		expect(read('%Y/%m/%d', '2001/01/01 00:47', true)).toBe(Date.UTC(2001, 0, 1, 0, 47));
		expect(() => compileDateFormat('%Y/%q')).toThrow(/%q is not a field/);
		expect(() => compileDateFormat('%H:%M')).toThrow(/needs a year/);
	});
});

describe('CSV inference of dates in common text forms', () => {
	it('types each form as a date or timestamp when every sampled value parses', () => {
		const schema = inferCsvSchema(
			enc(
				'slash,named,us,iso_min,text\n' +
					'2001/01/01 00:47,Jun 12 1998,12/06/1998,2001-01-01 00:47,x\n' +
					'2001/01/02 13:05,Jul 1 1999,01/31/1999,2001-01-02 23:59,2001/01/01\n'
			)
		);
		expect(schema.types).toEqual(['timestamp', 'date32', 'date32', 'timestamp', 'utf8']);
		expect(schema.formats).toEqual(['%Y/%m/%d', '%b %d %Y', '%m/%d/%Y', '%Y-%m-%d', null]);
	});

	it('reads 12/06/1998 month first unless a value in the column proves day first', () => {
		const us = parse('d\n12/06/1998\n01/02/2000\n');
		expect(us.parser.schema()?.formats).toEqual(['%m/%d/%Y']);
		expect(us.rows).toEqual([[Date.UTC(1998, 11, 6) / 864e5], [Date.UTC(2000, 0, 2) / 864e5]]);
		const eu = parse('d\n12/06/1998\n25/12/2000\n');
		expect(eu.parser.schema()?.formats).toEqual(['%d/%m/%Y']);
		expect(eu.rows).toEqual([[Date.UTC(1998, 5, 12) / 864e5], [Date.UTC(2000, 11, 25) / 864e5]]);
	});

	it('keeps text when one sampled value does not parse; a later one follows badRows', () => {
		expect(inferCsvSchema(enc('d\nJun 12 1998\nsoon\n')).types).toEqual(['utf8']);
		const later = parse('d\nJun 12 1998\nJun 13 1998\nsoon\n', { sampleRows: 2, badRows: 'null' });
		expect(later.rows).toEqual([
			[Date.UTC(1998, 5, 12) / 864e5],
			[Date.UTC(1998, 5, 13) / 864e5],
			[null]
		]);
		expect(later.parser.problems()).toHaveLength(1);
		expect(() => parse('d\nJun 12 1998\nsoon\n', { sampleRows: 1 })).toThrow(/line 3/);
	});

	it('reads a column in the form a types override names', () => {
		const got = parse('when\n2001/01/01 00:47\n', {
			types: { when: 'timestamp' },
			formats: { when: '%Y/%m/%d %H:%M' }
		});
		expect(got.rows).toEqual([[BigInt(Date.UTC(2001, 0, 1, 0, 47))]]);
	});
});
