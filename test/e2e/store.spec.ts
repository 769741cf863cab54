// Autosave as a person meets it: nothing to press, nothing lost by a closed tab or a crash,
// the last pipeline and its view back on reopening, and a second tab warned.
import { chromium } from '@playwright/test';
import { expect, test, type Page } from './support/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config from '../../playwright.config';

test.use({ viewport: { width: 1440, height: 900 } });

async function openEditor(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
}

async function rename(page: Page, name: string) {
	const field = page.getByTestId('pipeline-name');
	await field.fill(name);
	await field.press('Enter');
}

const cards = (page: Page) => page.locator('[data-testid="node-card"]');

test('a pipeline built and closed without any save action is all there when the app reopens', async ({
	context
}) => {
	const page = await context.newPage();
	await openEditor(page);
	await expect(page.getByTestId('save-status')).toHaveText('Not saved yet');
	await rename(page, 'Big orders');
	await page.getByTestId('handle-events-out').waitFor();
	// Delete a node: the document changes shape, not only its name.
	await page.locator('[data-testid="node-card"]').first().click();
	await page.keyboard.press('Delete');
	await expect(cards(page)).toHaveCount(2);
	await page.close(); // no save button exists; closing flushes the last edit

	const again = await context.newPage();
	await openEditor(again);
	await expect(again.getByTestId('pipeline-name')).toHaveValue('Big orders');
	await expect(cards(again)).toHaveCount(2);
	await expect(again.getByTestId('save-status')).toHaveText('Saved');
});

test('a crashed browser loses at most the last second of edits', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'sluice-profile-'));
	const use = config.use!;
	const launch = () =>
		chromium.launchPersistentContext(dir, {
			executablePath: use.launchOptions?.executablePath,
			args: use.launchOptions?.args,
			baseURL: use.baseURL,
			viewport: { width: 1440, height: 900 }
		});
	try {
		let context = await launch();
		let page = await context.newPage();
		await openEditor(page);
		await rename(page, 'Kept edit');
		await page.waitForTimeout(1200); // older than a second: must survive
		await rename(page, 'Last-moment edit');
		// Kill the browser: no pagehide, no flush, nothing graceful.
		const cdp = await context.newCDPSession(page);
		await cdp.send('Browser.crash').catch(() => {});
		await context.close().catch(() => {});

		context = await launch();
		page = await context.newPage();
		await openEditor(page);
		const name = await page.getByTestId('pipeline-name').inputValue();
		expect(['Kept edit', 'Last-moment edit']).toContain(name);
		await context.close();
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('the last pipeline reopens with its viewport', async ({ context }) => {
	const page = await context.newPage();
	await openEditor(page);
	await rename(page, 'Zoomed');
	const pane = page.locator('.svelte-flow__pane');
	await pane.hover({ position: { x: 300, y: 300 } });
	await page.mouse.wheel(0, 400);
	await page.waitForTimeout(900); // the view is saved half a second after it settles
	const before = await page.locator('.svelte-flow__viewport').getAttribute('style');
	await page.close();

	const again = await context.newPage();
	await openEditor(again);
	await expect(again.getByTestId('pipeline-name')).toHaveValue('Zoomed');
	await expect(again.locator('.svelte-flow__viewport')).toHaveAttribute('style', before!);
});

test('a second tab on the same pipeline is warned, and taking over makes the first read-only', async ({
	context
}) => {
	const first = await context.newPage();
	await openEditor(first);
	await rename(first, 'Shared desk');
	await expect(first.getByTestId('save-status')).toHaveText('Saved');

	const second = await context.newPage();
	await openEditor(second);
	await expect(second.getByTestId('pipeline-name')).toHaveValue('Shared desk');
	await expect(second.getByTestId('tab-prompt')).toContainText(
		"'Shared desk' is open in another tab"
	);
	await expect(second.getByTestId('save-status')).toHaveText('Read-only');
	// Nothing typed here is written while the choice is open.
	await rename(second, 'Typed in the second tab');

	await second.getByTestId('take-over-button').click();
	await expect(first.getByTestId('taken-over')).toContainText('read-only now');
	await expect(first.getByTestId('save-status')).toHaveText('Read-only');
	await expect(second.getByTestId('save-status')).toHaveText('Saved');
	// The first tab's later edits are not saved over the second's.
	await rename(first, 'Stale edit from the first tab');
	await second.waitForTimeout(1200);
	const third = await context.newPage();
	await openEditor(third);
	await expect(third.getByTestId('pipeline-name')).toHaveValue('Typed in the second tab');
});
