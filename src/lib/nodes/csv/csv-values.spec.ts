import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	parseDateBytes,
	parseFloatBytes,
	parseInt64Into,
	parseIntBytes,
	parseTimestampBytes
} from './csv-values';

const SEED = 20261122;
const enc = (text: string) => new TextEncoder().encode(text);
const digits = (maxLength: number) =>
	fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength });

function float(text: string): number {
	const bytes = enc(text);
	return parseFloatBytes(bytes, 0, bytes.length);
}

function int64(text: string, unsigned = false): bigint | null {
	const out = new Int32Array(2);
	const bytes = enc(text);
	if (!parseInt64Into(bytes, 0, bytes.length, out, 0, unsigned)) return null;
	return unsigned ? new BigUint64Array(out.buffer)[0] : new BigInt64Array(out.buffer)[0];
}

describe('parseFloatBytes', () => {
	it('equals Number() for every printed double', () => {
		fc.assert(
			fc.property(fc.double(), (value) => {
				const text = String(value); // String(-0) is '0', so compare with Number(text)
				expect(Object.is(float(text), Number(text)), `${text} (seed ${SEED})`).toBe(true);
			}),
			{ seed: SEED, numRuns: 5000 }
		);
	});

	it('equals Number() for decimal texts with any digit counts and exponents', () => {
		const text = fc
			.tuple(
				fc.constantFrom('', '-', '+'),
				digits(22),
				fc.option(digits(22)),
				fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digits(3)))
			)
			.map(
				([sign, int, frac, exp]) =>
					sign + int + (frac === null ? '' : '.' + frac) + (exp ? exp.join('') : '')
			)
			.filter((t) => /[0-9]/.test(t.split(/[eE]/)[0]) && !/[eE][-+]?$/.test(t));
		fc.assert(
			fc.property(text, (t) => {
				expect(Object.is(float(t), Number(t)), `${t} (seed ${SEED})`).toBe(true);
			}),
			{ seed: SEED, numRuns: 20000 }
		);
	});

	it('rounds at the fast-path edges exactly like Number()', () => {
		for (const t of [
			'9007199254740993',
			'9007199254740993e-5',
			'900719925474099.3',
			'0.1',
			'1e22',
			'1e23',
			'123456789e30',
			'4.9e-324',
			'1.7976931348623157e308',
			'1e309',
			'-0',
			'0e999999',
			'.5',
			'5.',
			'0000000000000000000000001.5'
		]) {
			expect(Object.is(float(t), Number(t)), t).toBe(true);
		}
	});

	it('returns NaN for texts that are not decimal floats', () => {
		for (const t of ['', '.', '-', 'e5', '1e', '1e+', '1.2.3', '0x10', '1_0', 'abc', '1 2']) {
			expect(float(t), t).toBeNaN();
		}
		expect(float('Infinity')).toBe(Infinity);
		expect(float('-Infinity')).toBe(-Infinity);
	});
});

describe('integer parsers', () => {
	it('parseIntBytes reads up to 15 significant digits and rejects the rest', () => {
		fc.assert(
			fc.property(fc.integer({ min: -(2 ** 48), max: 2 ** 48 }), (n) => {
				const bytes = enc(String(n));
				expect(parseIntBytes(bytes, 0, bytes.length)).toBe(n);
			}),
			{ seed: SEED, numRuns: 3000 }
		);
		const check = (t: string) => parseIntBytes(enc(t), 0, enc(t).length);
		expect(check('+0012')).toBe(12);
		expect(check('1234567890123456')).toBeNaN();
		expect(check('1.0')).toBeNaN();
		expect(check('-')).toBeNaN();
	});

	it('parseInt64Into writes exact two-complement halves over the whole int64 range', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
				expect(int64(n.toString())).toBe(n);
			}),
			{ seed: SEED, numRuns: 3000 }
		);
		expect(int64('9223372036854775808')).toBeNull();
		expect(int64('-9223372036854775809')).toBeNull();
		expect(int64('18446744073709551615', true)).toBe(2n ** 64n - 1n);
		expect(int64('18446744073709551616', true)).toBeNull();
		expect(int64('-1', true)).toBeNull();
		expect(int64('12a')).toBeNull();
	});
});

describe('date and timestamp parsers', () => {
	it('match Date.UTC for random valid dates and times', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
				(date) => {
					const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
					const day = enc(iso.slice(0, 10));
					expect(parseDateBytes(day, 0, 10)).toBe(Math.floor(date.getTime() / 86400000));
					const ts = enc(iso);
					expect(parseTimestampBytes(ts, 0, ts.length)).toBe(date.getTime());
				}
			),
			{ seed: SEED, numRuns: 3000 }
		);
	});

	it('accept a space separator, offsets and long fractions, and reject impossible dates', () => {
		const ts = (t: string) => parseTimestampBytes(enc(t), 0, enc(t).length);
		expect(ts('2024-03-01 10:20:30')).toBe(Date.UTC(2024, 2, 1, 10, 20, 30));
		expect(ts('2024-03-01T10:20:30.123456789+02:00')).toBe(Date.UTC(2024, 2, 1, 8, 20, 30, 123));
		expect(ts('2024-03-01T10:20:30.5')).toBe(Date.UTC(2024, 2, 1, 10, 20, 30, 500));
		expect(ts('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
		for (const bad of [
			'2023-02-29',
			'2024-13-01',
			'2024-01-00',
			'2024-01-01T24:00:00',
			'2024-1-01'
		]) {
			expect(ts(bad), bad).toBeNaN();
		}
		expect(parseDateBytes(enc('2000-02-29'), 0, 10)).toBe(11016);
	});
});
