// Dates in common text forms, as a person meets them: a CSV dropped on the canvas whose dates
// are written 2001/01/01 00:47, Jun 12 1998 and 12/06/1998 previews them as timestamp and date
// columns (ISO in the table), not as text.
import { expect, test } from './support/test';

test.use({ viewport: { width: 1440, height: 900 } });

test('a dropped CSV with dates in common text forms previews them as dates', async ({ page }) => {
	await page.goto('/');
	await expect(page.locator('.svelte-flow')).toBeVisible({ timeout: 15_000 });
	await page.getByTestId('new-button').click();
	await expect(page.getByTestId('empty-hint')).toBeVisible();

	const csv =
		'when,day,us\n2001/01/01 00:47,Jun 12 1998,12/06/1998\n2001/01/02 13:05,Jul 1 1999,01/31/1999\n';
	const canvas = page.getByTestId('canvas-wrap');
	const box = (await canvas.boundingBox())!;
	const dataTransfer = await page.evaluateHandle((text) => {
		const dt = new DataTransfer();
		dt.items.add(new File([text], 'dates.csv', { type: 'text/csv' }));
		return dt;
	}, csv);
	const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, dataTransfer };
	await canvas.dispatchEvent('dragenter', at);
	await canvas.dispatchEvent('dragover', at);
	await canvas.dispatchEvent('drop', at);

	await expect(page.getByTestId('preview-row-count')).toHaveAttribute('data-rows', '2', {
		timeout: 20_000
	});
	const types = await page.getByTestId('preview-table').locator('thead th .type').allTextContents();
	expect(types).toEqual(['timestamp', 'date32', 'date32']);
	const rows = await page
		.getByTestId('preview-row')
		.evaluateAll((trs) =>
			trs.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent?.trim()))
		);
	expect(rows).toEqual([
		['2001-01-01T00:47:00.000Z', '1998-06-12', '1998-12-06'],
		['2001-01-02T13:05:00.000Z', '1999-07-01', '1999-01-31']
	]);
});
