// Share links: the whole pipeline in the URL fragment; opened in a fresh browser it shows the
// same document and runs nothing (no worker, no dataset request) until "Trust and preview".
import { expect, test, type Page, type Request } from './support/test';
import { readFileSync } from 'node:fs';

test.use({ viewport: { width: 1440, height: 900 } });

const ROOT = new URL('../../', import.meta.url);
const example = (file: string) =>
	JSON.parse(readFileSync(new URL(`static/examples/${file}`, ROOT), 'utf8')) as {
		name: string;
		nodes: unknown[];
		edges: unknown[];
	};

async function openEditor(page: Page, path = '/') {
	await page.goto(path);
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
}

/** Opens the CSV example, renames it and copies its share link. */
async function shareCsvExample(page: Page): Promise<string> {
	await openEditor(page);
	await page.getByTestId('examples-button').click();
	await page.getByTestId('example-csv-filter-group.json').click();
	await expect(page.getByTestId('pipeline-name')).toHaveValue('Cities: large cities per continent');
	await page.getByTestId('pipeline-name').fill('Cities from Ann');
	await page.getByTestId('pipeline-name').press('Enter');
	await page.getByTestId('copy-link-button').click();
	const link = await page.getByTestId('share-link').inputValue();
	expect(link).toMatch(/#p=1\.[A-Za-z0-9_-]+$/);
	return link;
}

test('a shared link opens the same pipeline inert, and only "Trust and preview" runs it', async ({
	browser
}) => {
	const author = await browser.newContext();
	const link = await shareCsvExample(await author.newPage());
	await author.close();

	const reader = await browser.newContext();
	const page = await reader.newPage();
	const workers: string[] = [];
	const requests: string[] = [];
	page.on('worker', (w) => workers.push(w.url()));
	const own = (r: Request) => {
		const url = new URL(r.url());
		// The app's own code, styles and example list; anything else (datasets, /api/fetch) counts.
		return (
			url.origin === new URL(link).origin && /^\/(_app\/|examples\/|favicon)/.test(url.pathname)
		);
	};
	page.on('request', (r) => {
		if (!own(r) && r.url() !== link && r.resourceType() !== 'document') requests.push(r.url());
	});
	await page.goto(link);
	await expect(page.getByTestId('share-banner')).toContainText(
		'Shared pipeline from a link — nothing has run'
	);
	await expect(page.locator('[data-testid="node-card"]')).toHaveCount(4);
	await page.getByTestId('view-json-button').click();
	const shared = JSON.parse((await page.getByTestId('shared-json').textContent())!);
	const original = example('csv-filter-group.json');
	expect(shared).toMatchObject({ ...original, name: 'Cities from Ann', id: expect.any(String) });
	await page.waitForTimeout(1500); // time enough for a preview to have started, were one allowed
	expect(workers, 'workers started before trust').toEqual([]);
	expect(requests, 'requests made before trust').toEqual([]);
	// Nothing was saved: the library is empty.
	expect(await page.evaluate(() => localStorage.length)).toBe(0);

	await page.getByTestId('trust-button').click();
	await expect(page.getByTestId('preview-body')).toHaveAttribute('data-fresh', 'true', {
		timeout: 20_000
	});
	expect(workers.length).toBeGreaterThan(0);
	expect(requests.some((url) => url.includes('/samples/cities.csv'))).toBe(true);
	await expect(page.getByTestId('save-status')).toHaveText('Shared — not in your library');

	await page.getByTestId('keep-button').click();
	await expect(page.getByTestId('save-status')).toHaveText('Saved');
	await page.getByTestId('library-button').click();
	await expect(page.getByTestId('library-item')).toHaveText(/Cities from Ann/);
	await reader.close();
});

test('"Trust and preview" says it previews, runs no full run, and leaves ▶ Run one click away', async ({
	browser
}) => {
	const author = await browser.newContext();
	const link = await shareCsvExample(await author.newPage());
	await author.close();

	const reader = await browser.newContext();
	const page = await reader.newPage();
	await page.goto(link);
	const trust = page.getByTestId('trust-button');
	await expect(trust).toHaveText('Trust and preview');
	await trust.click();
	await expect(page.getByTestId('preview-body')).toHaveAttribute('data-fresh', 'true', {
		timeout: 20_000
	});
	// What the button said: previews only, no full run.
	await expect(page.getByTestId('run-outcome')).toHaveCount(0);
	await expect(page.getByTestId('share-banner')).toContainText('▶ Run streams the whole dataset');
	const run = page.getByTestId('run-button');
	await expect(run).toBeEnabled();
	await run.click();
	await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'done', {
		timeout: 30_000
	});
	await reader.close();
});

test('a tampered, truncated or future-version link says what is wrong and leaves the library alone', async ({
	page
}) => {
	const link = await shareCsvExample(page);
	await expect(page.getByTestId('save-status')).toHaveText('Saved');
	const data = link.split('#p=1.')[1];
	const base = link.split('#')[0];
	const cases: [string, RegExp][] = [
		[
			`${base}#p=1.${data.slice(0, 7)}*${data.slice(8)}`,
			/character 8 of the pipeline data is not base64url/
		],
		[`${base}#p=1.${data.slice(0, Math.floor(data.length / 2))}`, /truncated/],
		[`${base}#p=9.${data}`, /made by a newer Sluice \(link format 9\)/]
	];
	for (const [bad, message] of cases) {
		await page.goto('about:blank');
		await openEditor(page, bad);
		await expect(page.getByTestId('share-error')).toContainText(message);
		await expect(page.getByTestId('share-error')).toContainText('Your library is unchanged');
		// The last pipeline opens as it was, untouched.
		await expect(page.getByTestId('pipeline-name')).toHaveValue('Cities from Ann');
		await expect(page.getByTestId('share-banner')).toHaveCount(0);
	}
	await page.getByTestId('library-button').click();
	await expect(page.getByTestId('library-item')).toHaveCount(1);
	await expect(page.getByTestId('library-item')).toContainText('Cities from Ann');
});
