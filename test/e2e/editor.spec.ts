// The editor as a person uses it: palette, handles, inspector, preview, run, clipboard, examples.
// Documents are read back the way a user would take them: select all, copy, read the clipboard.
import { expect, test, type Page } from './support/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(`test/fixtures/${name}`, ROOT), 'utf8');
const EXAMPLES = JSON.parse(readFileSync(new URL('static/examples/index.json', ROOT), 'utf8')) as {
	file: string;
	title: string;
}[];

interface Fragment {
	nodes: { id: string; kind: string; params: Record<string, unknown>; label?: string }[];
	edges: { id: string; from: { node: string; port: string }; to: { node: string; port: string } }[];
}

test.use({ viewport: { width: 1440, height: 900 } });

let problems: string[] = [];

test.beforeEach(async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
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

async function openEditor(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
}

async function newPipeline(page: Page) {
	await openEditor(page);
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toContainText('Add a source from the palette');
}

async function connect(page: Page, from: string, to: string, fromPort = 'out', toPort = 'in') {
	await page
		.getByTestId(`handle-${from}-${fromPort}`)
		.dragTo(page.getByTestId(`handle-${to}-${toPort}`));
}

/** Drags a node card by its header, in small steps as a hand would. */
async function dragCard(page: Page, id: string, dx: number, dy: number) {
	const box = (await card(page, id).boundingBox())!;
	const start = { x: box.x + 40, y: box.y + 10 };
	await page.mouse.move(start.x, start.y);
	await page.mouse.down();
	await page.mouse.move(start.x + dx, start.y + dy, { steps: 8 });
	await page.mouse.up();
}

/** Focuses the canvas without selecting anything (a click on the empty pane). */
async function focusCanvas(page: Page) {
	await page.locator('.svelte-flow__pane').click({ position: { x: 8, y: 8 } });
}

/** The document as the clipboard carries it: select all, copy, read the clipboard. */
async function readDocument(page: Page): Promise<Fragment> {
	await focusCanvas(page);
	await page.keyboard.press('ControlOrMeta+A');
	await page.evaluate(() => navigator.clipboard.writeText(''));
	await page.keyboard.press('ControlOrMeta+C');
	const text = await page.evaluate(() => navigator.clipboard.readText());
	await focusCanvas(page); // leaves nothing selected
	if (text === '') return { nodes: [], edges: [] };
	const fragment = JSON.parse(text) as Fragment;
	return { nodes: fragment.nodes, edges: fragment.edges };
}

async function pasteText(page: Page, text: string) {
	await page.evaluate((t) => navigator.clipboard.writeText(t), text);
	await focusCanvas(page);
	await page.keyboard.press('ControlOrMeta+V');
}

/** Waits for the preview of the shown node to be current (not an older result). */
async function freshPreview(page: Page) {
	await expect(page.getByTestId('preview-body')).toHaveAttribute('data-fresh', 'true', {
		timeout: 15_000
	});
	return Number(await page.getByTestId('preview-row-count').getAttribute('data-rows'));
}

/** Runs a document with the command-line runner (Node worker threads); its sinks' row counts. */
function headlessRowCounts(fragment: Fragment): Map<string, number> {
	const dir = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
	const file = join(dir, 'pipeline.json');
	const doc = { version: 1, id: 'from-the-editor', name: 'from the editor', ...fragment };
	writeFileSync(file, JSON.stringify(doc));
	const cli = spawnSync(process.execPath, ['bin/sluice.mjs', 'run', file, '--workers', '1'], {
		cwd: new URL('.', ROOT).pathname,
		encoding: 'utf8',
		timeout: 30_000
	});
	expect(cli.status, cli.stderr).toBe(0);
	const counts = new Map<string, number>();
	for (const match of cli.stdout.matchAll(/^(.+): ([\d,]+) rows$/gm)) {
		counts.set(match[1].trim(), Number(match[2].replaceAll(',', '')));
	}
	return counts;
}

test('a pipeline built from the palette previews as the filter is typed and matches the headless run', async ({
	page
}) => {
	await newPipeline(page);
	for (const kind of ['sample-dataset', 'filter', 'group-by', 'table']) {
		await page.getByTestId(`palette-${kind}`).click();
	}
	await page.getByTestId('layout-button').click();
	await expect(page.getByTestId('node-card')).toHaveCount(4);

	// A taxi sample smaller than a preview, so the preview sees every row the run sees.
	await card(page, 'sample-dataset-1').click();
	await page.getByTestId('field-rows').locator('input').fill('20000');

	await connect(page, 'sample-dataset-1', 'filter-1');
	await connect(page, 'filter-1', 'group-by-1');
	await connect(page, 'group-by-1', 'table-1');
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(3);

	// A refused connection says why.
	await connect(page, 'sample-dataset-1', 'table-1');
	await expect(page.getByTestId('connection-refused')).toContainText('already fed by');
	await expect(page.locator('.svelte-flow__edge')).toHaveCount(3);

	await card(page, 'group-by-1').click();
	const keys = page.getByTestId('field-keys').locator('input');
	await keys.fill('borough');
	await keys.press('Enter');

	await card(page, 'filter-1').click();
	const expression = page.getByTestId('expression-input');
	await expression.fill('');
	await expression.pressSequentially('passenger_count > 1');
	const filtered = await freshPreview(page);
	expect(filtered).toBeGreaterThan(1000);
	expect(filtered).toBeLessThan(20_000);
	await expression.pressSequentially(' and fare > 20');
	const narrower = await freshPreview(page);
	expect(narrower).toBeLessThan(filtered);

	await card(page, 'table-1').click();
	const groups = await freshPreview(page);
	const counts = await page
		.getByTestId('preview-row')
		.evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[2].textContent)));
	expect(counts.reduce((a, b) => a + b, 0)).toBe(narrower);

	const headless = headlessRowCounts(await readDocument(page));
	expect(headless.get('Table (table-1)')).toBe(groups);

	// A bad expression: underlined where the compiler says, and the last good result stays.
	await card(page, 'filter-1').click();
	await expression.pressSequentially(' and nope');
	await expect(page.getByTestId('expression-error-span')).toHaveText('nope');
	await expect(page.getByTestId('expression-error')).toContainText("unknown column 'nope'");
	await expect(page.getByTestId('preview-error')).toContainText('showing the last good result');
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute(
		'data-rows',
		String(narrower)
	);
	await expect(page.getByTestId('preview-row').first()).toBeVisible();
});

