import { expect, test } from './support/test';

// The engine self-test on a page that is NOT cross-origin isolated: the isolation headers are
// stripped from every response, so the page has no SharedArrayBuffer, picks the message-passing
// transport by itself, says so, and the same checks pass over it.
test.describe('engine self-test without cross-origin isolation (message passing)', () => {
	test('the fallback is chosen automatically, announced, and every check that can run passes', async ({
		page
	}) => {
		test.setTimeout(120_000);
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		const workerScripts: string[] = [];
		page.on('worker', (w) => workerScripts.push(new URL(w.url()).pathname));
		await page.route('**/*', async (route) => {
			const r = await route.fetch();
			const headers = { ...r.headers() };
			delete headers['cross-origin-opener-policy'];
			delete headers['cross-origin-embedder-policy'];
			await route.fulfill({ response: r, headers });
		});
		await page.goto('/self-test');
		expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
		expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('undefined');

		await expect(page.getByTestId('transport-notice')).toHaveText(
			/not cross-origin isolated.*message passing/
		);
		await expect(page.getByTestId('transport-explanation')).toBeVisible();

		const summary = page.getByTestId('self-test-summary');
		await expect(summary).toBeVisible({ timeout: 100_000 });

		const rows = await page.getByTestId('self-test-check').evaluateAll((trs) =>
			trs.map((tr) => ({
				status: tr.getAttribute('data-status'),
				cells: [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')
			}))
		);
		for (const { cells } of rows) console.log(`  ${cells.join(' | ')}`);
		const ran = rows.filter((r) => r.status !== 'skipped');
		const failed = ran.filter((r) => r.status !== 'passed').map((r) => r.cells.join(' | '));
		expect(failed, `checks that did not pass:\n${failed.join('\n')}`).toEqual([]);
		expect(ran.length).toBeGreaterThanOrEqual(7);
		const skipped = rows.filter((r) => r.status === 'skipped');
		for (const r of skipped) expect(r.cells[3]).toBe('skipped: needs shared memory');

		// The pool's workers are fallback hosts, not the shared-memory stage hosts.
		expect(workerScripts.length).toBeGreaterThanOrEqual(2);
		const stageHosts = workerScripts.filter((p) => !/fallback-host/.test(p));
		expect(stageHosts, 'workers that are not fallback hosts').toEqual([]);

		const text = (await summary.textContent()) ?? '';
		const match = /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(text);
		expect(match, `summary "${text}"`).not.toBeNull();
		expect(Number(match![1])).toBe(ran.length);
		expect(Number(match![2])).toBe(0);
		expect(Number(match![3])).toBe(skipped.length);
		expect(errors, 'uncaught page errors').toEqual([]);
	});
});
