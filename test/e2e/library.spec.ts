// The library dialog as a person uses it: search, rename, duplicate, delete and undo, and a
// pipeline file dropped onto the app.
import { expect, test, type Page } from './support/test';
import { readFileSync } from 'node:fs';

test.use({ viewport: { width: 1440, height: 900 } });

const ROOT = new URL('../../', import.meta.url);

async function openEditor(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
}

async function saveAs(page: Page, name: string) {
	await page.getByTestId('pipeline-name').fill(name);
	await page.getByTestId('pipeline-name').press('Enter');
	await expect(page.getByTestId('save-status')).toHaveText('Saved');
}

const items = (page: Page) => page.getByTestId('library-item');

test('pipelines are listed, found, renamed, duplicated, deleted and brought back', async ({
	page
}) => {
	await openEditor(page);
	await saveAs(page, 'Events over 100');
	await page.getByTestId('examples-button').click();
	await page.getByTestId('example-csv-filter-group.json').click();
	await expect(page.getByTestId('pipeline-name')).toHaveValue('Cities: large cities per continent');
	await saveAs(page, 'Cities per continent');

	await page.getByTestId('library-button').click();
	await expect(items(page)).toHaveCount(2);
	await expect(items(page).first()).toContainText('Cities per continent');
	await expect(items(page).first()).toContainText('4 nodes');
	await expect(items(page).first().getByTestId('library-summary')).toHaveText(/csv → filter/);

	await page.getByTestId('library-search').fill('events');
	await expect(items(page)).toHaveCount(1);
	await expect(items(page)).toContainText('Events over 100');
	await page.getByTestId('library-search').fill('');

	const events = items(page).filter({ hasText: 'Events over 100' });
	await events.getByTestId('library-rename').click();
	await page.getByTestId('library-rename-input').fill('Big events');
	await page.getByTestId('library-rename-input').press('Enter');
	await expect(items(page).filter({ hasText: 'Big events' })).toHaveCount(1);

	await items(page).filter({ hasText: 'Big events' }).getByTestId('library-duplicate').click();
	await expect(items(page).filter({ hasText: 'Big events (copy)' })).toHaveCount(1);
	await expect(items(page)).toHaveCount(3);

	await items(page).filter({ hasText: 'Big events (copy)' }).getByTestId('library-delete').click();
	await expect(items(page)).toHaveCount(2);
	await page.getByTestId('undo-delete').click();
	await expect(items(page)).toHaveCount(3);

	// Opening one from the library puts it in the editor.
	await items(page).filter({ hasText: 'Big events (copy)' }).getByTestId('library-open').click();
	await expect(page.getByTestId('pipeline-name')).toHaveValue('Big events (copy)');
	await expect(page.locator('[data-testid="node-card"]')).toHaveCount(3);
});

test('a deleted pipeline waits in the trash after its Undo is gone, comes back, and the trash empties', async ({
	page
}) => {
	await openEditor(page);
	await saveAs(page, 'Deleted by mistake');
	await page.getByTestId('examples-button').click();
	await page.getByTestId('example-csv-filter-group.json').click();
	await saveAs(page, 'Still open');

	await page.getByTestId('library-button').click();
	await items(page).filter({ hasText: 'Deleted by mistake' }).getByTestId('library-delete').click();
	await expect(page.getByTestId('deleted-toast')).toContainText(
		"Moved 'Deleted by mistake' to the trash"
	);
	// The toast and its Undo go (missed, as a person might), and the page is reloaded.
	await expect(page.getByTestId('deleted-toast')).toHaveCount(0, { timeout: 15_000 });
	await page.reload();
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });

	await page.getByTestId('library-button').click();
	await expect(items(page)).toHaveCount(1);
	await page.getByTestId('library-trash').click();
	const trashed = page.getByTestId('trash-item');
	await expect(trashed).toHaveCount(1);
	await expect(trashed).toContainText('Deleted by mistake');
	await expect(trashed).toContainText('kept until');
	await trashed.getByTestId('trash-restore').click();
	await expect(trashed).toHaveCount(0);
	await page.getByTestId('library-trash').click();
	await expect(items(page)).toHaveCount(2);
	await items(page).filter({ hasText: 'Deleted by mistake' }).getByTestId('library-open').click();
	await expect(page.getByTestId('pipeline-name')).toHaveValue('Deleted by mistake');
	await expect(page.locator('[data-testid="node-card"]')).toHaveCount(3);

	// Emptying the trash is explicit: asked, then confirmed; then it is gone for good.
	await page.getByTestId('library-button').click();
	await items(page).filter({ hasText: 'Still open' }).getByTestId('library-delete').click();
	await page.getByTestId('library-trash').click();
	await expect(trashed).toHaveCount(1);
	await page.getByTestId('trash-empty').click();
	await expect(trashed).toHaveCount(1);
	await page.getByTestId('trash-empty-confirm').click();
	await expect(trashed).toHaveCount(0);
	await page.getByTestId('library-trash').click();
	await expect(items(page)).toHaveCount(1);
	await expect(items(page)).toContainText('Deleted by mistake');
});

test('a pipeline .json file dropped onto the app is imported and opened', async ({ page }) => {
	await openEditor(page);
	const text = readFileSync(new URL('static/examples/join-two-sources.json', ROOT), 'utf8');
	const transfer = await page.evaluateHandle((json) => {
		const dt = new DataTransfer();
		dt.items.add(new File([json], 'orders-join.json', { type: 'application/json' }));
		return dt;
	}, text);
	await page.dispatchEvent('[data-testid="canvas"]', 'dragover', { dataTransfer: transfer });
	await page.dispatchEvent('[data-testid="canvas"]', 'drop', { dataTransfer: transfer });
	const name = (JSON.parse(text) as { name: string }).name;
	await expect(page.getByTestId('pipeline-name')).toHaveValue(name);
	await page.getByTestId('library-button').click();
	await expect(items(page)).toContainText(name);

	// A file that is not a pipeline is refused with the reason, and nothing is added.
	const bad = await page.evaluateHandle(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(['{"nodes": ['], 'broken.json', { type: 'application/json' }));
		return dt;
	});
	await page.getByRole('button', { name: 'Close' }).click();
	await page.dispatchEvent('[data-testid="canvas"]', 'drop', { dataTransfer: bad });
	await expect(page.getByTestId('toast-error')).toContainText('broken.json');
	await expect(page.getByTestId('toast-error')).toContainText('not valid JSON');
	await page.getByTestId('library-button').click();
	await expect(items(page)).toHaveCount(1);
});
