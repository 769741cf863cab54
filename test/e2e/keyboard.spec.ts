// The editor from the keyboard alone.
import { expect, test } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

test('Enter in the palette search adds the one node kind it leaves', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	const cards = page.locator('[data-testid="node-card"]');
	const before = await cards.count();
	const search = page.getByTestId('palette-search');
	await search.fill('statistics');
	await expect(page.getByTestId('palette').locator('button.item[draggable="true"]')).toHaveCount(1);
	await search.press('Enter');
	await expect(cards).toHaveCount(before + 1);
	await expect(search).toHaveValue('');
});
