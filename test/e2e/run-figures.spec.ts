// Figures of a finished run agree everywhere (issue 12, item 8): Generator → Slow 100 ms →
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
	// 100 ms a batch (a parked wait, no CPU): far longer than the generator takes to make a batch
	// even on a loaded machine, so the generator certainly fills Slow's ring and waits on it.
	{ label: 'Slow', kind: 'slow', params: { msPerBatch: 100 } },
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
	const outcome = page.getByTestId('run-outcome');
	await expect(outcome).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
	// The run bar ends with the run's summary: its rows and their mean rate, never "0 rows/s".
	await expect(outcome).toContainText('Run finished: 655,360 source rows in');
	const rate = (await outcome.innerText()).match(/\(([\d.,]+)([KMB]?) rows\/s\)/);
	expect(rate, await outcome.innerText()).not.toBeNull();
	expect(Number(rate![1].replace(/,/g, ''))).toBeGreaterThan(0);
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

	// Each stage instance: busy + idle + backpressured <= 1000 ms per second; parallel
	// instances show as one line, ×N, with their mean and (beside it) their max.
	const rows = page.getByTestId('metrics-stages-row');
	expect(await rows.count()).toBeGreaterThan(0);
	const parallel = rows.filter({ hasText: /×3/ });
	await expect(parallel).toHaveCount(1);
	await expect(parallel.locator('td[data-key="busyMsPerSec"]')).toContainText('(max ');
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
	if (checked.ok) {
		expect(checked.report.bottleneck?.name).toBe('Slow');
		// The panel's stage table is the report's, line for line.
		const lines = checked.report.stageTable ?? [];
		const panel = await rows.locator('td[data-key="stage"]').allInnerTexts();
		expect(panel.map((t) => t.replace(/^\d+: /, '')).sort()).toEqual(
			lines.map((l) => (l.instances > 1 ? `${l.name} ×${l.instances}` : l.name)).sort()
		);
	}

	// The Runs list too.
	await page.getByTestId('runs-button').click();
	const run = page.getByTestId('run-row').first();
	await expect(run).toHaveAttribute('data-status', 'done');
	await expect(run.locator('td.bottleneck')).toHaveText('Slow');
});