test('undo and redo walk back and forth through 20 mixed edits exactly', async ({ page }) => {
	await newPipeline(page);
	const docs: Fragment[] = [await readDocument(page)];
	const select = (id: string) => card(page, id).click();
	const field = (name: string) => page.getByTestId(`field-${name}`).locator('input');
	const edits: [string, () => Promise<void>][] = [
		['add a generator', () => page.getByTestId('palette-generator').click()],
		// Nothing selected, so the palette adds each node on its own (not wired after the last).
		[
			'add a filter',
			async () => {
				await focusCanvas(page);
				await page.getByTestId('palette-filter').click();
			}
		],
		[
			'add a table',
			async () => {
				await focusCanvas(page);
				await page.getByTestId('palette-table').click();
			}
		],
		['auto layout', () => page.getByTestId('layout-button').click()],
		['connect the generator', () => connect(page, 'generator-1', 'filter-1')],
		['connect the filter', () => connect(page, 'filter-1', 'table-1')],
		[
			'type an expression',
			async () => {
				await select('filter-1');
				await page.getByTestId('expression-input').pressSequentially(' and id > 10');
			}
		],
		[
			'label the filter',
			async () => {
				await select('filter-1');
				await page.getByTestId('label-input').fill('Later ids');
			}
		],
		[
			'duplicate it',
			async () => {
				await select('filter-1');
				await page.keyboard.press('ControlOrMeta+D');
			}
		],
		[
			'delete the copy',
			async () => {
				await select('filter-2');
				await page.keyboard.press('Delete');
			}
		],
		[
			'set the table limit',
			async () => {
				await select('table-1');
				await field('limit').fill('25');
			}
		],
		['add a derive', () => page.getByTestId('palette-derive').click()],
		[
			'name its column',
			async () => {
				await select('derive-1');
				await field('column').fill('twice');
			}
		],
		['move it', () => dragCard(page, 'derive-1', 60, 40)],
		['add a sample', () => page.getByTestId('palette-sample').click()],
		[
			'delete it',
			async () => {
				await select('sample-1');
				await page.keyboard.press('Backspace');
			}
		],
		['add a limit', () => page.getByTestId('palette-limit').click()],
		[
			'set its rows',
			async () => {
				await select('limit-1');
				await field('rows').fill('7');
			}
		],
		['auto layout again', () => page.getByTestId('layout-button').click()],
		[
			'reseed the generator',
			async () => {
				await select('generator-1');
				await field('seed').fill('99');
			}
		]
	];
	for (const [name, edit] of edits) {
		await edit();
		const doc = await readDocument(page);
		expect(JSON.stringify(doc), `${name} changed the document`).not.toBe(
			JSON.stringify(docs.at(-1))
		);
		docs.push(doc);
	}
	expect(docs.length).toBe(21); // the empty start and 20 edits

	for (let i = docs.length - 2; i >= 0; i--) {
		await page.getByTestId('undo-button').click();
		expect(await readDocument(page), `after undoing back to step ${i}`).toEqual(docs[i]);
	}
	await expect(page.getByTestId('undo-button')).toBeDisabled();
	for (let i = 1; i < docs.length; i++) {
		await page.keyboard.press(i % 2 ? 'ControlOrMeta+Shift+Z' : 'ControlOrMeta+Y');
		expect(await readDocument(page), `after redoing step ${i}`).toEqual(docs[i]);
	}
	await expect(page.getByTestId('redo-button')).toBeDisabled();
});

