// Zoomed out, node cards draw with low detail (a flat box with one large title) so a large
// pipeline pans smoothly; they still select and drag, and full detail returns on zooming in.
import { expect, test, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

async function wheelUntil(page: Page, deltaY: number, detail: 'low' | 'full') {
	const pane = (await page.locator('.svelte-flow__pane').boundingBox())!;
	await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
	for (let i = 0; i < 40; i++) {
		if ((await page.getByTestId('canvas-wrap').getAttribute('data-detail')) === detail) return;
		await page.mouse.wheel(0, deltaY);
		await page.waitForTimeout(30);
	}
	await expect(page.getByTestId('canvas-wrap')).toHaveAttribute('data-detail', detail);
}

test('zooming out draws cards with low detail that still select, and zooming in restores them', async ({
	page
}) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto('/');
	await expect(page.getByTestId('preview-row').first()).toBeVisible({ timeout: 15_000 });
	const canvas = page.getByTestId('canvas-wrap');
	await expect(canvas).toHaveAttribute('data-detail', 'full');
	const first = page.getByTestId('node-card').first();
	await expect(first.locator('.summary')).toBeVisible();
	const edgePaths = () =>
		page
			.locator('.svelte-flow__edge-path')
			.evaluateAll((paths) => paths.map((p) => p.getAttribute('d')));
	const before = await edgePaths();
	expect(before.length).toBeGreaterThan(0);

	await wheelUntil(page, 120, 'low');
	await expect(first.locator('.far-title')).toBeVisible();
	await expect(first.locator('.far-title')).not.toHaveText('');
	await expect(first.locator('.summary')).toBeHidden();
	// Edges keep their ends: the cards keep their size, only their drawing changes.
	expect(await edgePaths()).toEqual(before);

	const id = await first.getAttribute('data-node-id');
	await first.click();
	await expect(page.locator(`.svelte-flow__node[data-id="${id}"]`)).toHaveClass(/selected/);

	await wheelUntil(page, -120, 'full');
	await expect(first.locator('.summary')).toBeVisible();
	await expect(first.locator('.far-title')).toBeHidden();
	expect(errors).toEqual([]);
});
