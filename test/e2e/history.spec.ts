// Run history: each full run is kept with the pipeline and two runs compare edge by edge.
import { expect, test, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

async function runOnce(page: Page) {
	await page.getByTestId('run-button').click();
	await expect(page.getByTestId('run-button')).toBeVisible({ timeout: 30_000 });
}

test('each full run is listed with its rows and status, and two runs compare per edge', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await runOnce(page);
	await runOnce(page);
	await page.getByTestId('runs-button').click();
	const rows = page.getByTestId('run-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.first()).toHaveAttribute('data-status', 'done');
	expect(
		Number((await rows.first().getByTestId('run-sink-rows').textContent())!.replace(/,/g, ''))
	).toBeGreaterThan(0);

	await rows.nth(0).getByTestId('run-pick').check();
	await rows.nth(1).getByTestId('run-pick').check();
	const compare = page.getByTestId('run-compare');
	await expect(compare).toBeVisible();
	await expect(compare.getByTestId('compare-row').first()).toContainText('×');

	// Each run keeps its metrics report ('sluice-metrics' v1) in the browser's IndexedDB.
	const formats = await page.evaluate(async () => {
		const open = indexedDB.open('sluice');
		const db: IDBDatabase = await new Promise((done) => (open.onsuccess = () => done(open.result)));
		const all = db.transaction('runs').objectStore('runs').getAll();
		const runs: { metrics?: { format?: string; version?: number } }[] = await new Promise(
			(done) => (all.onsuccess = () => done(all.result))
		);
		db.close();
		return runs.map((run) => `${run.metrics?.format} v${run.metrics?.version}`);
	});
	expect(formats).toEqual(['sluice-metrics v1', 'sluice-metrics v1']);

	// The history is the pipeline's: it is still there after a reload.
	await page.reload();
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('runs-button').click();
	await expect(page.getByTestId('run-row')).toHaveCount(2);
});
