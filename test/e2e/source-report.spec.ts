// A source says what it did not pass on as it was (issue 12.2): a CSV of 20 weather rows with an
// unclosed quote on line 7, and a ragged one, dropped on the canvas and read with bad rows =
// skip and null. The card and the preview header count the rows per reason with their lines;
// 'show' lists the messages; 'null' keeps every row.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

const card = (page: Page, id: string) =>
	page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);

async function dropCsv(page: Page, name: string) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
	const text = readFileSync(`test/fixtures/csv/${name}`, 'utf8');
	const canvas = page.getByTestId('canvas-wrap');
	const box = (await canvas.boundingBox())!;
	const dataTransfer = await page.evaluateHandle(
		([body, file]) => {
			const dt = new DataTransfer();
			dt.items.add(new File([body], file, { type: 'text/csv' }));
			return dt;
		},
		[text, name]
	);
	const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, dataTransfer };
	await canvas.dispatchEvent('dragenter', at);
	await canvas.dispatchEvent('dragover', at);
	await canvas.dispatchEvent('drop', at);
	await expect(card(page, 'csv-1')).toBeVisible();
}

async function badRows(page: Page, mode: 'skip' | 'null') {
	await card(page, 'csv-1').click();
	await page.getByTestId('field-badRows').locator('select').selectOption(mode);
}

const rowCount = (page: Page) => page.getByTestId('preview-row-count');

test.describe('bad CSV rows are counted and shown', () => {
	test.use({ allowConsoleErrors: [/line 7/] });

	test('an unclosed quote costs one row under skip, none under null, and says where', async ({
		page
	}) => {
		await dropCsv(page, 'weather-unclosed-quote.csv');
		await badRows(page, 'skip');
		await expect(rowCount(page)).toHaveAttribute('data-rows', '19', { timeout: 20_000 });
		await expect(card(page, 'csv-1').getByTestId('node-report')).toHaveText('1 row skipped');
		const header = page.getByTestId('preview-report');
		await expect(header).toContainText('1 row skipped (quote never closed): line 7');
		await header.getByRole('button', { name: 'show' }).click();
		await expect(page.getByTestId('preview-report-detail')).toContainText(
			"line 7, column 'weather': quoted field opened on line 7 is never closed"
		);

		await badRows(page, 'null');
		await expect(rowCount(page)).toHaveAttribute('data-rows', '20', { timeout: 20_000 });
		await expect(card(page, 'csv-1').getByTestId('node-report')).toHaveText(
			'1 row kept with nulls'
		);
		await expect(page.getByTestId('preview-report')).toContainText(
			'1 row kept with nulls (quote never closed): line 7'
		);
	});

	test('a ragged file says which rows were skipped, or nulled and cut', async ({ page }) => {
		await dropCsv(page, 'weather-ragged.csv');
		await badRows(page, 'skip');
		await expect(rowCount(page)).toHaveAttribute('data-rows', '18', { timeout: 20_000 });
		await expect(card(page, 'csv-1').getByTestId('node-report')).toHaveText('2 rows skipped');
		await expect(page.getByTestId('preview-report')).toContainText(
			'2 rows skipped (wrong number of fields): line 5, line 12'
		);
		await badRows(page, 'null');
		await expect(rowCount(page)).toHaveAttribute('data-rows', '20', { timeout: 20_000 });
		await expect(page.getByTestId('preview-report')).toContainText(
			"1 row kept with nulls (wrong number of fields): line 5; 1 row cut to the header's width (wrong number of fields): line 12"
		);
	});
});

test.describe('Parquet columns Sluice cannot read are named, not dropped silently', () => {
	test('the card and the preview header say which columns were left out', async ({ page }) => {
		// Written by DuckDB (test/fixtures/parquet/write-unsupported-columns.mjs): id and name,
		// then one interval, list, struct, map, blob and time column.
		const buffer = readFileSync('test/fixtures/parquet/unsupported-columns.parquet');
		await page.goto('/');
		await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
		await page.getByTestId('new-button').click();
		await expect(page.getByTestId('empty-hint')).toBeVisible();
		const [chooser] = await Promise.all([
			page.waitForEvent('filechooser'),
			page.getByTestId('open-data-file').click()
		]);
		const name = 'unsupported-columns.parquet';
		await chooser.setFiles({ name, mimeType: 'application/vnd.apache.parquet', buffer });
		const node = page.locator('[data-testid="node-card"]').filter({ hasText: name });
		await node.click();
		await expect(rowCount(page)).toHaveAttribute('data-rows', '3', { timeout: 30_000 });
		await expect(node.getByTestId('node-report')).toHaveText('6 columns dropped');
		const header = page.getByTestId('preview-report');
		await expect(header).toContainText(
			"6 columns dropped (type Sluice cannot read): 'wait', 'tags', 'point', 'attrs', 'raw', 'at_time'"
		);
		await header.getByRole('button', { name: 'show' }).click();
		await expect(page.getByTestId('preview-report-detail')).toContainText(
			"'tags' (list): Sluice cannot read this type, so the column is left out"
		);
	});
});
