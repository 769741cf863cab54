// Figures of a finished run agree everywhere (issue 12, item 8): Generator → Slow 40 ms →
// Derive → Group-by → Table, Run, Metrics. After the run the panel, the Runs list and the
// downloaded report all name Slow as the bottleneck (the whole run's figures, from one
// function), and each stage instance's ms per second sum to at most 1000. 40 batches are few
// enough that every one of them would fit a deep ring: Slow must still show as where they wait.
// Node badges show the run's row counts, not the preview's.
import { expect, test, type Page } from './support/test';
import { validateRunMetricsReport } from '../../src/lib/runtime/metrics/report';

test.use({ viewport: { width: 1440, height: 900 } });
test.describe.configure({ timeout: 90_000 });

test.beforeEach(async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	// Three pool workers, as on an ordinary laptop (see live-metrics.spec.ts).
	await page.addInitScript(() => {
		Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 4 });
	});
});

const steps = [
	{
		label: 'Generator',
		kind: 'generator',
		params: {
			rows: 40 * 16_384,
			seed: 7,
			columns: [
				{ name: 'id', type: 'int' },
				{ name: 'k', type: 'int', cardinality: 20 },
				{ name: 'amount', type: 'float', min: 0, max: 100 }
			]
		}
	},
	{ label: 'Slow', kind: 'slow', params: { msPerBatch: 40 } },
	{ label: 'Derive', kind: 'derive', params: { column: 'twice', expression: 'amount * 2' } },
	{
		label: 'Group',
		kind: 'group-by',
		params: { keys: ['k'], aggregates: [{ op: 'count' }, { op: 'sum', column: 'twice' }] }
	},
	{ label: 'Table', kind: 'table', params: { limit: 100 } }
];

function pipelineJson(): string {
	const ids = steps.map((s) => s.label.toLowerCase());
	return JSON.stringify({
		version: 1,
		id: 'run-figures',
		name: 'run figures',
		nodes: steps.map((s, i) => ({ id: ids[i], ...s, position: { x: i * 300, y: 0 } })),
		edges: ids.slice(1).map((to, i) => ({
			id: `${ids[i]}-${to}`,
			from: { node: ids[i], port: 'out' },
			to: { node: to, port: 'in' }
		}))
	});
}

async function load(page: Page) {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();
	await page.evaluate((t) => navigator.clipboard.writeText(t), pipelineJson());
	await page.locator('.svelte-flow__pane').click({ position: { x: 8, y: 8 } });
	await page.keyboard.press('ControlOrMeta+V');
	await expect(page.getByTestId('node-card')).toHaveCount(steps.length);
	await page.keyboard.press('Escape');
}

test('after a run the panel, the Runs list and the report name the same bottleneck, and no stage passes 1000 ms per second', async ({
	page
}) => {
	await load(page);
	await page.getByTestId('run-button').click();
	await expect(page.getByTestId('run-outcome')).toHaveAttribute('data-status', 'done', {
		timeout: 60_000
	});
	await page.getByTestId('metrics-toggle').click();
	await expect(page.getByTestId('metrics-panel')).toBeVisible();
	await expect(page.getByTestId('metrics-state')).toContainText('last run (done)');

	// The panel and the canvas: the whole run's bottleneck.
	await expect(page.getByTestId('metrics-bottleneck')).toContainText("Bottleneck: 'Slow' was busy");
	await expect(page.getByTestId('bottleneck-badge')).toHaveCount(1);
	const slowCard = page
		.getByTestId('node-card')
		.filter({ has: page.locator('.label', { hasText: 'Slow' }) });
	await expect(slowCard.getByTestId('bottleneck-badge')).toBeVisible();
	// Node badges count the run's rows, not the preview's.
	await expect(slowCard.getByTestId('node-status')).toHaveText('655,360 rows');

	// Each stage instance: busy + idle + backpressured <= 1000 ms per second.
	const rows = page.getByTestId('metrics-stages-row');
	expect(await rows.count()).toBeGreaterThan(0);
	for (const row of await rows.all()) {
		const value = async (key: string) =>
			Number(await row.locator(`td[data-key="${key}"]`).getAttribute('data-value'));
		const sum =
			(await value('busyMsPerSec')) +
			(await value('idleMsPerSec')) +
			(await value('backpressuredMsPerSec'));
		expect(sum, await row.innerText()).toBeLessThanOrEqual(1000);
	}

	// The report names the same stage.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('metrics-download').click()
	]);
	const text = await (await download.createReadStream()).toArray();
	const checked = validateRunMetricsReport(JSON.parse(Buffer.concat(text).toString('utf8')));
	expect(checked.ok, JSON.stringify(checked)).toBe(true);
	if (checked.ok) expect(checked.report.bottleneck?.name).toBe('Slow');

	// The Runs list too.
	await page.getByTestId('runs-button').click();
	const run = page.getByTestId('run-row').first();
	await expect(run).toHaveAttribute('data-status', 'done');
	await expect(run.locator('td.bottleneck')).toHaveText('Slow');
});
