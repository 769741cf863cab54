import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chain, SEC, snapshotAt } from '../lib/runtime/metrics/fixtures.spec-support';
import { computeRates, type Rates } from '../lib/runtime/metrics/rates';
import { LIVE_MS, LIVE_PLAIN_MS, renderLiveTable, startLive } from './live';

const topology = chain(['source', 'slow', 'sink']);

/** One second of a source → slow → sink run: 50,000 rows/s, the edge into 'slow' 92% blocked. */
function rates(): Rates {
	return computeRates(
		snapshotAt(0, { edges: [{}, {}], stages: [{}, {}, {}] }),
		snapshotAt(SEC, {
			edges: [
				{ rows: 50_000, bytes: 2.5e6, producerBlockedNs: 0.92 * SEC, occupancy: 8, capacity: 8 },
				{ rows: 50_000, bytes: 2.5e6, producerBlockedNs: 0.01 * SEC, occupancy: 0, capacity: 8 }
			],
			stages: [
				{ busyNs: 0.08 * SEC, backpressuredNs: 0.92 * SEC },
				{ busyNs: 0.99 * SEC, idleNs: 0.01 * SEC },
				{ busyNs: 0.1 * SEC, idleNs: 0.9 * SEC }
			]
		}),
		topology
	);
}

describe('the live table', () => {
	it('shows each edge’s rows/s, MB/s, fill and backpressure level, each stage’s ms per second, then the bottleneck', () => {
		expect(renderLiveTable(rates(), topology, 'heading')).toEqual([
			'heading',
			'edge           rows/s  MB/s  fill  backpressure',
			'─────────────  ──────  ────  ────  ────────────',
			'source → slow  50,000  2.50  100%  HIGH  92%',
			'slow → sink    50,000  2.50    0%  OK     1%',
			'stage   busy ms/s  idle  backpr.  rows in/s',
			'──────  ─────────  ────  ───────  ─────────',
			'source         80     0      920          0',
			'slow          990    10        0          0',
			'sink          100   900        0          0',
			"bottleneck: slow — 'slow' was busy 99% of the time while its input 'source → slow' was " +
				'backpressured 92% and its output is not (1%).'
		]);
	});

	it('shows parallel instances as one stage line, ×N, with their mean and max', () => {
		const parallel = { ...chain(['source', 'slow', 'slow', 'sink']), stageInstances: [1, 2, 2, 1] };
		const window = computeRates(
			snapshotAt(0, { edges: [{}, {}, {}], stages: [{}, {}, {}, {}] }),
			snapshotAt(SEC, {
				edges: [{}, {}, {}],
				stages: [
					{ busyNs: 0.1 * SEC, backpressuredNs: 0.9 * SEC },
					{ busyNs: 0.9 * SEC, idleNs: 0.1 * SEC, rowsIn: 3000 },
					// A long call accounted in a short window: scaled to 1000 ms per second.
					{ busyNs: 1.2 * SEC, idleNs: 0.4 * SEC, rowsIn: 1000 },
					{ idleNs: SEC }
				]
			}),
			parallel
		);
		const lines = renderLiveTable(window, parallel, 'heading');
		const stageLines = lines.filter((l) => l.startsWith('slow ') && !l.includes('→'));
		expect(stageLines).toHaveLength(1);
		expect(stageLines[0].split(/\s{2,}/)).toEqual([
			'slow ×2',
			'825 (max 900)',
			'175 (max 250)',
			'0 (max 0)',
			'4,000'
		]);
	});

	it('says there is no bottleneck when nothing is backpressured', () => {
		const calm = computeRates(
			snapshotAt(0, { edges: [{}, {}], stages: [{}, {}, {}] }),
			snapshotAt(SEC, { edges: [{ rows: 10 }, { rows: 10 }], stages: [{}, {}, {}] }),
			topology
		);
		const lines = renderLiveTable(calm, topology);
		expect(lines[0]).toBe('last 1.00 s');
		expect(lines.at(-1)).toBe('bottleneck: none (no edge is backpressured)');
	});
});

describe('startLive', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	const sampler = () => ({ sample: () => rates() });

	it('redraws in place on a terminal: cursor up over the last table, clear, draw', () => {
		const written: string[] = [];
		const stop = startLive(
			{ isTTY: true, write: (t) => written.push(t) > 0 },
			sampler(),
			topology,
			() => 'run'
		);
		vi.advanceTimersByTime(LIVE_MS);
		vi.advanceTimersByTime(LIVE_MS);
		stop();
		vi.advanceTimersByTime(LIVE_MS * 3);
		expect(written).toHaveLength(2);
		expect(written[0].startsWith('run\n')).toBe(true);
		// Eleven lines drawn before: up eleven lines, clear to the end of the screen.
		expect(written[1].startsWith('\x1b[11F\x1b[J')).toBe(true);
	});

	it('prints a plain new table every few seconds elsewhere, with no escape codes', () => {
		const written: string[] = [];
		const stop = startLive(
			{ isTTY: false, write: (t) => written.push(t) > 0 },
			sampler(),
			topology,
			() => 'run'
		);
		vi.advanceTimersByTime(LIVE_MS);
		expect(written).toHaveLength(0);
		vi.advanceTimersByTime(LIVE_PLAIN_MS);
		stop();
		expect(written).toHaveLength(1);
		expect(written[0]).not.toContain('\x1b');
		expect(written[0]).toContain('source → slow');
	});
});
