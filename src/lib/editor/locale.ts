// The locale the page formats with, and a guard for browsers that report one Intl refuses.
// Under the `C`/`POSIX` locale of servers and containers, WebKit's `navigator.language` is a tag
// that `Intl` rejects with a RangeError. uPlot builds `new Intl.NumberFormat(navigator.language)`
// when its module loads, so that RangeError escaped the module graph and left the home page
// blank. `guardNavigatorLanguage` shadows an unusable `navigator.language` on the navigator
// object with `DEFAULT_LOCALE` before uPlot loads (see `uplot.ts`); a usable one is left alone.

export const DEFAULT_LOCALE = 'en-US';

/** `tag` when Intl accepts it as a locale, otherwise `DEFAULT_LOCALE`. */
export function usableLocale(tag: string | undefined | null): string {
	if (!tag) return DEFAULT_LOCALE;
	try {
		new Intl.NumberFormat(tag);
		return tag;
	} catch {
		return DEFAULT_LOCALE;
	}
}

/** Makes `nav.language` a locale Intl accepts; true when it had to replace it. */
export function guardNavigatorLanguage(nav: { language?: string } | undefined): boolean {
	if (!nav || usableLocale(nav.language) === nav.language) return false;
	Object.defineProperty(nav, 'language', { value: DEFAULT_LOCALE, configurable: true });
	return true;
}
