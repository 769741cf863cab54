import { describe, expect, it } from 'vitest';
import { explainBottleneck } from './bottleneck';
import type { MetricsSnapshot } from './counters';
import { chain, SEC, snapshotAt } from './fixtures.spec-support';
import { computeRates } from './rates';
import { buildRunMetricsReport, validateRunMetricsReport } from './report';
import { Sampler } from './sampler';

const topology = chain(['source', 'slow', 'sink']);

/** Counters of a source → slow → sink run `k` seconds in: every second adds the same amounts. */
function at(k: number): MetricsSnapshot {
	const s = k * SEC;
	return snapshotAt(5 * SEC + s, {
		edges: [
			{
				rows: 1000 * k,
				bytes: 8000 * k,
				batches: 10 * k,
				producerBlockedNs: 0.9 * s,
				occupancy: 6,
				capacity: 8
			},
			{
				rows: 1000 * k,
				bytes: 8000 * k,
				batches: 10 * k,
				producerBlockedNs: 0.02 * s,
				consumerWaitNs: 0.8 * s,
				occupancy: 1,
				capacity: 8
			}
		],
		stages: [
			{ busyNs: 0.1 * s, backpressuredNs: 0.9 * s, rowsOut: 1000 * k },
			{ busyNs: 0.98 * s, idleNs: 0.02 * s, rowsIn: 1000 * k, rowsOut: 1000 * k },
			{ busyNs: 0.2 * s, idleNs: 0.8 * s, rowsIn: 1000 * k }
		],
		workers: [
			{
				heapUsedBytes: 1e6 * (k + 1),
				outsidePoolBytes: 1000 * k,
				batches: 20 * k,
				poolHits: 18 * k,
				poolMisses: 2 * k,
				gcPauseNs: 2e6 * k,
				gcCount: k,
				reported: k > 0 ? 3 : 0
			}
		]
	});
}

/** A sampler that has seen the snapshots at 0, 1 and 2 s. */
function sampled(): Sampler {
	const snaps = [at(0), at(1), at(2)];
	let i = 0;
	const sampler = new Sampler({ snapshot: () => snaps[i++] }, topology);
	for (let k = 0; k < snaps.length; k++) sampler.sample();
	return sampler;
}

const report = () =>
	buildRunMetricsReport({
		sampler: sampled(),
		topology,
		first: at(0),
		last: at(2),
		startedAt: new Date('2026-01-02T03:04:05.000Z'),
		durationMs: 2000,
		status: 'done',
		pipeline: 'slow demo',
		stageNodes: [['gen'], ['slow'], ['tbl']],
		stageInstances: [1, 1, 1]
	});

describe('buildRunMetricsReport', () => {
	it('totals each edge from the first to the last counters', () => {
		const r = report();
		expect(r.format).toBe('sluice-metrics');
		expect(r.version).toBe(1);
		expect(r.startedAt).toBe('2026-01-02T03:04:05.000Z');
		expect(r.edges[0]).toMatchObject({
			index: 0,
			name: 'source → slow',
			from: 0,
			to: 1,
			totals: { rows: 2000, bytes: 16000, batches: 20, producerBlockedMs: 1800, consumerWaitMs: 0 },
			peak: { backpressure: 0.9, fill: 0.75 }
		});
		expect(r.edges[1].totals.consumerWaitMs).toBe(1600);
	});

	it('gives each edge a series in ms since the start: 1000 rows/s, 8000 B/s, 90% backpressure', () => {
		expect(report().edges[0].series).toEqual({
			t: [1000, 2000],
			rowsPerSec: [1000, 1000],
			bytesPerSec: [8000, 8000],
			fill: [0.75, 0.75],
			backpressure: [0.9, 0.9]
		});
	});

	it('splits each stage second into busy + idle + backpressured ≈ 1000 ms', () => {
		const r = report();
		expect(r.stages[1]).toMatchObject({
			name: 'slow',
			nodes: ['slow'],
			instances: 1,
			totals: { busyMs: 1960, idleMs: 40, backpressuredMs: 0, rowsIn: 2000, rowsOut: 2000 }
		});
		expect(r.stages[1].series.busyRatio).toEqual([0.98, 0.98]);
		for (const stage of r.stages) {
			stage.series.t.forEach((_, k) => {
				const s = stage.series;
				const sum = s.busyMsPerSec[k] + s.idleMsPerSec[k] + s.backpressuredMsPerSec[k];
				expect(sum).toBeCloseTo(1000, 6);
			});
		}
		expect(r.stages[0].series.backpressuredMsPerSec).toEqual([900, 900]);
	});

	it('reports per worker heap over time, outside-pool bytes per batch, hit rate and GC', () => {
		const w = report().workers[0];
		expect(w.heapReported).toBe(true);
		expect(w.gcReported).toBe(true);
		expect(w.totals).toEqual({
			outsidePoolBytes: 2000,
			batches: 40,
			poolHits: 36,
			poolMisses: 4,
			gcPauseMs: 4,
			gcCount: 2
		});
		expect(w.series).toEqual({
			t: [1000, 2000],
			heapUsedBytes: [2e6, 3e6],
			outsidePoolBytesPerBatch: [50, 50],
			poolHitRate: [0.9, 0.9],
			gcPauseMsPerSec: [2, 2]
		});
	});

	it('names the slow stage as the bottleneck in one sentence with its figures', () => {
		expect(report().bottleneck).toEqual({
			stage: 1,
			name: 'slow',
			reason:
				"'slow' was busy 98% of the time while its input 'source → slow' was backpressured " +
				'90% and its output is not (2%).'
		});
	});

	it('has no bottleneck when nothing is backpressured', () => {
		const calm = (k: number) => {
			const s = at(k);
			for (const e of s.edges) e.producerBlockedNs = 0;
			return s;
		};
		const r = buildRunMetricsReport({
			sampler: { history: () => [] },
			topology,
			first: calm(0),
			last: calm(2),
			startedAt: new Date(0),
			durationMs: 2000,
			status: 'done'
		});
		expect(r.bottleneck).toBeNull();
		expect(r.pipeline).toBeUndefined();
		expect(r.edges[0].series.t).toEqual([]);
	});
});

describe('explainBottleneck', () => {
	it('gives the same sentence the live rates carry', () => {
		const rates = computeRates(at(0), at(1), topology);
		expect(rates.bottleneck).not.toBeNull();
		expect(explainBottleneck(rates.bottleneck!, rates, topology)).toBe(rates.bottleneck!.reason);
	});

	it('explains a stage that is no longer picked from its figures in this window', () => {
		const rates = computeRates(at(0), at(1), topology);
		expect(explainBottleneck({ stage: 2 }, rates, topology)).toBe(
			"'sink' was busy 20% of the time while its input 'slow → sink' was backpressured 2% " +
				'and it has no outputs to wait for.'
		);
	});
});

describe('validateRunMetricsReport', () => {
	it('accepts a report that went through JSON', () => {
		const json = JSON.parse(JSON.stringify(report()));
		const checked = validateRunMetricsReport(json);
		expect(checked.ok).toBe(true);
		if (checked.ok) expect(checked.report).toEqual(report());
	});

	it('refuses another format and names missing fields by path', () => {
		const json = JSON.parse(JSON.stringify(report()));
		json.format = 'other';
		delete json.edges[0].totals.rows;
		const checked = validateRunMetricsReport(json);
		expect(checked.ok).toBe(false);
		if (!checked.ok) {
			expect(checked.problems.some((p) => p.startsWith('format:'))).toBe(true);
			expect(checked.problems.some((p) => p.startsWith('edges.0.totals.rows:'))).toBe(true);
		}
	});
});
