import { describe, expect, it } from 'vitest';
import { choosePoolSize, defaultPoolSize, loweredPoolText } from './pool-size';

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

describe('choosePoolSize', () => {
	it('lowers a request above the cores available to the cores, and says so', () => {
		const choice = choosePoolSize(64, 2, 'headless');
		expect(choice).toEqual({ size: 2, cores: 2, lowered: 64 });
		expect(loweredPoolText(choice, '--workers')).toBe(
			'--workers 64 lowered to 2: this machine has 2 cores'
		);
	});
	it('keeps a request within the cores, and the default when nothing is requested', () => {
		expect(choosePoolSize(1, 8, 'headless')).toEqual({ size: 1, cores: 8 });
		expect(loweredPoolText(choosePoolSize(8, 8, 'headless'))).toBeNull();
		expect(choosePoolSize(undefined, 8, 'browser')).toEqual({ size: 7, cores: 8 });
		expect(choosePoolSize(3, undefined, 'browser')).toEqual({ size: 1, cores: 1, lowered: 3 });
	});
});
