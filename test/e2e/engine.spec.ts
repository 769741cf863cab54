import { expect, test } from './support/test';

test.describe('engine self-test in a real Chromium worker pool', () => {
	test('every engine check passes in Web Workers sharing memory', async ({ page }) => {
		test.setTimeout(90_000);
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto('/self-test');
		expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

		const summary = page.getByTestId('self-test-summary');
		await expect(summary).toBeVisible({ timeout: 60_000 });

		const rows = await page.getByTestId('self-test-check').evaluateAll((trs) =>
			trs.map((tr) => ({
				status: tr.getAttribute('data-status'),
				cells: [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')
			}))
		);
		for (const { cells } of rows) console.log(`  ${cells.join(' | ')}`);
		const failed = rows.filter((r) => r.status !== 'passed').map((r) => r.cells.join(' | '));
		expect(failed, `checks that did not pass:\n${failed.join('\n')}`).toEqual([]);
		expect(rows.length).toBeGreaterThanOrEqual(8);

		const text = (await summary.textContent()) ?? '';
		const match = /(\d+) passed, (\d+) failed/.exec(text);
		expect(match, `summary "${text}"`).not.toBeNull();
		expect(Number(match![1])).toBeGreaterThanOrEqual(8);
		expect(Number(match![1])).toBe(rows.length);
		expect(Number(match![2])).toBe(0);
		expect(errors, 'uncaught page errors').toEqual([]);
	});
});
