import { describe, expect, it } from 'vitest';
import { defaultPoolSize } from './pool-size';

describe('defaultPoolSize', () => {
	it('leaves one core to the page in a browser', () => {
		expect(defaultPoolSize(8, 'browser')).toBe(7);
		expect(defaultPoolSize(2, 'browser')).toBe(1);
	});
	it('uses every core headless', () => {
		expect(defaultPoolSize(2, 'headless')).toBe(2);
	});
	it('never goes below one worker, even with an unknown or bogus core count', () => {
		expect(defaultPoolSize(1, 'browser')).toBe(1);
		expect(defaultPoolSize(undefined, 'browser')).toBe(1);
		expect(defaultPoolSize(Number.NaN, 'headless')).toBe(1);
		expect(defaultPoolSize(-4, 'headless')).toBe(1);
	});
});
