// A Parquet file compressed with ZSTD (the default of pyarrow and DuckDB), opened as a person
// does: New, "Open file…", pick the file; the source's card shows it and the preview shows its
// rows. The file is written by DuckDB (@duckdb/node-api) in the test, so no binary is kept.
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

let dir = '';
let zstd: Buffer;

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
	c.closeSync();
	zstd = readFileSync(path);
	const codecs = parquetMetadata(
		zstd.buffer.slice(zstd.byteOffset) as ArrayBuffer
	).row_groups[0].columns.map((col) => col.meta_data?.codec);
	expect(codecs).toEqual(['ZSTD', 'ZSTD', 'ZSTD']);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a ZSTD Parquet file opened from the computer shows its rows', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();

	const [chooser] = await Promise.all([
		page.waitForEvent('filechooser'),
		page.getByTestId('open-data-file').click()
	]);
	await chooser.setFiles({
		name: 'flights.parquet',
		mimeType: 'application/vnd.apache.parquet',
		buffer: zstd
	});

	const node = page.locator('[data-testid="node-card"]').filter({ hasText: 'flights.parquet' });
	await expect(node).toBeVisible();
	await node.click();
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '1000', {
		timeout: 30_000
	});
	const rows = await page
		.getByTestId('preview-row')
		.evaluateAll((trs) =>
			trs
				.slice(0, 3)
				.map((r) =>
					[...r.querySelectorAll('td')].slice(1).map((td) => td.textContent?.trim() ?? '')
				)
		);
	expect(rows).toEqual([
		['1', 'SFO', '1.5'],
		['2', 'JFK', '3'],
		['3', 'SEA', '4.5']
	]);
	await expect(node).not.toContainText('error');
});
