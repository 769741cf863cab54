import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, guardNavigatorLanguage, usableLocale } from './locale';

describe('usableLocale', () => {
	it('keeps a tag Intl accepts', () => {
		expect(usableLocale('de-DE')).toBe('de-DE');
		expect(usableLocale('en')).toBe('en');
	});

	it('falls back to the default for the C and POSIX locales and for nothing', () => {
		for (const tag of ['C', 'c', 'C.UTF-8', '', undefined, null]) {
			expect(usableLocale(tag)).toBe(DEFAULT_LOCALE);
		}
	});
});

describe('guardNavigatorLanguage', () => {
	it('shadows an unusable language so new Intl.NumberFormat(navigator.language) works', () => {
		const nav = Object.create({ language: 'C' }) as { language: string };
		expect(() => new Intl.NumberFormat(nav.language)).toThrow(RangeError);
		expect(guardNavigatorLanguage(nav)).toBe(true);
		expect(nav.language).toBe(DEFAULT_LOCALE);
		expect(() => new Intl.NumberFormat(nav.language)).not.toThrow();
	});

	it('leaves a usable language alone', () => {
		const nav = { language: 'fr-FR' };
		expect(guardNavigatorLanguage(nav)).toBe(false);
		expect(nav.language).toBe('fr-FR');
	});
});
