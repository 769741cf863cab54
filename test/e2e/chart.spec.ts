// The chart sink in the editor: built from the palette, its preview drawn with uPlot.
import { expect, test, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

let problems: string[] = [];

test.beforeEach(async ({ page }) => {
	problems = [];
	page.on('console', (m) => {
		if (m.type() === 'error') problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});

test.afterEach(() => {
	expect(problems, 'console errors and uncaught page errors').toEqual([]);
});

const card = (page: Page, id: string) =>
	page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);

async function connect(page: Page, from: string, to: string) {
	await page.getByTestId(`handle-${from}-out`).dragTo(page.getByTestId(`handle-${to}-in`));
}

test('a histogram chart of a generator column previews as a drawn plot of every previewed row', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toContainText('Add a source from the palette');
	await page.getByTestId('palette-generator').click();
	await page.getByTestId('palette-chart').click();
	await page.getByTestId('layout-button').click();
	await expect(page.getByTestId('node-card')).toHaveCount(2);
	await connect(page, 'generator-1', 'chart-1');
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(1);

	await card(page, 'chart-1').click();
	await page.getByTestId('field-type').locator('select').selectOption('histogram');
	await page.getByTestId('field-y').locator('select').selectOption('value');

	await expect(page.getByTestId('preview-body')).toHaveAttribute('data-fresh', 'true', {
		timeout: 15_000
	});
	const rows = Number(await page.getByTestId('preview-row-count').getAttribute('data-rows'));
	expect(rows).toBeGreaterThan(0);
	const view = page.getByTestId('chart-view');
	await expect(view.locator('canvas')).toBeVisible();
	const summary = page.getByTestId('chart-summary');
	await expect(summary).toHaveAttribute('data-total', String(rows));
	await expect(summary).toContainText(`histogram of ${rows.toLocaleString('en-US')} rows`);
	const box = (await view.locator('canvas').boundingBox())!;
	expect(box.width).toBeGreaterThan(100);
	expect(box.height).toBeGreaterThan(100);
});