test('copy in one tab and paste in another keeps params, labels and edges', async ({
	page,
	context
}) => {
	await newPipeline(page);
	await pasteText(page, fixture('editor-paste.json'));
	await expect(page.getByTestId('node-card')).toHaveCount(4);
	const copied = await readDocument(page);

	const other = await context.newPage();
	other.on('pageerror', (e) => problems.push(`page error (second tab): ${e.message}`));
	await other.goto('/');
	await expect(other.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await other.getByTestId('new-button').click();
	await focusCanvas(other);
	await other.keyboard.press('ControlOrMeta+V');
	await expect(other.getByTestId('node-card')).toHaveCount(4);
	const pasted = await readDocument(other);

	const shape = (f: Fragment) => {
		const byId = new Map(f.nodes.map((n) => [n.id, n]));
		const describe = (id: string) => JSON.stringify([byId.get(id)!.kind, byId.get(id)!.params]);
		return {
			nodes: f.nodes.map((n) => [n.kind, n.label ?? null, n.params]),
			edges: f.edges.map((e) => [
				describe(e.from.node),
				e.from.port,
				describe(e.to.node),
				e.to.port
			])
		};
	};
	expect(shape(pasted)).toEqual(shape(copied));
	expect(pasted.edges).toHaveLength(3);
	expect(await freshPreview(other)).toBeGreaterThan(0);
	await other.close();
});

test('Run streams the 1-million-row taxi sample with progress, and Stop returns to idle at once', async ({
	page
}) => {
	await openEditor(page);
	await page.getByTestId('examples-button').click();
	await page.getByTestId('example-sample-statistics.json').click();
	await expect(page.getByTestId('node-card')).toHaveCount(2);
	await expect(card(page, 'taxi')).toContainText('1,000,000 rows');

	await page.getByTestId('run-button').click();
	await expect(page.getByTestId('run-progress')).toBeVisible();
	await expect(page.getByTestId('run-rows')).toContainText('/ 1,000,000 rows');
	await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'done', {
		timeout: 30_000
	});
	await expect(page.getByTestId('preview-source')).toContainText('full run');
	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '1000000');
	await expect(page.getByTestId('stat-column')).toHaveCount(10);
	await expect(card(page, 'stats')).toHaveAttribute('data-status', 'done');

	// A run long enough to stop in the middle: 20 million rows.
	await page.getByTestId('new-button').click();
	await pasteText(page, fixture('editor-long-run.json'));
	await expect(page.getByTestId('node-card')).toHaveCount(2);
	await page.getByTestId('run-button').click();
	await expect(page.getByTestId('run-rows')).not.toContainText(/^0 \//);
	await page.getByTestId('stop-button').click();
	await expect(page.getByTestId('run-progress')).toBeHidden({ timeout: 1000 });
	await expect(page.getByTestId('run-button')).toBeVisible({ timeout: 1000 });
	await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'cancelled');
	await expect(page.getByTestId('notice-error')).toHaveCount(0);
});

test('every example opens and previews without errors', async ({ page }) => {
	await openEditor(page);
	for (const example of EXAMPLES) {
		const doc = JSON.parse(fixtureExample(example.file)) as Fragment;
		await page.getByTestId('examples-button').click();
		await page.getByTestId(`example-${example.file}`).click();
		await expect(page.getByTestId('pipeline-name'), example.file).toHaveValue(
			JSON.parse(fixtureExample(example.file)).name
		);
		await expect(page.getByTestId('node-card')).toHaveCount(doc.nodes.length);
		await expect(page.locator('.svelte-flow__edge')).toHaveCount(doc.edges.length);
		const rows = await freshPreview(page);
		expect(rows, example.file).toBeGreaterThan(0);
		await expect(page.getByTestId('preview-error'), example.file).toHaveCount(0);
		await expect(page.locator('[data-testid="node-card"][data-status="error"]')).toHaveCount(0);
	}
});

function fixtureExample(file: string): string {
	return readFileSync(new URL(`static/examples/${file}`, ROOT), 'utf8');
}
