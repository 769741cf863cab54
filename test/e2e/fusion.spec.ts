// Fused stages on the canvas: the nodes one compiled stage runs (operator chaining) share a dashed
// outline and a "stage N · fused ×k" badge; a pipeline with nothing fused shows neither.
import { expect, test, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

let problems: string[] = [];

test.beforeEach(async ({ page }) => {
	problems = [];
	page.on('console', (m) => {
		if (m.type() === 'error') problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});

test.afterEach(() => {
	expect(problems, 'console errors and uncaught page errors').toEqual([]);
});

const card = (page: Page, id: string) =>
	page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);

test('the first example outlines the filter and table as one fused stage, and a lone generator shows no fusion', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await expect(page.getByTestId('node-card')).toHaveCount(3);

	// One outline, around exactly the filter and the table.
	const outline = page.getByTestId('fused-group');
	await expect(outline).toHaveCount(1);
	await expect(outline).toHaveAttribute('data-nodes', 'big-premium preview');
	await expect(outline).toBeVisible();

	// The badge sits on the fused cards only, naming the stage explain() names.
	await expect(page.getByTestId('fused-badge')).toHaveCount(2);
	await expect(card(page, 'big-premium').getByTestId('fused-badge')).toHaveText(
		'stage 1 · fused ×2'
	);
	await expect(card(page, 'preview').getByTestId('fused-badge')).toHaveText('stage 1 · fused ×2');
	await expect(card(page, 'events').getByTestId('fused-badge')).toHaveCount(0);
	await expect(page.getByTestId('fusion-legend')).toContainText('run fused in one stage');

	// The outline encloses both fused cards and not the generator.
	const box = (await outline.boundingBox())!;
	const inside = async (id: string) => {
		const b = (await card(page, id).boundingBox())!;
		return (
			b.x >= box.x &&
			b.y >= box.y &&
			b.x + b.width <= box.x + box.width + 0.5 &&
			b.y + b.height <= box.y + box.height + 0.5
		);
	};
	expect(await inside('big-premium')).toBe(true);
	expect(await inside('preview')).toBe(true);
	expect(await inside('events')).toBe(false);

	// A new pipeline with a single generator has nothing fused.
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
	await page.getByTestId('palette-generator').click();
	await expect(page.getByTestId('node-card')).toHaveCount(1);
	await expect(page.getByTestId('fused-group')).toHaveCount(0);
	await expect(page.getByTestId('fused-badge')).toHaveCount(0);
	await expect(page.getByTestId('fusion-legend')).toHaveCount(0);
});
