// Local data files as a new user brings them in (Open file…, a drop on the canvas): their schema
// reaches every view, a failed file never shows another node's rows, and a file dropped on the
// node that asks for it fills that node.
import { expect, test, type Page } from './support/test';
import { readFileSync } from 'node:fs';

test.use({ viewport: { width: 1440, height: 900 } });

const AIRPORTS = readFileSync(new URL('../fixtures/airports.csv', import.meta.url));
const AIRPORT_COLUMNS = ['iata', 'name', 'city', 'state', 'country', 'latitude', 'longitude'];

const card = (page: Page, id: string) =>
	page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);

async function newPipeline(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toContainText('Add a source from the palette');
}

async function openFile(page: Page, name: string, buffer: Buffer) {
	const chooser = page.waitForEvent('filechooser');
	await page.getByTestId('open-data-file').click();
	await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer });
}

async function connect(page: Page, from: string, to: string) {
	await page.getByTestId(`handle-${from}-out`).dragTo(page.getByTestId(`handle-${to}-in`));
}

/** The option values of a column dropdown of the inspector. */
async function columnOptions(page: Page, field: string): Promise<string[]> {
	const options = page.getByTestId(`field-${field}`).locator('select option');
	return (
		await options.evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value))
	).filter((v) => v !== '');
}

test('an opened CSV file gives its schema to the chart fields, the inspector, completions and every other node', async ({
	page
}) => {
	await newPipeline(page);
	await page.getByTestId('palette-generator').click();
	await openFile(page, 'airports.csv', AIRPORTS);
	await expect(card(page, 'csv-1')).toContainText('airports.csv');
	await page.getByTestId('palette-chart').click();
	await page.getByTestId('palette-filter').click();
	await page.getByTestId('layout-button').click();
	await connect(page, 'csv-1', 'chart-1');
	await connect(page, 'csv-1', 'filter-1');
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(2);

	// The source's own output schema.
	await card(page, 'csv-1').click();
	const out = page.getByTestId('output-schema-table');
	for (const column of AIRPORT_COLUMNS) await expect(out).toContainText(column);

	// The chart: its input schema and its X / Y dropdowns.
	await card(page, 'chart-1').click();
	const input = page.getByTestId('input-schema');
	await expect(input).not.toContainText('not connected');
	for (const column of AIRPORT_COLUMNS) await expect(input).toContainText(column);
	await expect.poll(() => columnOptions(page, 'x')).toEqual(AIRPORT_COLUMNS);
	expect(await columnOptions(page, 'y')).toContain('latitude');
	await page.getByTestId('field-type').locator('select').selectOption('scatter');
	await page.getByTestId('field-x').locator('select').selectOption('longitude');
	await page.getByTestId('field-y').locator('select').selectOption('latitude');
	await expect(card(page, 'chart-1')).not.toHaveAttribute('data-status', 'error');
	await expect(page.getByTestId('chart-summary')).toHaveAttribute('data-total', '15', {
		timeout: 20_000
	});

	// The filter's expression completes the file's columns.
	await card(page, 'filter-1').click();
	const expression = page.getByTestId('expression-input');
	await expression.fill('');
	await expression.pressSequentially('lat');
	await expect(page.getByTestId('completions')).toContainText('latitude');

	// The unrelated generator keeps its schema while the file node exists.
	await card(page, 'generator-1').click();
	await expect(page.getByTestId('output-schema-table')).toContainText('value');
});

const STOCKS = Buffer.from(
	'symbol,date,price\n' +
		Array.from({ length: 12 }, (_, i) => `MSFT,2001-0${(i % 9) + 1}-01,${30 + i}.5`).join('\n') +
		'\n'
);
/** A row with more fields than the header: the source fails on it (bad rows = fail). */
const BAD = Buffer.from('symbol,date,price\nIBM,2001-01-01,10\nIBM,2001-02-01,11,12,13\n');

/** Drops `files` on the middle of the canvas, or on the header of node `target`. */
async function drop(page: Page, files: { name: string; text: string }[], target?: string) {
	const canvas = target ? card(page, target).locator('.label') : page.getByTestId('canvas-wrap');
	const box = (await canvas.boundingBox())!;
	const dataTransfer = await page.evaluateHandle((list) => {
		const dt = new DataTransfer();
		for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'text/csv' }));
		return dt;
	}, files);
	const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, dataTransfer };
	await canvas.dispatchEvent('dragenter', at);
	await canvas.dispatchEvent('dragover', at);
	await canvas.dispatchEvent('drop', at);
}

