import { expect, test } from './support/test';

const ISOLATION = {
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-embedder-policy': 'require-corp',
	'cross-origin-resource-policy': 'same-origin'
};

function expectIsolationHeaders(headers: Record<string, string>, what: string) {
	for (const [name, value] of Object.entries(ISOLATION)) {
		expect(headers[name], `${name} on ${what}`).toBe(value);
	}
	const csp = headers['content-security-policy'] ?? '';
	expect(csp, `CSP on ${what}`).toContain("script-src 'self'");
	expect(csp, `CSP on ${what}`).not.toContain('unsafe-eval');
}

test.describe('cross-origin isolation on the production server', () => {
	test('the page is isolated and a worker started from the app shares memory', async ({ page }) => {
		const workerScripts: string[] = [];
		page.on('response', (r) => {
			if (/\/workers\/.*\.js$/.test(new URL(r.url()).pathname)) workerScripts.push(r.url());
		});
		const response = await page.goto('/');
		expectIsolationHeaders(response!.headers(), '/');

		expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
		expect(await page.evaluate(() => new SharedArrayBuffer(8).byteLength)).toBe(8);

		await expect(page.getByTestId('isolation')).toHaveText('Cross-origin isolated');
		await expect(page.getByTestId('worker-memory')).toHaveText('Workers share memory');
		await expect(page.getByTestId('pool')).toContainText(/Worker pool: \d+ worker/);

		expect(workerScripts.length, 'the probe worker script was loaded').toBeGreaterThan(0);
		const worker = await page.request.get(workerScripts[0]);
		expect(worker.ok()).toBe(true);
		expectIsolationHeaders(worker.headers(), 'a built worker script');
	});

	test('a reload (a revalidated page) still starts the app', async ({ page }) => {
		await page.goto('/');
		await expect(page.getByTestId('isolation')).toHaveText('Cross-origin isolated');
		await page.reload();
		await expect(page.locator('.svelte-flow')).toBeVisible();
		await expect(page.getByTestId('isolation')).toHaveText('Cross-origin isolated');
	});

	test('static files carry the isolation headers too', async ({ request }) => {
		const favicon = await request.get('/favicon.svg');
		expect(favicon.ok()).toBe(true);
		expectIsolationHeaders(favicon.headers(), '/favicon.svg');
	});

	test('the editor shell shows a canvas, a side panel and the status line', async ({ page }) => {
		await page.goto('/');
		await expect(page.locator('.svelte-flow')).toBeVisible();
		await expect(page.getByTestId('side-panel')).toBeVisible();
		await expect(page.getByTestId('status-line')).toBeVisible();
	});
});
