// The whole run's figures (run-figures.ts): the one summary every view of a finished run shows.
import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from './counters';
import { chain, SEC, snapshotAt } from './fixtures.spec-support';
import { computeRates } from './rates';
import { buildRunMetricsReport } from './report';
import { runFigures, spread, stageGroups } from './run-figures';

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
		const { bottleneck, rates } = runFigures(first, last, topology);
		// The stage table too, line for line.
		expect(report.stageTable?.map((l) => [l.name, l.busyMsPerSec.mean])).toEqual(
			stageGroups(rates, topology).map((g) => [g.name, Math.round(g.busyMsPerSec.mean * 100) / 100])
		);
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

	it('folds parallel instances into one line (×N, mean and max), each within 1000 ms per second', () => {
		// Generator, Slow ×3 (one instance's window overran its second), Table.
		const parallel = {
			...chain(['Generator', 'Slow', 'Slow', 'Slow', 'Table']),
			stageInstances: [1, 3, 3, 3, 1]
		};
		const start = snapshotAt(0, { edges: [{}, {}, {}, {}], stages: [{}, {}, {}, {}, {}] });
		const end = snapshotAt(SEC, {
			edges: [{}, {}, {}, {}],
			stages: [
				{ busyNs: 0.2 * SEC, backpressuredNs: 0.8 * SEC },
				{ busyNs: 0.9 * SEC, idleNs: 0.1 * SEC, rowsIn: 100 },
				{ busyNs: 0.5 * SEC, idleNs: 0.5 * SEC, rowsIn: 50 },
				{ busyNs: 1.5 * SEC, idleNs: 0.5 * SEC, rowsIn: 150 },
				{ idleNs: SEC }
			]
		});
		const groups = stageGroups(computeRates(start, end, parallel), parallel);
		expect(groups.map((g) => [g.name, g.instances, g.stages])).toEqual([
			['Generator', 1, [0]],
			['Slow', 3, [1, 2, 3]],
			['Table', 1, [4]]
		]);
		const slow = groups[1];
		// The third instance's 2 s in a 1 s window is scaled to 750 + 250.
		expect(slow.busyMsPerSec.max).toBeCloseTo(900, 6);
		expect(slow.busyMsPerSec.mean).toBeCloseTo((900 + 500 + 750) / 3, 6);
		expect(slow.idleMsPerSec.max).toBeCloseTo(500, 6);
		expect(slow.rowsInPerSec).toBeCloseTo(300, 6);
		for (const g of groups) {
			const sum = g.busyMsPerSec.mean + g.idleMsPerSec.mean + g.backpressuredMsPerSec.mean;
			expect(sum).toBeLessThanOrEqual(1000);
			expect(g.busyMsPerSec.max).toBeLessThanOrEqual(1000);
		}
	});

	it('keeps a stage alone when no instance count is known', () => {
		const groups = stageGroups(runFigures(first, last, topology).rates, topology);
		expect(groups.map((g) => g.instances)).toEqual([1, 1, 1, 1]);
		expect(groups[1].busyMsPerSec).toEqual({ instances: 1, mean: 950, max: 950 });
	});
});
