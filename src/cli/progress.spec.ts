import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyStage, type MetricsSnapshot } from '../lib/runtime/metrics/counters';
import type { PhysicalPlan } from '../lib/runtime/scheduler/run';
import {
	PROGRESS_MS,
	bytesRead,
	progressText,
	rowsRead,
	sourceStages,
	startProgress
} from './progress';

const plan = {
	stages: [{}, {}, {}],
	rings: [
		{ from: { stage: 0, port: 0 }, to: { stage: 2, port: 0 } },
		{ from: { stage: 1, port: 0 }, to: { stage: 2, port: 1 } }
	]
} as unknown as PhysicalPlan;

function snapshot(rowsOut: number[]): MetricsSnapshot {
	return {
		t: 0,
		edges: [],
		workers: [],
		stages: rowsOut.map((r) => ({ ...emptyStage(), rowsOut: r }))
	};
}

describe('the progress line', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('counts rows out of the stages no ring feeds', () => {
		expect(sourceStages(plan)).toEqual([0, 1]);
		expect(rowsRead(snapshot([100, 20, 999]), [0, 1])).toBe(120);
	});

	it('reads rows, rows per second and elapsed time', () => {
		expect(progressText(1_500_000, 2000)).toBe('1,500,000 rows · 750,000 rows/s · 2.00 s');
		expect(progressText(0, 0)).toBe('0 rows · 0 rows/s · 0.00 s');
	});

	it('leads with the bytes the file sources read of their size, or what they read when unknown', () => {
		const stages = [
			{ ...emptyStage(), bytesRead: 12_300_000, bytesTotal: 100_000_000 },
			{ ...emptyStage(), bytesRead: 2_000_000, bytesTotal: 100_000_000 },
			emptyStage()
		];
		const snap: MetricsSnapshot = { t: 0, edges: [], workers: [], stages };
		const bytes = bytesRead(snap, [0, 1]);
		expect(progressText(10, 1000, bytes)).toBe(
			'14.3 MB / 200.0 MB (7%) · 10 rows · 10 rows/s · 1.00 s'
		);
		stages[1].bytesTotal = -1;
		expect(progressText(10, 1000, bytesRead(snap, [0, 1]))).toBe(
			'14.3 MB read · 10 rows · 10 rows/s · 1.00 s'
		);
		// A generator reads no bytes: the line is rows only.
		expect(progressText(10, 1000, bytesRead(snap, [2]))).toBe('10 rows · 10 rows/s · 1.00 s');
	});

	it('rewrites one terminal line every PROGRESS_MS and clears it when stopped', () => {
		const written: string[] = [];
		const stop = startProgress(
			{ isTTY: true, write: (t) => written.push(t) > 0 },
			() => snapshot([42, 0, 0]),
			[0]
		);
		vi.advanceTimersByTime(PROGRESS_MS * 3);
		expect(written).toHaveLength(3);
		const clear = '\r\x1b[K';
		for (const line of written) {
			expect(line.startsWith(clear)).toBe(true);
			expect(line.slice(clear.length)).toMatch(/^42 rows · [\d,]+ rows\/s · /);
		}
		stop();
		stop();
		expect(written.slice(3)).toEqual(['\r\x1b[K']);
		vi.advanceTimersByTime(PROGRESS_MS * 3);
		expect(written).toHaveLength(4);
	});

	it('draws nothing when the stream is not a terminal', () => {
		const written: string[] = [];
		const stop = startProgress({ write: (t) => written.push(t) > 0 }, () => snapshot([1]), [0]);
		vi.advanceTimersByTime(PROGRESS_MS * 4);
		stop();
		expect(written).toEqual([]);
	});
});
