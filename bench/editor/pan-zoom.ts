// Pan and zoom over a 300-node pipeline, as a person would: New, paste the pipeline's JSON into
// the canvas, Esc (nothing selected), F (fit view); then 3 s of dragging the empty pane in a
// figure eight and 3 s of wheel steps (in, then out), one input event per 60 Hz frame, while a
// rAF loop in the page records frame times (see frames.ts). First, for comparison, the same
// pan over the three-node example that `/` opens.
import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { frameStats, startFrames, stopFrames, type FrameStats } from './frames';

const FIXTURE = new URL('../../test/fixtures/pipeline-300.json', import.meta.url);
const GESTURE_MS = 3000;
const INPUT_EVERY_MS = 1000 / 60;
/** Input events a gesture sends when the page takes each at once. */
export const INPUTS_OFFERED = Math.round(GESTURE_MS / INPUT_EVERY_MS);
const PAN_RADIUS = 220;
const WHEEL_DELTA = 40;
const WHEEL_RUN = 20;
const SETTLE_MS = 1500;

export interface PanZoom {
	pan: Gesture;
	zoom: Gesture;
	/** 1 s with no input after the paste and fit view. */
	idle: FrameStats;
	/** The same pan over the example `/` opens (three nodes), for comparison. */
	control: Gesture;
	controlNodes: number;
	/** Node elements in the canvas's DOM. */
	rendered: number;
	/** Of those, how many intersect the canvas when the gestures start. */
	inView: number;
	/** Nodes in the pasted document. */
	documentNodes: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `step(t)` once per 60 Hz tick for `ms`, t in ms since the start; how many calls. Each
 * call waits for the browser to take the event, so a busy page gets fewer than one a tick.
 */
async function paced(ms: number, step: (t: number, i: number) => Promise<void>): Promise<number> {
	const start = performance.now();
	for (let i = 0; ; i++) {
		const due = start + i * INPUT_EVERY_MS;
		const now = performance.now();
		if (now - start >= ms) return i;
		if (due > now) await sleep(due - now);
		await step(performance.now() - start, i);
	}
}

/** The point of the empty pane nearest the canvas's centre (a drag there pans, not moves). */
async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
	const point = await page.evaluate(() => {
		const pane = document.querySelector('.svelte-flow__pane')!.getBoundingClientRect();
		const cx = pane.left + pane.width / 2;
		const cy = pane.top + pane.height / 2;
		let best: { x: number; y: number; d: number } | null = null;
		for (let y = pane.top + 40; y < pane.bottom - 40; y += 6) {
			for (let x = pane.left + 40; x < pane.right - 40; x += 6) {
				const hit = document.elementFromPoint(x, y);
				if (!hit?.classList.contains('svelte-flow__pane')) continue;
				const d = Math.hypot(x - cx, y - cy);
				if (!best || d < best.d) best = { x, y, d };
			}
		}
		return best;
	});
	if (!point) throw new Error('no empty pane point to start a pan from');
	return point;
}

