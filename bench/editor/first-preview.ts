// Opening the editor cold to its first preview: a fresh browser context (empty cache and
// storage) navigates to `/`, which loads the first example; an init script watches the DOM for
// the preview table's first data row and notes the time of the animation frame that paints
// it, in ms since navigation start (the page's performance.now()).
import type { Browser } from '@playwright/test';

const ROW = '[data-testid="preview-row"]';
const TIMEOUT_MS = 20_000;

declare global {
	interface Window {
		__benchFirstRow?: { inserted: number; shown: number };
	}
}

/** Installed before any page script runs. */
function watchFirstRow(selector: string): void {
	const observer = new MutationObserver(() => {
		if (!document.querySelector(selector)) return;
		observer.disconnect();
		const inserted = performance.now();
		requestAnimationFrame(() => {
			window.__benchFirstRow = { inserted, shown: performance.now() };
		});
	});
	observer.observe(document, { childList: true, subtree: true });
}

export interface FirstPreview {
	/** ms from navigation start to the frame that paints the first row. */
	shown: number;
	/** ms from navigation start to the row's insertion into the DOM. */
	inserted: number;
}

export async function firstPreview(browser: Browser, url: string): Promise<FirstPreview> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	try {
		await context.addInitScript(watchFirstRow, ROW);
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(`${url}/`);
		const handle = await page.waitForFunction(() => window.__benchFirstRow, undefined, {
			timeout: TIMEOUT_MS
		});
		const timing = (await handle.jsonValue()) as FirstPreview;
		if (errors.length > 0) throw new Error(`page errors while opening: ${errors.join('; ')}`);
		return timing;
	} finally {
		await context.close();
	}
}
