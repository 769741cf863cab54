// Where new nodes land: a palette click after a selected node goes to its right, wired to it;
// pasted nodes land at the pointer over the canvas, or offset from the originals and from earlier
// pastes; Auto layout spreads unconnected nodes in rows, not one column.
import { expect, test, type Locator, type Page } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) =>
	a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const box = async (locator: Locator): Promise<Box> => (await locator.boundingBox())!;

const card = (page: Page, id: string) =>
	page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);

async function newPipeline(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
}

/** No two cards overlap. */
async function expectNoStacking(page: Page) {
	const cards = page.getByTestId('node-card');
	const boxes: Box[] = [];
	for (let i = 0; i < (await cards.count()); i++) boxes.push(await box(cards.nth(i)));
	for (let i = 0; i < boxes.length; i++)
		for (let j = i + 1; j < boxes.length; j++)
			expect(intersects(boxes[i], boxes[j]), `cards ${i} and ${j} overlap`).toBe(false);
}

test('a palette click after a selected node places the new node to its right and wires it', async ({
	page
}) => {
	await newPipeline(page);
	await page.getByTestId('palette-generator').click();
	await page.getByTestId('palette-filter').click();
	await page.getByTestId('palette-table').click();
	await expect(page.getByTestId('node-card')).toHaveCount(3);

	// generator → filter → table, each to the right of the one before, on its row.
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(2);
	await expect(page.locator('.svelte-flow__edge[data-id]')).toHaveCount(2);
	const [gen, filter, table] = await Promise.all(
		['generator-1', 'filter-1', 'table-1'].map((id) => box(card(page, id)))
	);
	expect(filter.x).toBeGreaterThan(gen.x + gen.width);
	expect(table.x).toBeGreaterThan(filter.x + filter.width);
	expect(Math.abs(filter.y - gen.y)).toBeLessThan(5);
	await expectNoStacking(page);
	await expect(card(page, 'table-1')).not.toHaveAttribute('data-status', 'error', {
		timeout: 15_000
	});
});

test('pasted nodes land at the pointer over the canvas, else offset from the originals', async ({
	page,
	context
}) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await newPipeline(page);
	await page.getByTestId('palette-generator').click();
	await card(page, 'generator-1').click();
	await page.keyboard.press('ControlOrMeta+C');

	// The Paste button (the pointer is on the toolbar): offset, and a second paste is offset again.
	await page.getByTestId('paste-button').click();
	await page.getByTestId('paste-button').click();
	await expect(page.getByTestId('node-card')).toHaveCount(3);
	const original = await box(card(page, 'generator-1'));
	const first = await box(card(page, 'generator-2'));
	const second = await box(card(page, 'generator-3'));
	expect(first.x).toBeGreaterThan(original.x + 5);
	expect(first.y).toBeGreaterThan(original.y + 5);
	expect(second.x).toBeGreaterThan(first.x + 5);
	expect(second.y).toBeGreaterThan(first.y + 5);

	// Ctrl+V with the pointer over an empty part of the canvas: the copy's corner is there.
	const pane = await box(page.getByTestId('canvas-wrap'));
	const point = { x: pane.x + 60, y: pane.y + pane.height - 230 };
	await page.mouse.move(point.x, point.y);
	await page.keyboard.press('ControlOrMeta+V');
	await expect(page.getByTestId('node-card')).toHaveCount(4);
	const atPointer = await box(card(page, 'generator-4'));
	expect(Math.abs(atPointer.x - point.x)).toBeLessThan(12);
	expect(Math.abs(atPointer.y - point.y)).toBeLessThan(12);
});

test('Auto layout spreads unconnected nodes in rows instead of one column', async ({ page }) => {
	await newPipeline(page);
	for (const kind of ['generator', 'filter', 'derive', 'sort', 'limit', 'table']) {
		await page.locator('.svelte-flow__pane').click({ position: { x: 8, y: 8 } }); // nothing selected
		await page.getByTestId(`palette-${kind}`).click();
	}
	await expect(page.getByTestId('node-card')).toHaveCount(6);
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(0);
	await page.getByTestId('layout-button').click();
	await page.waitForTimeout(300);
	const cards = page.getByTestId('node-card');
	const xs = new Set<number>();
	const ys = new Set<number>();
	for (let i = 0; i < 6; i++) {
		const b = await box(cards.nth(i));
		xs.add(Math.round(b.x));
		ys.add(Math.round(b.y));
	}
	expect(xs.size, 'columns').toBeGreaterThan(1);
	expect(ys.size, 'rows').toBeGreaterThan(1);
	await expectNoStacking(page);
});
