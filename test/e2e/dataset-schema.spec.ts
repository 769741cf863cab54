// A pasted pipeline whose CSV source names a URL, as a person sees it: the dataset is fetched
// through the server's fetch proxy (from a test server on loopback, which the webServer's
// SLUICE_FETCH_ALLOW=127.0.0.1/32 lets through) into the dataset cache. While it downloads the
// source's card says so; once its schema is known every view reflects it with no edit of the
// document (the card has no error, the preview shows the rows) and a Run leaves it so. A URL that
// answers 404 shows an error naming the URL on the card; one on a closed port or an unknown host
// says why it could not be fetched (connection refused, DNS), not "Failed to fetch".
import { expect, test, type Page } from './support/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

test.use({ viewport: { width: 1440, height: 900 } });

const ROWS = 30;
const CSV = Buffer.from(
	'id,city,amount\n' +
		Array.from({ length: ROWS }, (_, i) => `${i + 1},city ${i % 4},${(i * 7) % 50}`).join('\n') +
		'\n'
);
/** Rows the filter `amount > 20` keeps. */
const KEPT = Array.from({ length: ROWS }, (_, i) => (i * 7) % 50).filter((a) => a > 20).length;
/** How long the test server holds the body back, so the download is seen in progress. */
const HOLD_MS = 1500;

const NOT_KNOWN = /not known yet/;

let server: Server;
let base = '';
let problems: string[] = [];

