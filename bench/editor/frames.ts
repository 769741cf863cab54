// Frame times as the page sees them: a requestAnimationFrame loop in the page records each
// frame's timestamp; the intervals between them are the frame times. A frame "dropped" is an
// interval over 1.5 × one 60 Hz frame (25 ms), i.e. at least one vsync was missed. The loop
// also counts frames in which the canvas viewport moved, so a gesture that did nothing shows.
import type { Page } from '@playwright/test';

export const FRAME_MS = 1000 / 60;
export const DROPPED_OVER_MS = 1.5 * FRAME_MS;

declare global {
	interface Window {
		__benchFrames?: { stamps: number[]; on: boolean; moves: number };
	}
}

/**
 * The in-page recorder, as source text: a function passed to page.evaluate would be run
 * through tsx, whose name-keeping wraps inner functions in a `__name` helper the page lacks.
 */
const RECORDER = `(() => {
	if (window.__benchFrames) window.__benchFrames.on = false;
	const rec = { stamps: [], on: true, moves: 0 };
	window.__benchFrames = rec;
	const viewport = document.querySelector('.svelte-flow__viewport');
	let last = viewport ? viewport.style.transform : undefined;
	const tick = (t) => {
		if (!rec.on) return;
		rec.stamps.push(t);
		const now = viewport ? viewport.style.transform : undefined;
		if (now !== last) rec.moves++;
		last = now;
		requestAnimationFrame(tick);
	};
	requestAnimationFrame(tick);
})()`;

/** Starts recording rAF timestamps in the page (replacing any earlier recording). */
export async function startFrames(page: Page): Promise<void> {
	await page.evaluate(RECORDER);
}

export interface Recording {
	/** Intervals between consecutive frames, ms. */
	intervals: number[];
	/** Frames in which the canvas viewport's transform had changed (it panned or zoomed). */
	moves: number;
}

/** Stops recording. */
export async function stopFrames(page: Page): Promise<Recording> {
	const { stamps, moves } = await page.evaluate(() => {
		const rec = window.__benchFrames!;
		rec.on = false;
		return { stamps: rec.stamps, moves: rec.moves };
	});
	return { intervals: stamps.slice(1).map((t, i) => t - stamps[i]), moves };
}

export interface FrameStats {
	frames: number;
	/** Frames in which the viewport moved. */
	moves: number;
	p50: number;
	p95: number;
	max: number;
	/** Share of intervals over DROPPED_OVER_MS, 0..1. */
	dropped: number;
	/** Frames in which the viewport moved, per second of recording. */
	movesPerSecond: number;
}

function quantile(sorted: readonly number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function frameStats({ intervals, moves }: Recording): FrameStats {
	if (intervals.length === 0) throw new RangeError('intervals must not be empty');
	const sorted = [...intervals].sort((a, b) => a - b);
	return {
		frames: intervals.length,
		moves,
		p50: quantile(sorted, 0.5),
		p95: quantile(sorted, 0.95),
		max: sorted[sorted.length - 1],
		dropped: intervals.filter((ms) => ms > DROPPED_OVER_MS).length / intervals.length,
		movesPerSecond: moves / (intervals.reduce((a, b) => a + b, 0) / 1000)
	};
}
