// Data in and out, as a person does it: drop a CSV file on the canvas; load a Parquet file by
// URL through the server's fetch proxy (from a test server on loopback, which the webServer's
// SLUICE_FETCH_ALLOW=127.0.0.1/32 lets the proxy reach); reload and get it from the dataset cache
// (the server sees a conditional request and sends no second body); export the result as CSV
// and Parquet and read the downloads back. A Parquet file over the page's range threshold is
// read by Range requests through the proxy instead, row group by row group, and never cached.
import { expect, test, type Page } from './support/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';

test.use({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });

let problems: string[] = [];
test.beforeEach(async ({ page }) => {
	problems = [];
	page.on('console', (m) => {
		// A failed fetch of the test server is a test failure by itself; anything else is a bug.
		if (m.type() === 'error') problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});
test.afterEach(() => expect(problems, 'console errors and uncaught page errors').toEqual([]));

const card = (page: Page, id: string) =>
	page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);

async function newPipeline(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
}

/** The rows of the preview table, as text cells (after the row-number cell; nulls read 'null'). */
async function previewRows(page: Page): Promise<string[][]> {
	return page
		.getByTestId('preview-row')
		.evaluateAll((rows) =>
			rows.map((r) =>
				[...r.querySelectorAll('td')].slice(1).map((td) => td.textContent?.trim() ?? '')
			)
		);
}

/** Downloads the shown node's export in `format`; the file's bytes. */
async function exportAs(
	page: Page,
	format: 'csv' | 'parquet'
): Promise<{ name: string; bytes: Buffer }> {
	await page.getByTestId('export-menu').locator('summary').click();
	const [download] = await Promise.all([
		page.waitForEvent('download', { timeout: 30_000 }),
		page.getByTestId(`export-${format}`).click()
	]);
	const path = await download.path();
	return { name: download.suggestedFilename(), bytes: readFileSync(path!) };
}

// Rows of the dataset both tests check: 40 people, some without a score.
const PEOPLE = Array.from({ length: 40 }, (_, i) => ({
	id: i + 1,
	name: `person ${i + 1}`,
	score: i % 7 === 0 ? null : Math.round(i * 2.5 * 10) / 10
}));

test('a CSV file dropped on the canvas becomes a previewed CSV source', async ({ page }) => {
	await newPipeline(page);
	const csv =
		'id,name,score\n' + PEOPLE.map((p) => `${p.id},${p.name},${p.score ?? ''}`).join('\n') + '\n';
	const canvas = page.getByTestId('canvas-wrap');
	const box = (await canvas.boundingBox())!;
	const dataTransfer = await page.evaluateHandle((text) => {
		const dt = new DataTransfer();
		dt.items.add(new File([text], 'people.csv', { type: 'text/csv' }));
		return dt;
	}, csv);
	const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, dataTransfer };
	await canvas.dispatchEvent('dragenter', at);
	await canvas.dispatchEvent('dragover', at);
	await canvas.dispatchEvent('drop', at);

	const node = card(page, 'csv-1');
	await expect(node).toBeVisible();
	await expect(node).toContainText('people.csv');
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '40', {
		timeout: 20_000
	});
	const rows = await previewRows(page);
	// The table renders the rows in view (virtual scrolling): each is the file's row.
	expect(rows.length).toBeGreaterThan(5);
	expect(rows).toEqual(
		PEOPLE.slice(0, rows.length).map((p) => [String(p.id), p.name, String(p.score ?? 'null')])
	);

	// The file is not saved in the pipeline: reopened, the node asks for it again, and takes it.
	await expect(page.getByTestId('save-status')).toHaveText('Saved', { timeout: 10_000 });
	await page.reload();
	const missing = card(page, 'csv-1').getByTestId('dataset-missing');
	await expect(missing).toContainText("file 'people.csv' must be provided again", {
		timeout: 15_000
	});
	await missing.locator('input[type=file]').setInputFiles({
		name: 'people.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(csv)
	});
	await expect(missing).toHaveCount(0);
	await card(page, 'csv-1').click();
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '40', {
		timeout: 20_000
	});
});