test.beforeAll(async () => {
	server = createServer((req, res) => {
		if (req.url !== '/sales.csv') {
			res.writeHead(404, { 'content-type': 'text/plain' });
			return res.end('no such file');
		}
		// The first half now, the rest after a while: the card shows the download going on.
		res.writeHead(200, { 'content-type': 'text/csv', 'content-length': CSV.length });
		res.write(CSV.subarray(0, 20));
		setTimeout(() => res.end(CSV.subarray(20)), HOLD_MS);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test.beforeEach(async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	problems = [];
	page.on('console', (m) => {
		// The proxy answers a failed upstream with 502, which the browser logs: expected there.
		if (m.type() === 'error' && !/status of 502/.test(m.text()))
			problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});
test.afterEach(() => expect(problems, 'console errors and uncaught page errors').toEqual([]));

function pipelineJson(url: string): string {
	const nodes = [
		{ id: 'sales', kind: 'csv', label: 'Sales', params: { source: url } },
		{ id: 'big', kind: 'filter', label: 'Big', params: { expression: 'amount > 20' } },
		{ id: 'sink', kind: 'table', label: 'Sink', params: { limit: 100 } }
	];
	return JSON.stringify({
		version: 1,
		id: 'dataset-schema',
		name: 'dataset schema',
		nodes: nodes.map((n, i) => ({ ...n, position: { x: i * 300, y: 0 } })),
		edges: [
			{ id: 'e1', from: { node: 'sales', port: 'out' }, to: { node: 'big', port: 'in' } },
			{ id: 'e2', from: { node: 'big', port: 'out' }, to: { node: 'sink', port: 'in' } }
		]
	});
}

/** A card by its label (pasting gives the nodes fresh ids). */
const card = (page: Page, label: string) =>
	page
		.locator('[data-testid="node-card"]')
		.filter({ has: page.locator('.label', { hasText: label }) });

/** New, paste the pipeline's JSON into the canvas, Esc (as a person loads a shared file). */
async function paste(page: Page, url: string) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
	await page.evaluate((t) => navigator.clipboard.writeText(t), pipelineJson(url));
	await page.locator('.svelte-flow__pane').click({ position: { x: 8, y: 8 } });
	await page.keyboard.press('ControlOrMeta+V');
	await expect(page.getByTestId('node-card')).toHaveCount(3);
	await page.keyboard.press('Escape');
}

/** What the source card shows now: its status, badge title and dataset line. */
async function look(page: Page, label: string) {
	return card(page, label).evaluate((el) => ({
		status: el.getAttribute('data-status'),
		detail: el.querySelector('[data-testid="node-status"]')?.getAttribute('title') ?? '',
		text: el.textContent ?? ''
	}));
}

test('a CSV source by URL shows loading, then its schema with no edit, and keeps it after a Run', async ({
	page
}) => {
	const url = `${base}/sales.csv`;
	await paste(page, url);
	const source = card(page, 'Sales');

	// While the body is held back the card says it is downloading, not that the schema is unknown.
	await expect(source.getByTestId('dataset-progress')).toContainText('downloading');
	const during = await look(page, 'Sales');
	expect(during.status, during.detail).toBe('loading');
	expect(during.detail).toContain(`downloading ${url}`);
	expect(`${during.detail} ${during.text}`).not.toMatch(NOT_KNOWN);
	// The sink waits for it rather than failing on it.
	const sink = await look(page, 'Sink');
	expect(sink.status, sink.detail).not.toBe('error');

	// Loaded: the preview shows the filtered rows and the card has no error, with no edit made.
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', String(KEPT), {
		timeout: 20_000
	});
	await expect(source.getByTestId('dataset-progress')).toHaveCount(0);
	await expect(source).not.toHaveAttribute('data-status', 'error');
	for (const label of ['Sales', 'Big', 'Sink']) {
		const now = await look(page, label);
		expect(now.status, `${label}: ${now.detail}`).not.toBe('error');
		expect(`${now.detail} ${now.text}`).not.toMatch(NOT_KNOWN);
	}
	// The plan knows the schema too.
	await expect(card(page, 'Sink')).toHaveAttribute('data-status', 'done');

	// Run: the whole file streams through; afterwards the source still has no error.
	await page.getByTestId('run-button').click();
	await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'done', {
		timeout: 30_000
	});
	await expect(card(page, 'Sink')).toHaveAttribute('data-status', 'done');
	const after = await look(page, 'Sales');
	expect(after.status, after.detail).not.toBe('error');
	expect(`${after.detail} ${after.text}`).not.toMatch(NOT_KNOWN);
	// Still so a moment later (nothing brings the stale error back).
	await page.waitForTimeout(500);
	await expect(source).not.toHaveAttribute('data-status', 'error');
});

test.describe('a URL that answers 404', () => {
	// The browser logs the proxy's failed answer itself; that one console line is expected.
	test.use({ allowConsoleErrors: [/Failed to load resource: .*status of 502/] });

	test('a CSV source whose URL answers 404 shows an error naming the URL', async ({ page }) => {
		const url = `${base}/missing.csv`;
		await paste(page, url);
		const source = card(page, 'Sales');
		const error = source.getByTestId('dataset-error');
		await expect(error).toContainText(url, { timeout: 20_000 });
		await expect(error).toContainText('404');
		await expect(source).toHaveAttribute('data-status', 'error');
		const now = await look(page, 'Sales');
		expect(now.detail).toContain(url);
		expect(now.detail).not.toMatch(NOT_KNOWN);
	});
});

test.describe('a URL that cannot be reached', () => {
	// The browser logs the proxy's failed answer itself; that one console line is expected.
	test.use({ allowConsoleErrors: [/Failed to load resource: .*status of 502/] });

	test('a CSV source on a closed port says the connection was refused', async ({ page }) => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const url = `http://127.0.0.1:${port}/sales.csv`;
		await paste(page, url);
		const error = card(page, 'Sales').getByTestId('dataset-error');
		await expect(error).toContainText(url, { timeout: 20_000 });
		await expect(error).toContainText('connection refused');
		await expect(error).not.toContainText('Failed to fetch');
	});

	test('a CSV source on a host that does not exist says the name did not resolve', async ({
		page
	}) => {
		const url = 'http://no-such-host.invalid/sales.csv';
		await paste(page, url);
		const error = card(page, 'Sales').getByTestId('dataset-error');
		await expect(error).toContainText('could not resolve the host no-such-host.invalid', {
			timeout: 20_000
		});
		await expect(error).toContainText('(DNS');
	});
});
