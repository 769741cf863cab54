// The editor from the keyboard alone.
import { expect, test, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

test('Enter in the palette search adds the one node kind it leaves', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	const cards = page.locator('[data-testid="node-card"]');
	const before = await cards.count();
	const search = page.getByTestId('palette-search');
	await search.fill('statistics');
	await expect(page.getByTestId('palette').locator('button.item[draggable="true"]')).toHaveCount(1);
	await search.press('Enter');
	await expect(cards).toHaveCount(before + 1);
	await expect(search).toHaveValue('');
});

const STOCKS = [
	'symbol,date,price',
	'MSFT,Jan 1 2000,39.81',
	'MSFT,Feb 1 2000,36.35',
	'AMZN,Jan 1 2000,64.56',
	'IBM,Jan 1 2000,100.52'
].join('\n');

const card = (page: Page, id: string) =>
	page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);

/** A new pipeline with stocks.csv (csv-1), opened from a file as a new user does. */
async function openStocks(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
	const chooser = page.waitForEvent('filechooser');
	await page.getByTestId('open-data-file').click();
	await (
		await chooser
	).setFiles({
		name: 'stocks.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(STOCKS)
	});
	await expect(card(page, 'csv-1')).toContainText('stocks.csv');
}

/**
 * Presses Shift+Tab until an edge has focus (xyflow puts edges before nodes in the tab order);
 * returns its accessible name.
 */
async function tabToEdge(page: Page): Promise<string> {
	for (let i = 0; i < 30; i++) {
		await page.keyboard.press('Shift+Tab');
		const focused = await page.evaluate(() => {
			const el = document.activeElement;
			return el?.getAttribute('aria-roledescription') === 'edge'
				? el.getAttribute('aria-label')
				: null;
		});
		if (focused !== null) return focused;
	}
	throw new Error('Tab never reached an edge');
}

test('Delete on an edge reached with Tab deletes that edge, not the node clicked before', async ({
	page
}) => {
	// stocks.csv → Filter → Table: each palette click lands right of the selected node, wired.
	await openStocks(page);
	await page.getByTestId('palette-filter').click();
	await page.getByTestId('palette-table').click();
	const edges = page.locator('.svelte-flow__edge');
	await expect(edges).toHaveCount(2);

	// Click a node first (it is selected), then Tab on to an edge and press Delete.
	await card(page, 'csv-1').click();
	const name = await tabToEdge(page);
	await page.keyboard.press('Delete');

	await expect(edges).toHaveCount(1);
	await expect(page.getByRole('group', { name })).toHaveCount(0);
	await expect(page.getByTestId('node-card')).toHaveCount(3);
	// Focus stays on the canvas, on the deleted edge's source node, not on the page.
	const source = /^edge from (.+) to /.exec(name)![1];
	const focusedName = () =>
		page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
	await expect.poll(async () => (await focusedName()).startsWith(`${source}, `)).toBe(true);

	// Backspace does the same to the next edge reached with Tab.
	await card(page, 'table-1').click();
	await tabToEdge(page);
	await page.keyboard.press('Backspace');
	await expect(edges).toHaveCount(0);
	await expect(page.getByTestId('node-card')).toHaveCount(3);
});

test('nodes and edges are announced by title and kind, not by instructions or ids', async ({
	page
}) => {
	await openStocks(page);
	await page.getByTestId('palette-filter').click();
	const canvas = page.getByRole('region', { name: 'Pipeline canvas' });
	await expect(canvas.getByRole('group', { name: 'stocks.csv, CSV source' })).toBeVisible();
	await expect(
		canvas.getByRole('group', { name: 'Filter (filter-1), Filter transform' })
	).toBeVisible();
	await expect(
		canvas.getByRole('group', { name: 'edge from stocks.csv to Filter (filter-1)' })
	).toHaveCount(1);
	// A label the user gives becomes the name.
	await card(page, 'filter-1').click();
	await page.getByTestId('label-input').fill('Only MSFT');
	await expect(canvas.getByRole('group', { name: 'Only MSFT, Filter transform' })).toBeVisible();
	await expect(
		canvas.getByRole('group', { name: 'edge from stocks.csv to Only MSFT' })
	).toHaveCount(1);
});

test('C on a focused node connects it to a node picked from a list with the arrow keys and Enter', async ({
	page
}) => {
	await openStocks(page);
	// Two unconnected sinks (nothing selected: they land in view, unwired).
	await page.keyboard.press('Escape');
	await page.getByTestId('palette-statistics').click();
	await page.keyboard.press('Escape');
	await page.getByTestId('palette-table').click();
	await page.keyboard.press('Escape');
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(0);

	// Tab to stocks.csv and press C.
	const source = page.getByRole('group', { name: 'stocks.csv, CSV source' });
	for (let i = 0; i < 30 && !(await source.evaluate((el) => el === document.activeElement)); i++)
		await page.keyboard.press('Tab');
	await expect(source).toBeFocused();
	await page.keyboard.press('c');

	const dialog = page.getByRole('dialog', { name: 'Connect stocks.csv, CSV source to…' });
	await expect(dialog).toBeVisible();
	const options = dialog.getByRole('option');
	await expect(options).toHaveText([
		'to Statistics (statistics-1), Statistics sink',
		'to Table (table-1), Table sink'
	]);
	await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
	await page.keyboard.press('ArrowDown');
	await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
	await page.keyboard.press('Enter');

	await expect(dialog).toBeHidden();
	await expect(
		page.getByRole('group', { name: 'edge from stocks.csv to Table (table-1)' })
	).toHaveCount(1);
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(1);
	// Focus is back on the node, and the table previews the file's rows.
	await expect(source).toBeFocused();
	await card(page, 'table-1').click();
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '4', {
		timeout: 20_000
	});

	// The list offers only what a drag could make: the table's input is taken now.
	await card(page, 'csv-1').click();
	await page.keyboard.press('c');
	await expect(dialog.getByRole('option')).toHaveText([
		'to Statistics (statistics-1), Statistics sink'
	]);
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(1);
});

test('the shortcuts help lists Connect to…', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('help-button').click();
	await expect(page.getByTestId('help')).toContainText('Connect the selected node to another node');
});