/** stocks.csv (csv-1) → table, previewed. */
async function stocksToTable(page: Page) {
	await drop(page, [{ name: 'stocks.csv', text: STOCKS.toString() }]);
	await expect(card(page, 'csv-1')).toContainText('stocks.csv');
	await page.getByTestId('palette-table').click();
	await page.getByTestId('layout-button').click();
	await connect(page, 'csv-1', 'table-1');
	await card(page, 'table-1').click();
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '12', {
		timeout: 20_000
	});
	await card(page, 'csv-1').click();
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '12', {
		timeout: 20_000
	});
}

/** The preview shows the failing new file: its error, under its title, and no rows of stocks. */
async function expectOnlyTheError(page: Page) {
	const panel = page.getByTestId('preview-panel');
	await expect(card(page, 'csv-1')).toContainText('bad.csv');
	await expect(card(page, 'csv-1')).toHaveAttribute('data-status', 'error', { timeout: 20_000 });
	await expect(panel.locator('h2')).toContainText('bad.csv');
	await expect(page.getByTestId('preview-error')).toBeVisible();
	await expect(page.getByTestId('preview-row')).toHaveCount(0);
	await expect(panel).not.toContainText('MSFT');
	await expect(page.getByTestId('preview-row-count')).toHaveCount(0);
}

test.describe('a failed source never shows another node’s rows', () => {
	test('after New, a bad file that gets the same id shows its error with no rows', async ({
		page
	}) => {
		await newPipeline(page);
		await stocksToTable(page);
		await page.getByTestId('new-button').click();
		await expect(page.getByTestId('empty-hint')).toBeVisible();
		await drop(page, [{ name: 'bad.csv', text: BAD.toString() }]);
		await expectOnlyTheError(page);
	});

	test('after deleting the source, a bad file that gets its id shows its error with no rows', async ({
		page
	}) => {
		await newPipeline(page);
		await stocksToTable(page);
		await card(page, 'csv-1').click();
		await page.keyboard.press('Delete');
		await expect(card(page, 'csv-1')).toHaveCount(0);
		await drop(page, [{ name: 'bad.csv', text: BAD.toString() }]);
		await expectOnlyTheError(page);
	});
});

test('a file dropped on the node that asks for it fills that node', async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await newPipeline(page);
	// A shared pipeline: its CSV source names a local file this page does not have.
	const at = (x: number) => ({ x, y: 0 });
	const shared = {
		version: 1,
		id: 'shared',
		name: 'shared',
		nodes: [
			{ id: 'prices', kind: 'csv', label: 'Prices', params: { source: 'local:k1/stocks.csv' } },
			{ id: 'sink', kind: 'table', label: 'Sink', params: {} }
		].map((n, i) => ({ ...n, position: at(i * 300) })),
		edges: [{ id: 'e1', from: { node: 'prices', port: 'out' }, to: { node: 'sink', port: 'in' } }]
	};
	await page.evaluate((t) => navigator.clipboard.writeText(t), JSON.stringify(shared));
	await page.locator('.svelte-flow__pane').click({ position: { x: 8, y: 8 } });
	await page.keyboard.press('ControlOrMeta+V');
	await expect(page.getByTestId('node-card')).toHaveCount(2);
	const labelled = (label: string) =>
		page.getByTestId('node-card').filter({ has: page.locator('.label', { hasText: label }) });
	const source = labelled('Prices');
	const id = (await source.getAttribute('data-node-id'))!;
	await expect(source.getByTestId('dataset-missing')).toContainText(
		"file 'stocks.csv' must be provided again"
	);

	await drop(page, [{ name: 'stocks.csv', text: STOCKS.toString() }], id);

	await expect(source.getByTestId('dataset-missing')).toHaveCount(0);
	await expect(page.getByTestId('node-card')).toHaveCount(2);
	await expect(source).not.toHaveAttribute('data-status', 'error');
	await labelled('Sink').click();
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '12', {
		timeout: 20_000
	});
});
