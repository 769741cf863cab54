import { describe, expect, it } from 'vitest';
import { completions } from './completions';
import type { ExprField } from './types';

const FIELDS: ExprField[] = [
	{ name: 'amount', type: 'float64' },
	{ name: 'region', type: 'utf8' },
	{ name: 'unit price', type: 'float64' },
	{ name: 'year', type: 'int32' }
];

const labels = (source: string, cursor = source.length) =>
	completions(source, cursor, FIELDS).options.map((o) => o.label);

describe('completions', () => {
	it('offers columns and functions that start with the word at the cursor, columns first', () => {
		expect(labels('am')).toEqual(['amount']);
		expect(labels('x > re')).toEqual(['region']);
		expect(labels('lo')).toEqual(['lower', 'log', 'floor']);
		expect(labels('co').slice(0, 3)).toEqual(['coalesce', 'contains', 'concat']);
	});
	it('replaces the whole word around the cursor', () => {
		expect(completions('amount > reg + 1', 11, FIELDS)).toMatchObject({ from: 9, to: 12 });
	});
	it('describes columns by type and functions by signature', () => {
		const r = completions('up', 2, FIELDS);
		expect(r.options[0]).toEqual({ label: 'upper', detail: 'upper(s: string) → string' });
		expect(completions('amo', 3, FIELDS).options[0].detail).toBe('float64 column');
	});
	it('backquotes column names that are not plain identifiers or clash with a function', () => {
		expect(labels('un')).toContain('`unit price`');
		expect(labels('yea')).toEqual(['`year`', 'year']);
	});
	it('completes inside an open backquote from the backquote', () => {
		expect(completions('`unit', 5, FIELDS)).toMatchObject({
			from: 0,
			to: 5,
			options: [{ label: '`unit price`' }]
		});
		expect(completions('`un` + 1', 3, FIELDS)).toMatchObject({ from: 0, to: 4 });
	});
	it('offers nothing inside a string or a number', () => {
		expect(labels('region == "am')).toEqual([]);
		expect(labels('12')).toEqual([]);
	});
	it('offers everything at an empty word', () => {
		expect(labels('amount > ', 9).length).toBeGreaterThan(FIELDS.length + 20);
	});
});
