// The whole run's figures (run-figures.ts): the one summary every view of a finished run shows.
import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from './counters';
import { chain, SEC, snapshotAt } from './fixtures.spec-support';
import { computeRates } from './rates';
import { buildRunMetricsReport } from './report';
import { runFigures, spread } from './run-figures';

const topology = chain(['Generator', 'Slow', 'Derive → Group-by', 'Table']);

/**
 * A 10 s run: the generator was blocked 6 s on Slow's ring, Slow busy 9.5 s, the rest waited
 * on Slow. In its last second the generator had ended and nothing was blocked any more.
 */
const first = snapshotAt(0, {
	edges: [{}, {}, {}],
	stages: [{}, {}, {}, {}]
});
const ninth: MetricsSnapshot = snapshotAt(9 * SEC, {
	edges: [
		{ rows: 3e6, producerBlockedNs: 6 * SEC },
		{ rows: 2.7e6, consumerWaitNs: 0.5 * SEC },
		{ rows: 100, consumerWaitNs: 8 * SEC }
	],
	stages: [
		{ busyNs: 3 * SEC, backpressuredNs: 6 * SEC },
		{ busyNs: 8.6 * SEC, idleNs: 0.4 * SEC },
		{ busyNs: 0.5 * SEC, idleNs: 8.5 * SEC },
		{ busyNs: 0.01 * SEC, idleNs: 8.99 * SEC }
	]
});
const last: MetricsSnapshot = snapshotAt(10 * SEC, {
	edges: [
		{ rows: 3e6, producerBlockedNs: 6 * SEC },
		{ rows: 3e6, consumerWaitNs: 0.5 * SEC },
		{ rows: 100, consumerWaitNs: 8.2 * SEC }
	],
	stages: [
		{ busyNs: 3 * SEC, backpressuredNs: 6 * SEC, idleNs: 1 * SEC },
		{ busyNs: 9.5 * SEC, idleNs: 0.5 * SEC },
		// A long final kernel call accounted at once: 1.7 s of busy time in the last second.
		{ busyNs: 2.2 * SEC, idleNs: 8.5 * SEC },
		{ busyNs: 0.02 * SEC, idleNs: 9.98 * SEC }
	]
});

describe('runFigures', () => {
	it('names the stage that held the run back, where the last window sees no backpressure', () => {
		const tail = computeRates(ninth, last, topology);
		expect(tail.bottleneck).toBeNull();
		const { bottleneck, rates } = runFigures(first, last, topology);
		expect(bottleneck?.stage).toBe(1);
		expect(bottleneck?.name).toBe('Slow');
		expect(bottleneck?.reason).toMatch(/^'Slow' was busy 95% of the time while its input/);
		expect(rates.edges[0].level).toBe('HIGH');
	});

	it('gives every stage instance at most 1000 ms per second, where a window gives more', () => {
		expect(computeRates(ninth, last, topology).stages[2].busyMsPerSec).toBeGreaterThan(1000);
		const { rates } = runFigures(first, last, topology);
		for (const s of rates.stages) {
			expect(s.busyMsPerSec + s.idleMsPerSec + s.backpressuredMsPerSec).toBeLessThanOrEqual(1000);
		}
		// 10.7 s accounted in 10 s: scaled to 1000, keeping the split.
		expect(rates.stages[2].busyMsPerSec).toBeCloseTo((2.2 / 10.7) * 1000, 6);
	});

	it('is what the metrics report says', () => {
		const report = buildRunMetricsReport({
			sampler: { history: () => [] },
			topology,
			first,
			last,
			startedAt: new Date(0),
			durationMs: 10_000,
			status: 'done'
		});
		const { bottleneck } = runFigures(first, last, topology);
		expect(report.bottleneck).toEqual({
			stage: bottleneck!.stage,
			name: bottleneck!.name,
			reason: bottleneck!.reason
		});
	});

	it('still finds where a run of a few batches waited', () => {
		// 13 batches: the generator filled Slow's ring and waited 0.2 s of a 0.56 s run.
		const end = snapshotAt(0.56 * SEC, {
			edges: [{ rows: 200_000, batches: 13, producerBlockedNs: 0.2 * SEC }, {}, {}],
			stages: [
				{ busyNs: 0.05 * SEC, backpressuredNs: 0.2 * SEC, idleNs: 0.31 * SEC },
				{ busyNs: 0.52 * SEC, idleNs: 0.04 * SEC },
				{ busyNs: 0.01 * SEC, idleNs: 0.55 * SEC },
				{ idleNs: 0.56 * SEC }
			]
		});
		expect(runFigures(first, end, topology).bottleneck?.name).toBe('Slow');
	});

	it('shows parallel instances as their count, mean and max', () => {
		const { rates } = runFigures(first, last, topology);
		expect(spread(rates, [0, 1], (s) => s.busyMsPerSec)).toEqual({
			instances: 2,
			mean: (300 + 950) / 2,
			max: 950
		});
		expect(spread(rates, [], (s) => s.busyMsPerSec)).toEqual({ instances: 0, mean: 0, max: 0 });
	});
});