async function canvasCentre(page: Page): Promise<{ x: number; y: number }> {
	const box = (await page.locator('.svelte-flow__pane').boundingBox())!;
	return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function nodesInView(page: Page): Promise<number> {
	return page.evaluate(() => {
		const pane = document.querySelector('.svelte-flow__pane')!.getBoundingClientRect();
		return [...document.querySelectorAll('.svelte-flow__node')].filter((n) => {
			const r = n.getBoundingClientRect();
			return (
				r.right > pane.left && r.left < pane.right && r.bottom > pane.top && r.top < pane.bottom
			);
		}).length;
	});
}

/** New, paste the pipeline's JSON into the canvas, Esc, F. */
async function loadPipeline(page: Page, text: string, nodes: number): Promise<void> {
	await page.getByTestId('new-button').click();
	await page.getByTestId('empty-hint').waitFor();
	await page.evaluate((t) => navigator.clipboard.writeText(t), text);
	await page.locator('.svelte-flow__pane').click({ position: { x: 8, y: 8 } });
	await page.keyboard.press('ControlOrMeta+V');
	await page.waitForFunction(
		(n) => document.querySelectorAll('[data-testid="node-card"]').length === n,
		nodes,
		{ timeout: 30_000 }
	);
	await page.keyboard.press('Escape');
	await page.keyboard.press('f');
	await sleep(SETTLE_MS);
}

export interface Gesture {
	stats: FrameStats;
	/** Input events the page took during the gesture (one a 60 Hz tick at most). */
	inputs: number;
}

/** Drags the empty pane in a figure eight for GESTURE_MS. */
async function pan(page: Page): Promise<Gesture> {
	const start = await emptyPanePoint(page);
	await page.mouse.move(start.x, start.y);
	await page.mouse.down();
	await startFrames(page);
	const inputs = await paced(GESTURE_MS, async (t) => {
		const a = (2 * Math.PI * t) / 1500;
		await page.mouse.move(
			start.x + PAN_RADIUS * Math.sin(a),
			start.y + 0.6 * PAN_RADIUS * Math.sin(2 * a)
		);
	});
	const stats = frameStats(await stopFrames(page));
	await page.mouse.up();
	return checked('pan', { stats, inputs });
}

/**
 * Wheel steps at the canvas's centre for GESTURE_MS: WHEEL_RUN steps in, as many out, again
 * (a few hundred per cent each way, well inside the canvas's zoom limits, so no step is lost
 * to a clamp however fast the machine takes them).
 */
async function zoom(page: Page): Promise<Gesture> {
	const centre = await canvasCentre(page);
	await page.mouse.move(centre.x, centre.y);
	await startFrames(page);
	const inputs = await paced(GESTURE_MS, async (_t, i) => {
		const zoomIn = Math.floor(i / WHEEL_RUN) % 2 === 0;
		await page.mouse.wheel(0, zoomIn ? -WHEEL_DELTA : WHEEL_DELTA);
	});
	return checked('zoom', { stats: frameStats(await stopFrames(page)), inputs });
}

/**
 * A gesture that hardly moved the viewport measured nothing: each frame after an input event
 * should show a moved viewport (several events in one frame count once).
 */
function checked(name: string, gesture: Gesture): Gesture {
	const { moves, frames } = gesture.stats;
	const expected = Math.min(gesture.inputs, frames);
	if (moves < expected / 2) {
		throw new Error(
			`${name}: the viewport moved in only ${moves} of ${frames} frames (${gesture.inputs} inputs)`
		);
	}
	return gesture;
}

export async function panZoom(browser: Browser, url: string): Promise<PanZoom> {
	const text = readFileSync(FIXTURE, 'utf8');
	const documentNodes = (JSON.parse(text) as { nodes: unknown[] }).nodes.length;
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	try {
		await context.grantPermissions(['clipboard-read', 'clipboard-write']);
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(`${url}/`);
		await page.getByTestId('preview-row').first().waitFor({ timeout: 20_000 });
		await sleep(SETTLE_MS);
		const controlNodes = await page.locator('.svelte-flow__node').count();
		const control = await pan(page);
		await loadPipeline(page, text, documentNodes);

		await startFrames(page);
		await sleep(1000);
		const idle = frameStats(await stopFrames(page));

		const rendered = await page.locator('.svelte-flow__node').count();
		const inView = await nodesInView(page);
		const panned = await pan(page);
		await page.keyboard.press('f');
		await sleep(500);
		const zoomed = await zoom(page);
		if (errors.length > 0) throw new Error(`page errors during pan/zoom: ${errors.join('; ')}`);
		return {
			pan: panned,
			zoom: zoomed,
			idle,
			control,
			controlNodes,
			rendered,
			inView,
			documentNodes
		};
	} finally {
		await context.close();
	}
}
