import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText } from './json-text';

describe('jsonText', () => {
	it('writes what JSON.stringify writes for any JSON value', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (v) => {
				expect(jsonText(v)).toBe(JSON.stringify(v));
			}),
			{ numRuns: 500 }
		);
	});

	it('drops undefined members, writes undefined array items, NaN and Infinity as null, bigints and dates as text', () => {
		const v = { a: undefined, b: [undefined, NaN, -Infinity], c: 12n, d: new Date(0) };
		expect(jsonText(v)).toBe('{"b":[null,null,null],"c":"12","d":"1970-01-01T00:00:00.000Z"}');
	});

	it('writes values nested 100,000 deep, which JSON.stringify cannot', () => {
		const text = `{"a":${'['.repeat(100_000)}1${']'.repeat(100_000)}}`;
		const value = JSON.parse(text);
		expect(() => JSON.stringify(value)).toThrow(RangeError);
		expect(jsonText(value)).toBe(text);
	});
});
