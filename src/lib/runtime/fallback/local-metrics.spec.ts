import { describe, expect, it } from 'vitest';
import { Sampler } from '../metrics/sampler';
import { LocalMetrics, MergedMetrics } from './local-metrics';

const layout = { edges: 1, stages: 2, workers: 2 };

describe('fallback metrics', () => {
	it('merges each worker’s latest snapshot into the counters its owner wrote', () => {
		// Worker 0 hosts stage 0 and produces edge 0; worker 1 hosts stage 1 and consumes it.
		const w0 = new LocalMetrics(layout);
		const w1 = new LocalMetrics(layout);
		w0.edgeBatch(0, 100, 400);
		w0.edgeBatch(0, 50, 200);
		w0.edgeOccupancy(0, 3, 8);
		w0.stageTime(0, 10, 0, 5);
		w0.stageRows(0, 0, 0, 2, 150);
		w1.edgeConsumerWaiting(0, 7);
		w1.stageTime(1, 4, 6, 0);
		w1.stageRows(1, 2, 150, 0, 0);
		w1.workerHeap(1, 1000, 0, 0, 0);
		const merged = new MergedMetrics(layout);
		merged.update(0, structuredClone(w0.counters));
		merged.update(1, structuredClone(w1.counters));
		const s = merged.snapshot();
		expect(s.edges[0]).toEqual({
			batches: 2,
			rows: 150,
			bytes: 600,
			producerBlockedNs: 0,
			consumerWaitNs: 7,
			occupancy: 3,
			capacity: 8
		});
		expect(s.stages[1]).toMatchObject({ busyNs: 4, idleNs: 6, rowsIn: 150 });
		expect(s.workers[1].heapUsedBytes).toBe(1000);
		// A newer post replaces the worker's older one instead of adding to it.
		w0.edgeBatch(0, 10, 40);
		merged.update(0, structuredClone(w0.counters));
		expect(merged.snapshot().edges[0].rows).toBe(160);
	});

	it('ignores bad values and snapshots that do not fit the layout', () => {
		const w = new LocalMetrics(layout);
		w.edgeBatch(0, Number.NaN, -5);
		w.stageTime(0, -1, Infinity, Number.NaN);
		w.stageRows(0, 5, 5, 5, 5);
		w.stageRows(0, 1, 1, 1, 1);
		w.edgeBatch(9, 1, 1);
		expect(w.counters.edges[0]).toMatchObject({ batches: 1, rows: 0, bytes: 0 });
		expect(w.counters.stages[0]).toMatchObject({ busyNs: 0, idleNs: 0, rowsIn: 5 });
		const merged = new MergedMetrics(layout);
		merged.update(0, { t: 0, edges: [], stages: [], workers: [] });
		expect(merged.snapshot().edges[0].batches).toBe(0);
	});

	it('feeds a Sampler, which turns two merged snapshots into rates', async () => {
		const w = new LocalMetrics(layout);
		const merged = new MergedMetrics(layout);
		const topology = {
			edges: [{ from: 0, to: 1, capacity: 8 }],
			stageNames: ['a', 'b'],
			edgeNames: ['a → b']
		};
		const sampler = new Sampler(merged, topology);
		expect(sampler.sample()).toBeNull();
		w.edgeBatch(0, 1000, 4000);
		merged.update(0, structuredClone(w.counters));
		await new Promise((r) => setTimeout(r, 5));
		const rates = sampler.sample();
		expect(rates?.edges[0].rowsPerSec).toBeGreaterThan(0);
	});
});
