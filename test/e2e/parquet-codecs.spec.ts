// Parquet files opened as a person does: New, "Open file…", pick the file; the preview shows
// its rows. One is compressed with ZSTD (the default of pyarrow and DuckDB); one holds values
// at the edges of their types (uint64's maximum, years 12000 and 44 BC), which the table view
// and the CSV export print exactly and alike. The files are written by DuckDB
// (@duckdb/node-api) in the test, so no binary is kept.
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });

let dir = '';
let zstd: Buffer;
let edges: Buffer;

test.beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'sluice-zstd-'));
	const path = join(dir, 'flights.parquet');
	const db = await DuckDBInstance.create(':memory:', {
		autoinstall_known_extensions: 'false',
		autoload_known_extensions: 'false'
	});
	const c = await db.connect();
	await c.run(
		`copy (select i as id, ['SEA', 'SFO', 'JFK'][i % 3 + 1] as origin, i * 1.5 as delay
			from range(1, 1001) t(i)) to '${path}' (format parquet, compression zstd)`
	);
	const edgesPath = join(dir, 'edges.parquet');
	await c.run(
		`copy (select 18446744073709551615::ubigint as big, make_date(12000, 1, 1) as d
			union all select 1::ubigint, make_date(-44, 3, 15)) to '${edgesPath}' (format parquet)`
	);
	edges = readFileSync(edgesPath);
	c.closeSync();
	zstd = readFileSync(path);
	const codecs = parquetMetadata(
		zstd.buffer.slice(zstd.byteOffset) as ArrayBuffer
	).row_groups[0].columns.map((col) => col.meta_data?.codec);
	expect(codecs).toEqual(['ZSTD', 'ZSTD', 'ZSTD']);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** New pipeline, "Open file…" with `buffer` as `name`; its card once the preview has `rows`. */
async function open(page: Page, name: string, buffer: Buffer, rows: number) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();

	const [chooser] = await Promise.all([
		page.waitForEvent('filechooser'),
		page.getByTestId('open-data-file').click()
	]);
	await chooser.setFiles({ name, mimeType: 'application/vnd.apache.parquet', buffer });

	const node = page.locator('[data-testid="node-card"]').filter({ hasText: name });
	await expect(node).toBeVisible();
	await node.click();
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', String(rows), {
		timeout: 30_000
	});
	return node;
}

/** The first `count` rows of the preview table, as text cells (after the row number). */
function previewRows(page: Page, count: number): Promise<string[][]> {
	return page
		.getByTestId('preview-row')
		.evaluateAll(
			(trs, n) =>
				trs
					.slice(0, n)
					.map((r) =>
						[...r.querySelectorAll('td')].slice(1).map((td) => td.textContent?.trim() ?? '')
					),
			count
		);
}

test('a ZSTD Parquet file opened from the computer shows its rows', async ({ page }) => {
	const node = await open(page, 'flights.parquet', zstd, 1000);
	expect(await previewRows(page, 3)).toEqual([
		['1', 'SFO', '1.5'],
		['2', 'JFK', '3'],
		['3', 'SEA', '4.5']
	]);
	await expect(node).not.toContainText('error');
});

test('uint64 maximum and years 12000 and 44 BC show and export exactly', async ({ page }) => {
	await open(page, 'edges.parquet', edges, 2);
	expect(await previewRows(page, 2)).toEqual([
		['18446744073709551615', '+012000-01-01'],
		['1', '-000044-03-15']
	]);
	await page.getByTestId('export-menu').locator('summary').click();
	const [download] = await Promise.all([
		page.waitForEvent('download', { timeout: 30_000 }),
		page.getByTestId('export-csv').click()
	]);
	const csv = readFileSync((await download.path())!, 'utf8');
	expect(csv).toBe('big,d\r\n18446744073709551615,+012000-01-01\r\n1,-000044-03-15\r\n');
});