test.describe('a Parquet file by URL', () => {
	let server: Server;
	let url = '';
	const served = { bodies: 0, notModified: 0, requests: 0 };
	const parquet = Buffer.from(
		parquetWriteBuffer({
			columnData: [
				{ name: 'id', data: PEOPLE.map((p) => p.id), type: 'INT32' },
				{ name: 'name', data: PEOPLE.map((p) => p.name), type: 'STRING' },
				{ name: 'score', data: PEOPLE.map((p) => p.score), type: 'DOUBLE' }
			]
		})
	);
	const etag = `"people-${parquet.length}"`;

	test.beforeAll(async () => {
		server = createServer((req, res) => {
			served.requests++;
			if (req.headers['if-none-match'] === etag) {
				served.notModified++;
				res.writeHead(304, { etag });
				return res.end();
			}
			// A HEAD (the editor asks the size of a Parquet file first) sends no body.
			if (req.method === 'GET') served.bodies++;
			res.writeHead(200, {
				'content-type': 'application/vnd.apache.parquet',
				'content-length': parquet.length,
				etag
			});
			res.end(parquet);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/people.parquet`;
	});
	test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	test('loads through the proxy, comes from the cache after a reload, and exports', async ({
		page
	}) => {
		test.setTimeout(80_000);
		await newPipeline(page);
		await page.getByTestId('palette-parquet').click();
		await page.getByTestId('field-source').locator('input').fill(url);
		const count = page.getByTestId('preview-row-count');
		await expect(count).toHaveAttribute('data-rows', '40', { timeout: 20_000 });
		expect(served.bodies).toBe(1);
		// A small file is downloaded whole into the dataset cache, and the card says so.
		await expect(card(page, 'parquet-1')).toContainText('cached');
		const rows = await previewRows(page);
		expect(rows[0]).toEqual(['1', 'person 1', 'null']);
		expect(rows[2]).toEqual(['3', 'person 3', '5']);

		// Exports run over the whole data and download the file.
		const csv = await exportAs(page, 'csv');
		expect(csv.name).toMatch(/\.csv$/);
		const lines = csv.bytes.toString('utf8').trimEnd().split('\r\n');
		expect(lines[0]).toBe('id,name,score');
		expect(lines.slice(1)).toEqual(PEOPLE.map((p) => `${p.id},${p.name},${p.score ?? ''}`));

		const pq = await exportAs(page, 'parquet');
		expect(pq.name).toMatch(/\.parquet$/);
		const buffer = pq.bytes.buffer.slice(
			pq.bytes.byteOffset,
			pq.bytes.byteOffset + pq.bytes.byteLength
		) as ArrayBuffer;
		const back = await parquetReadObjects({ file: buffer });
		expect(back.map((r) => ({ id: r.id, name: r.name, score: r.score }))).toEqual(PEOPLE);

		// The pipeline is autosaved; after a reload the dataset comes from the cache, fresh (it
		// was validated minutes ago), so the test server sees no second request at all.
		await expect(page.getByTestId('save-status')).toHaveText('Saved', { timeout: 10_000 });
		const requestsBefore = served.requests;
		await page.reload();
		await expect(card(page, 'parquet-1')).toBeVisible({ timeout: 15_000 });
		await card(page, 'parquet-1').click();
		await expect(count).toHaveAttribute('data-rows', '40', { timeout: 20_000 });
		expect(served.bodies).toBe(1);
		expect(served.requests).toBe(requestsBefore);

		// The cached dataset is listed, with its size.
		await page.getByTestId('open-datasets').click();
		const row = page.locator(`[data-testid="dataset-row"][data-url="${url}"]`);
		await expect(row).toBeVisible();
		const size =
			parquet.length >= 1000 ? `${Math.round(parquet.length / 1000)} KB` : `${parquet.length} B`;
		await expect(row).toContainText(size);
	});
});

test.describe('a large Parquet file by URL', () => {
	// 300,000 rows in 15 row groups of 20,000, uncompressed (about 5.9 MB): over the threshold the
	// test gives the page (1 MB), and much larger than hyparquet's 512 KB footer read.
	const ROWS = 300_000;
	const THRESHOLD = 1_000_000;
	const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
	const parquet = Buffer.from(
		parquetWriteBuffer({
			columnData: [
				{ name: 'id', data: ids, type: 'INT32' },
				{ name: 'name', data: ids.map((i) => `trip ${i}`), type: 'STRING' },
				{ name: 'km', data: ids.map((i) => (i % 97) / 4), type: 'DOUBLE' }
			],
			rowGroupSize: 20_000,
			codec: 'UNCOMPRESSED'
		})
	);
	let server: Server;
	let url = '';
	const seen = { heads: 0, ranges: [] as string[], fullBodies: 0, bytes: 0 };

	test.beforeAll(async () => {
		server = createServer((req, res) => {
			const headers = {
				'content-type': 'application/vnd.apache.parquet',
				'accept-ranges': 'bytes'
			};
			if (req.method === 'HEAD') {
				seen.heads++;
				res.writeHead(200, { ...headers, 'content-length': parquet.length });
				return res.end();
			}
			const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
			if (!range) {
				seen.fullBodies++;
				seen.bytes += parquet.length;
				res.writeHead(200, { ...headers, 'content-length': parquet.length });
				return res.end(parquet);
			}
			const start = Number(range[1]);
			const end = Math.min(
				range[2] === '' ? parquet.length - 1 : Number(range[2]),
				parquet.length - 1
			);
			seen.ranges.push(`${start}-${end}`);
			seen.bytes += end - start + 1;
			res.writeHead(206, {
				...headers,
				'content-length': end - start + 1,
				'content-range': `bytes ${start}-${end}/${parquet.length}`
			});
			res.end(parquet.subarray(start, end + 1));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trips.parquet`;
	});
	test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	test('is read by Range requests through the proxy, only the chosen columns, and never cached', async ({
		page
	}) => {
		await page.addInitScript(
			(bytes) => localStorage.setItem('sluice:parquet-range-bytes', String(bytes)),
			THRESHOLD
		);
		await newPipeline(page);
		await page.getByTestId('palette-parquet').click();
		// Two of the three columns: the 'name' column's chunks are never fetched.
		await page.getByTestId('field-columns').locator('textarea').fill('["id", "km"]');
		await page.getByTestId('field-source').locator('input').fill(url);
		await expect(card(page, 'parquet-1')).toContainText('streamed by range, not cached', {
			timeout: 20_000
		});
		await expect(page.getByTestId('preview-body')).toHaveAttribute('data-fresh', 'true', {
			timeout: 20_000
		});
		const rows = await previewRows(page);
		expect(rows.length).toBeGreaterThan(5);
		expect(rows).toEqual(rows.map((_, i) => [String(i + 1), String(((i + 1) % 97) / 4)]));

		// The size came from a HEAD; the bytes from Range requests (the footer, then the chosen
		// columns' chunks of each row group), never a whole-file GET, and less than the whole file
		// (a preview drains its sources, so every row group is read, but only two of the columns).
		expect(seen.heads).toBeGreaterThanOrEqual(1);
		expect(seen.ranges.length).toBeGreaterThan(2);
		expect(seen.fullBodies).toBe(0);
		expect(seen.bytes).toBeLessThan(parquet.length);

		// Nothing of it went into the dataset cache.
		await page.getByTestId('open-datasets').click();
		await expect(page.locator(`[data-testid="dataset-row"][data-url="${url}"]`)).toHaveCount(0);
	});
});
