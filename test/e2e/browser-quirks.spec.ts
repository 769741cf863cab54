// What some browsers and machines differ in, reproduced in Chromium: a `C` locale whose
// navigator.language Intl refuses (WebKit on servers and containers), and a page that is
// cross-origin isolated but has no SharedArrayBuffer (WebKit without it enabled). The app must
// open, say what it does, and still show a result.
import { expect, test, type Page } from './support/test';

async function expectHomeWithRows(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await expect(page.getByTestId('node-card').first()).toBeVisible();
	await expect(page.getByTestId('preview-row').first()).toBeVisible({ timeout: 30_000 });
}

test('with the C locale, whose language tag Intl refuses, the home page opens and previews', async ({
	page
}) => {
	await page.addInitScript(() => {
		Object.defineProperty(Navigator.prototype, 'language', { get: () => 'C', configurable: true });
	});
	// What used to blank the page: the tag really is refused in this browser.
	await page.goto('about:blank');
	expect(
		await page.evaluate(() => {
			try {
				new Intl.NumberFormat(navigator.language);
				return 'accepted';
			} catch (e) {
				return (e as Error).name;
			}
		})
	).toBe('RangeError');

	await expectHomeWithRows(page);
	expect(await page.evaluate(() => navigator.language)).toBe('en-US');
});

test('an isolated page without SharedArrayBuffer runs on message passing and says why', async ({
	page
}) => {
	const workers: string[] = [];
	page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
	await page.addInitScript(() => {
		delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
	});
	await expectHomeWithRows(page);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	const status = page.getByTestId('status-line');
	await expect(status).toContainText('Cross-origin isolated');
	await expect(page.getByTestId('worker-memory')).toHaveText(
		'Workers use message passing (slower)'
	);
	await expect(status).toContainText('This browser provides no SharedArrayBuffer here');
	await expect(status).not.toContainText('worker failed to start');
	const hosts = workers.filter((p) => /host/.test(p));
	expect(hosts.length).toBeGreaterThan(0);
	expect(
		hosts.filter((p) => !/fallback-host/.test(p)),
		'shared-memory stage hosts'
	).toEqual([]);
});
