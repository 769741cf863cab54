// Dialogs own the keyboard: keys pressed in the library, the run history, the plan, the dataset
// cache or the shortcut help never reach the canvas behind them; Tab stays inside; Esc closes
// them and gives focus back to what had it.
import { expect, test, type Locator, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

const cards = (page: Page) => page.locator('[data-testid="node-card"]');
const items = (page: Page) => page.getByTestId('library-item');

/** Opens the CSV example (4 nodes) and saves it under `name`. */
async function openSavedExample(page: Page, name: string) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('examples-button').click();
	await page.getByTestId('example-csv-filter-group.json').click();
	await expect(cards(page)).toHaveCount(4);
	await page.getByTestId('pipeline-name').fill(name);
	await page.getByTestId('pipeline-name').press('Enter');
	await expect(page.getByTestId('save-status')).toHaveText('Saved');
}

/** Presses Tab until `target` has focus (at most `max` times). */
async function tabTo(page: Page, target: Locator, max = 20) {
	for (let i = 0; i < max; i++) {
		if (await target.evaluate((el) => el === document.activeElement)) return;
		await page.keyboard.press('Tab');
	}
	await expect(target).toBeFocused();
}

const positions = (page: Page) =>
	page
		.locator('.svelte-flow__node')
		.evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).style.transform));

test('Library → Tab to Duplicate → Ctrl+A → Delete leaves the open pipeline alone', async ({
	page
}) => {
	await openSavedExample(page, 'Cities kept');
	await page.getByTestId('library-button').click();
	const dialog = page.getByTestId('library-dialog');
	await expect(dialog).toBeVisible();
	await expect(items(page)).toHaveCount(1);

	await page.getByTestId('library-search').click();
	await tabTo(page, items(page).first().getByTestId('library-duplicate'));
	await page.keyboard.press('Control+A');
	await page.keyboard.press('Delete');
	await page.keyboard.press('Backspace');

	await expect(dialog).toBeVisible();
	await expect(items(page).first()).toContainText('4 nodes');
	await expect(cards(page)).toHaveCount(4);
	await expect(page.locator('.svelte-flow__node.selected')).toHaveCount(0);

	// Esc closes the library and gives focus back to the button that opened it.
	await page.keyboard.press('Escape');
	await expect(dialog).toHaveCount(0);
	await expect(page.getByTestId('library-button')).toBeFocused();
	await expect(cards(page)).toHaveCount(4);
});

test('after Rename, typing goes to the name field, not to the canvas', async ({ page }) => {
	await openSavedExample(page, 'Cities to rename');
	const before = await positions(page);
	await page.getByTestId('library-button').click();
	await items(page).first().getByTestId('library-rename').click();
	await page.keyboard.press('Control+A');
	await page.keyboard.type('Flights left');
	await page.keyboard.press('Enter');

	await expect(items(page).first()).toContainText('Flights left');
	await expect(page.locator('.svelte-flow__node.selected')).toHaveCount(0);
	expect(await positions(page)).toEqual(before);
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('library-dialog')).toHaveCount(0);
	await expect(page.getByTestId('pipeline-name')).toHaveValue('Flights left');
	expect(await positions(page)).toEqual(before);
});

const DIALOGS = [
	{ name: 'Library', opener: 'library-button', dialog: 'library-dialog' },
	{ name: 'Runs', opener: 'runs-button', dialog: 'runs-dialog' },
	{ name: 'Plan', opener: 'plan-button', dialog: 'plan-dialog' },
	{ name: 'Cached datasets', opener: 'open-datasets', dialog: 'datasets-dialog' },
	{ name: 'Keyboard shortcuts', opener: 'help-button', dialog: 'help' }
];

test('every dialog keeps Tab inside, swallows canvas keys, closes on Esc and gives focus back', async ({
	page
}) => {
	await openSavedExample(page, 'Cities in dialogs');
	const before = await positions(page);
	for (const { name, opener, dialog } of DIALOGS) {
		await test.step(name, async () => {
			await page.getByTestId(opener).click();
			const box = page.getByTestId(dialog);
			await expect(box).toBeVisible();
			const focusInside = () => box.evaluate((el) => el.contains(document.activeElement));
			await expect.poll(focusInside, { message: `${name} takes focus` }).toBe(true);
			for (let i = 0; i < 12; i++) {
				await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
				expect(await focusInside(), `${name}: focus after Tab ${i + 1}`).toBe(true);
			}
			for (const key of ['Control+A', 'Delete', 'Backspace', 'l', 'f', 'Control+D']) {
				await page.keyboard.press(key);
			}
			await expect(cards(page)).toHaveCount(4);
			await expect(page.locator('.svelte-flow__node.selected')).toHaveCount(0);
			expect(await positions(page)).toEqual(before);
			await page.keyboard.press('Escape');
			await expect(box).toHaveCount(0);
			await expect(page.getByTestId(opener)).toBeFocused();
		});
	}
});

test('keys pressed on the shared-link banner, before and after trust, leave the pipeline alone', async ({
	page
}) => {
	await openSavedExample(page, 'Cities shared');
	await page.getByTestId('copy-link-button').click();
	const link = await page.getByTestId('share-link').inputValue();
	await page.goto('about:blank');
	await page.goto(link);
	await expect(page.getByTestId('share-banner')).toBeVisible();
	await expect(cards(page)).toHaveCount(4);
	for (const button of ['view-json-button', 'trust-button', 'keep-button']) {
		if (button === 'keep-button') await page.getByTestId('trust-button').click();
		await page.getByTestId(button).focus();
		await page.keyboard.press('Control+A');
		await page.keyboard.press('Delete');
		await expect(cards(page)).toHaveCount(4);
		await expect(page.locator('.svelte-flow__node.selected')).toHaveCount(0);
	}
});
