import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest';

describe('closestName', () => {
	const kinds = ['csv', 'filter', 'derive', 'group-by', 'sort', 'table'];

	it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
		expect(editDistance('kitten', 'sitting')).toBe(3);
		expect(editDistance('cvs', 'csv')).toBe(1);
		expect(editDistance('ab', 'ba')).toBe(1);
		expect(editDistance('', 'abc')).toBe(3);
		expect(editDistance('same', 'same')).toBe(0);
	});

	it('finds a misspelt or differently cased name', () => {
		expect(closestName('fliter', kinds)).toBe('filter');
		expect(closestName('Group-By', kinds)).toBe('group-by');
		expect(closestName('cvs', kinds)).toBe('csv');
	});

	it('suggests nothing when no name is close', () => {
		expect(closestName('quantum', kinds)).toBeUndefined();
		expect(closestName('x'.repeat(1000), kinds)).toBeUndefined();
		expect(closestName('filter', [])).toBeUndefined();
	});
});
