// The canvas never covers itself, at the size of a common laptop screen (1280×720): fitted
// nodes stay clear of the mini map and the zoom controls, the metrics panel sits beside the
// canvas, a card asking for its file covers no other card, and the toolbar keeps one line.
import { expect, test, type Locator, type Page } from './support/test';

test.use({ viewport: { width: 1280, height: 720 } });

type Box = { x: number; y: number; width: number; height: number };

const intersects = (a: Box, b: Box) =>
	a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const box = async (locator: Locator): Promise<Box> => (await locator.boundingBox())!;

async function newPipeline(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
}

/** Pastes a pipeline document on the canvas, as a person opens a shared file. */
async function paste(page: Page, doc: object) {
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.evaluate((t) => navigator.clipboard.writeText(t), JSON.stringify(doc));
	await page.locator('.svelte-flow__pane').click({ position: { x: 8, y: 8 } });
	await page.keyboard.press('ControlOrMeta+V');
	await page.keyboard.press('Escape');
}

const at = (x: number, y: number) => ({ x, y });

/** A generator feeding two filters, each feeding a table: a node in the bottom-right corner. */
const FORK = {
	version: 1,
	id: 'fork',
	name: 'fork',
	nodes: [
		{ id: 'gen', kind: 'generator', params: {}, position: at(0, 70) },
		{ id: 'a', kind: 'filter', params: { expression: 'value > 0.5' }, position: at(280, 0) },
		{ id: 'b', kind: 'filter', params: { expression: 'value < 0.5' }, position: at(280, 140) },
		{ id: 'ta', kind: 'table', params: {}, position: at(560, 0) },
		{ id: 'tb', kind: 'table', params: {}, position: at(560, 140) }
	],
	edges: [
		{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'a', port: 'in' } },
		{ id: 'e2', from: { node: 'gen', port: 'out' }, to: { node: 'b', port: 'in' } },
		{ id: 'e3', from: { node: 'a', port: 'out' }, to: { node: 'ta', port: 'in' } },
		{ id: 'e4', from: { node: 'b', port: 'out' }, to: { node: 'tb', port: 'in' } }
	]
};

/** Every card is clear of the mini map and the zoom controls, and a click selects it. */
async function expectClearOfOverlays(page: Page) {
	await page.waitForTimeout(300); // the fit is animated for a moment
	const minimap = await box(page.locator('.svelte-flow__minimap'));
	const controls = await box(page.locator('.svelte-flow__controls'));
	const cards = page.getByTestId('node-card');
	const count = await cards.count();
	expect(count).toBeGreaterThan(0);
	for (let i = 0; i < count; i++) {
		const card = cards.nth(i);
		const id = await card.getAttribute('data-node-id');
		const b = await box(card);
		expect(intersects(b, minimap), `${id} ${JSON.stringify(b)} under the mini map`).toBe(false);
		expect(intersects(b, controls), `${id} ${JSON.stringify(b)} under the controls`).toBe(false);
		await card.click({ timeout: 5000 });
		await expect(card).toHaveClass(/selected/);
	}
}

test('Fit view and Auto layout keep every node clear of the mini map, and each can be clicked', async ({
	page
}) => {
	await newPipeline(page);
	await paste(page, FORK);
	await expect(page.getByTestId('node-card')).toHaveCount(5);

	await page.locator('.svelte-flow__controls-fitview').click();
	await expectClearOfOverlays(page);

	await page.getByTestId('more-button').click();
	await page.getByTestId('layout-button').click();
	await expectClearOfOverlays(page);
});

test('the metrics panel sits beside the canvas, leaves it half the room, and shows its last column', async ({
	page
}) => {
	await newPipeline(page);
	await paste(page, FORK);
	await page.getByTestId('run-button').click();
	await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'done', {
		timeout: 60_000
	});
	await page.getByTestId('metrics-toggle').click();
	const panel = page.getByTestId('metrics-panel');
	await expect(panel).toBeVisible();
	const canvas = await box(page.getByTestId('canvas'));
	const side = await box(panel);
	expect(intersects(canvas, side), 'the panel covers the canvas').toBe(false);
	expect(canvas.width).toBeGreaterThanOrEqual(side.width - 1);

	// The stage table's last column can be brought into view inside the panel.
	const last = page.getByTestId('metrics-stages').locator('th').last();
	await last.scrollIntoViewIfNeeded();
	const column = await box(last);
	const inside = await box(panel);
	expect(column.x).toBeGreaterThanOrEqual(inside.x - 1);
	expect(column.x + column.width).toBeLessThanOrEqual(inside.x + inside.width + 1);
});

test('a card asking for its file covers no card below it, and its Choose file… button works', async ({
	page
}) => {
	await newPipeline(page);
	// A shared pipeline laid out by Auto layout (rows 140 apart), whose files this page lacks.
	await paste(page, {
		version: 1,
		id: 'two-files',
		name: 'two files',
		nodes: [
			{ id: 'up', kind: 'csv', label: 'Upper', params: { source: 'local:k1/a.csv' } },
			{ id: 'down', kind: 'csv', label: 'Lower', params: { source: 'local:k2/b.csv' } }
		].map((n, i) => ({ ...n, position: at(0, i * 140) })),
		edges: []
	});
	// Pasting gives the nodes fresh ids: find the cards by their labels.
	const card = (label: string) =>
		page.getByTestId('node-card').filter({ has: page.locator('.label', { hasText: label }) });
	const lower = card('Lower').getByTestId('dataset-missing');
	await expect(card('Upper').getByTestId('dataset-missing')).toBeVisible();
	await expect(lower).toBeVisible();
	expect(intersects(await box(card('Upper')), await box(card('Lower')))).toBe(false);

	// What the notice says is the button it shows.
	const button = lower.getByRole('button');
	await expect(button).toHaveText('Choose file…');
	await expect(lower).toHaveAttribute('title', /“Choose file…”/);
	await expect(lower).not.toHaveAttribute('title', /Replace file/);
	const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
	await button.click({ timeout: 5000 });
	await chooser;
});

test('at 1280×720 the toolbar keeps one line, shows the whole name and folds the rest into More', async ({
	page
}) => {
	await newPipeline(page);
	const name = page.getByTestId('pipeline-name');
	await name.fill('Orders joined with their customers');
	await name.press('Enter');
	await paste(page, FORK);

	const toolbar = page.getByTestId('toolbar');
	const buttons = toolbar.locator('button:visible');
	const boxes = await buttons.evaluateAll((els) =>
		els.map((el) => ({ text: el.textContent?.trim(), ...el.getBoundingClientRect().toJSON() }))
	);
	const first = boxes[0];
	for (const b of boxes) {
		expect(Math.abs(b.top - first.top), `${b.text} is on another line`).toBeLessThanOrEqual(4);
		expect(b.height, `${b.text} wraps`).toBeLessThanOrEqual(first.height + 1);
	}
	const cut = await name.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
	expect(cut, 'the pipeline name is cut off').toBe(false);

	// The folded actions work from the menu.
	await page.getByTestId('more-button').click();
	const layout = page.getByTestId('more-panel').getByTestId('layout-button');
	await layout.click();
	await expect(page.getByTestId('more-panel')).toHaveCount(0);
	await expect(page.getByTestId('undo-button')).toHaveCount(0);
	await page.getByTestId('more-button').click();
	await page.getByTestId('undo-button').click();
});
