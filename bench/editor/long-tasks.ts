// The page's long tasks (Chromium's PerformanceObserver 'longtask': main-thread tasks over
// 50 ms), recorded from an init script so none is missed, and read back as durations in ms.
import type { Page } from '@playwright/test';

declare global {
	interface Window {
		__benchLongTasks?: number[];
	}
}

function observeLongTasks(): void {
	window.__benchLongTasks = [];
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) window.__benchLongTasks!.push(Math.round(e.duration));
	}).observe({ type: 'longtask', buffered: true });
}

/** Install before the first navigation. */
export const watchLongTasks = (page: Page) => page.addInitScript(observeLongTasks);

/** Forgets what was recorded so far. */
export const resetLongTasks = (page: Page) => page.evaluate(() => (window.__benchLongTasks = []));

/** The durations recorded since the last reset. */
export const longTasks = (page: Page): Promise<number[]> =>
	page.evaluate(() => window.__benchLongTasks ?? []);
