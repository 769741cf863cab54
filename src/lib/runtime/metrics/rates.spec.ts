import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/prng';
import { chain, SEC, snapshotAt } from './fixtures.spec-support';
import { backpressureLevel, combineProgress, computeRates, type Rates } from './rates';
import { REPORTED } from './worker-probe';

const TWO = chain(['source', 'sink']);

/** Every number in `rates`, recursively (bottleneck reason strings and levels skipped). */
function numbersIn(value: unknown): number[] {
	if (typeof value === 'number') return [value];
	if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
	return [];
}

function blockedFor(ns: number): Rates {
	return computeRates(
		snapshotAt(0, { edges: [{}] }),
		snapshotAt(2 * SEC, { edges: [{ producerBlockedNs: ns }] }),
		TWO
	);
}

describe('edge rates', () => {
	it('turns 1000 batches of 100 rows over 2 s into 50 000 rows/s and 500 batches/s', () => {
		const rates = computeRates(
			snapshotAt(5 * SEC, { edges: [{ batches: 10, rows: 1000, bytes: 4096 }] }),
			snapshotAt(7 * SEC, {
				edges: [{ batches: 1010, rows: 101_000, bytes: 4096 + 1000 * 8192 }]
			}),
			TWO
		);
		expect(rates.windowMs).toBe(2000);
		expect(rates.edges[0].rowsPerSec).toBe(50_000);
		expect(rates.edges[0].batchesPerSec).toBe(500);
		expect(rates.edges[0].bytesPerSec).toBe(500 * 8192);
	});

	it('reports a producer blocked 1.5 s of 2 s as backpressure 0.75, HIGH', () => {
		const edge = blockedFor(1.5 * SEC).edges[0];
		expect(edge.backpressure).toBe(0.75);
		expect(edge.level).toBe('HIGH');
	});

	it('puts 0.1 in OK, 0.5 in LOW and 0.51 in HIGH', () => {
		expect(blockedFor(0.2 * SEC).edges[0]).toMatchObject({ backpressure: 0.1, level: 'OK' });
		expect(blockedFor(1 * SEC).edges[0]).toMatchObject({ backpressure: 0.5, level: 'LOW' });
		expect(blockedFor(1.02 * SEC).edges[0]).toMatchObject({ backpressure: 0.51, level: 'HIGH' });
		expect(blockedFor(0).edges[0].level).toBe('OK');
	});

	it('classifies ratios by the Flink levels, treating NaN as OK', () => {
		expect([0, 0.1, 0.1000001, 0.5, 0.5000001, 1, NaN].map(backpressureLevel)).toEqual([
			'OK',
			'OK',
			'LOW',
			'LOW',
			'HIGH',
			'HIGH',
			'OK'
		]);
	});

	it('caps backpressure at 1 when a wait reported late is longer than the window', () => {
		expect(blockedFor(3 * SEC).edges[0].backpressure).toBe(1);
	});

	it('reports the consumer waiting 0.5 s of 2 s as a wait ratio of 0.25', () => {
		const rates = computeRates(
			snapshotAt(0, { edges: [{}] }),
			snapshotAt(2 * SEC, { edges: [{ consumerWaitNs: 0.5 * SEC }] }),
			TWO
		);
		expect(rates.edges[0].consumerWaitRatio).toBe(0.25);
	});

	it('takes fill from the current ring sizes when given, else from the last reported occupancy', () => {
		const prev = snapshotAt(0, { edges: [{}] });
		const cur = snapshotAt(SEC, { edges: [{ occupancy: 2, capacity: 16 }] });
		expect(computeRates(prev, cur, chain(['a', 'b'], 8), [6]).edges[0].fill).toBe(0.75);
		expect(computeRates(prev, cur, chain(['a', 'b'], 8)).edges[0].fill).toBe(0.25);
		const unknownCapacity = { ...TWO, edges: [] };
		expect(computeRates(prev, cur, unknownCapacity).edges[0].fill).toBe(2 / 16);
		expect(computeRates(prev, cur, chain(['a', 'b'], 0), [3]).edges[0].fill).toBe(0);
	});
});

describe('stage rates', () => {
	it('splits 1.2 s busy, 0.5 s idle and 0.3 s backpressured over 2 s into 600, 250 and 150 ms/s', () => {
		const rates = computeRates(
			snapshotAt(0, { stages: [{ busyNs: 7 * SEC }] }),
			snapshotAt(2 * SEC, {
				stages: [
					{
						busyNs: 8.2 * SEC,
						idleNs: 0.5 * SEC,
						backpressuredNs: 0.3 * SEC,
						rowsIn: 40_000,
						rowsOut: 10_000,
						batchesIn: 400,
						batchesOut: 100
					}
				]
			}),
			TWO
		);
		const s = rates.stages[0];
		expect(s.busyMsPerSec).toBeCloseTo(600, 9);
		expect(s.idleMsPerSec).toBeCloseTo(250, 9);
		expect(s.backpressuredMsPerSec).toBeCloseTo(150, 9);
		expect(s.busyRatio).toBeCloseTo(0.6, 12);
		expect(s).toMatchObject({
			rowsInPerSec: 20_000,
			rowsOutPerSec: 5000,
			batchesInPerSec: 200,
			batchesOutPerSec: 50
		});
	});

	it('sums busy, idle and backpressured to 1000 ms/s whenever the host accounts all the time', () => {
		const rng = mulberry32(0x5eed);
		for (let i = 0; i < 200; i++) {
			const windowNs = rng.int(1, 5000) * 1e6;
			const busy = Math.floor(rng.next() * windowNs);
			const idle = Math.floor(rng.next() * (windowNs - busy));
			const start = rng.int(0, 1e6) * SEC;
			const rates = computeRates(
				snapshotAt(start, { stages: [{ busyNs: 1e12 }] }),
				snapshotAt(start + windowNs, {
					stages: [{ busyNs: 1e12 + busy, idleNs: idle, backpressuredNs: windowNs - busy - idle }]
				}),
				TWO
			);
			const s = rates.stages[0];
			const sum = s.busyMsPerSec + s.idleMsPerSec + s.backpressuredMsPerSec;
			expect(sum, `seed ${rng.seed}, case ${i}`).toBeCloseTo(1000, 6);
		}
	});

	it('keeps each of two stages sharing a worker at or below 1000 ms/s and rates busyRatio by accounted time', () => {
		// One worker, 1 s: stage 0 ran 300 ms, stage 1 ran 600 ms, both parked together for 100 ms.
		const rates = computeRates(
			snapshotAt(0, { stages: [{}, {}] }),
			snapshotAt(SEC, {
				stages: [
					{ busyNs: 0.3 * SEC, idleNs: 0.7 * SEC },
					{ busyNs: 0.6 * SEC, idleNs: 0.1 * SEC }
				]
			}),
			chain(['a', 'b'])
		);
		const sums = rates.stages.map((s) => s.busyMsPerSec + s.idleMsPerSec + s.backpressuredMsPerSec);
		expect(sums[0]).toBeCloseTo(1000, 9);
		expect(sums[1]).toBeCloseTo(700, 9);
		expect(rates.stages[1].busyRatio).toBeCloseTo(6 / 7, 12);
	});
});

describe('source progress', () => {
	it('shows a source that read 3 MB of 12 MB at progress 0.25, and a stage that reads no bytes as null', () => {
		const rates = computeRates(
			snapshotAt(0, { stages: [{}, {}] }),
			snapshotAt(SEC, { stages: [{ bytesRead: 3e6, bytesTotal: 12e6 }, { rowsIn: 10 }] }),
			TWO
		);
		expect(rates.stages[0]).toMatchObject({ bytesRead: 3e6, bytesTotal: 12e6, progress: 0.25 });
		expect(rates.stages[1]).toMatchObject({ bytesRead: 0, bytesTotal: 0, progress: null });
		expect(rates.bytes).toEqual({ bytesRead: 3e6, bytesTotal: 12e6, progress: 0.25 });
	});

	it('adds up the byte ranges of a split source so its instances read the whole file once', () => {
		// A 1000-byte file split over three instances: [0, 333), [333, 667), [667, 1000).
		const instances = [
			{ bytesRead: 333, bytesTotal: 333 },
			{ bytesRead: 100, bytesTotal: 334 },
			{ bytesRead: 0, bytesTotal: 333 }
		];
		expect(combineProgress(instances)).toEqual({
			bytesRead: 433,
			bytesTotal: 1000,
			progress: 0.433
		});
		const rates = computeRates(snapshotAt(0), snapshotAt(SEC, { stages: instances }), TWO);
		expect(rates.bytes.bytesTotal).toBe(1000);
	});

	it('leaves out instances that read nothing and have no share, and stages that read no bytes', () => {
		const got = combineProgress([
			{ bytesRead: 500, bytesTotal: 1000 },
			{ bytesRead: 0, bytesTotal: 0 },
			undefined
		]);
		expect(got).toEqual({ bytesRead: 500, bytesTotal: 1000, progress: 0.5 });
	});

	it('gives an unknown total (-1) and no progress when any part cannot know its size', () => {
		const got = combineProgress([
			{ bytesRead: 500, bytesTotal: 1000 },
			{ bytesRead: 2048, bytesTotal: -1 }
		]);
		expect(got).toEqual({ bytesRead: 2548, bytesTotal: -1, progress: null });
	});

	it('never reports progress above 1, even when a read overshoots a stale total', () => {
		expect(combineProgress([{ bytesRead: 1200, bytesTotal: 1000 }]).progress).toBe(1);
		expect(combineProgress([]).progress).toBeNull();
	});
});

describe('worker rates', () => {
	it('reports pool hit rate, outside-pool bytes per batch and GC pauses over the window', () => {
		const rates = computeRates(
			snapshotAt(0, { workers: [{ poolHits: 10, poolMisses: 10, batches: 5 }, {}] }),
			snapshotAt(SEC, {
				workers: [
					{
						heapUsedBytes: 5e6,
						outsidePoolBytes: 2000,
						gcPauseNs: 4e6,
						gcCount: 2,
						poolHits: 100,
						poolMisses: 20,
						batches: 105,
						reported: REPORTED.HEAP | REPORTED.GC
					},
					{ heapUsedBytes: 1e6 }
				]
			}),
			TWO
		);
		expect(rates.workers[0]).toEqual({
			heapUsedBytes: 5e6,
			heapReported: true,
			gcReported: true,
			outsidePoolBytesPerSec: 2000,
			outsidePoolBytesPerBatch: 20,
			poolHitRate: 0.9,
			gcPauseMsPerSec: 4,
			gcPerSec: 2
		});
		expect(rates.workers[1].poolHitRate).toBeNull();
		expect(rates.workers[1].heapReported).toBe(false);
		expect(rates.workers[1].gcReported).toBe(false);
		expect(rates.workers[1].outsidePoolBytesPerBatch).toBe(0);
	});
});

describe('degenerate windows', () => {
	const busyPrev = snapshotAt(SEC, {
		edges: [{ rows: 10, batches: 1, producerBlockedNs: 5 }],
		stages: [{ busyNs: 10 }],
		workers: [{ poolHits: 1, batches: 1 }]
	});
	const busyCur = (t: number) =>
		snapshotAt(t, {
			edges: [{ rows: 1000, batches: 10, producerBlockedNs: 500, consumerWaitNs: 9 }],
			stages: [{ busyNs: 1000, idleNs: 3, rowsIn: 5 }],
			workers: [{ poolHits: 9, outsidePoolBytes: 7, batches: 4, gcPauseNs: 1 }]
		});

	it('gives finite zero rates, not NaN or Infinity, when the clock did not advance', () => {
		for (const t of [SEC, SEC - 1, NaN, Infinity]) {
			const rates = computeRates(busyPrev, busyCur(t), TWO);
			expect(numbersIn(rates).every(Number.isFinite), `t = ${t}`).toBe(true);
			expect(rates.edges[0]).toMatchObject({ rowsPerSec: 0, backpressure: 0, level: 'OK' });
			expect(rates.stages[0].busyMsPerSec).toBe(0);
			expect(rates.bottleneck).toBeNull();
		}
	});

	it('treats a counter that went backwards or is not finite as no change', () => {
		const rates = computeRates(
			snapshotAt(0, { edges: [{ rows: 500, bytes: Infinity }], stages: [{ busyNs: NaN }] }),
			snapshotAt(SEC, { edges: [{ rows: 100, bytes: Infinity }], stages: [{ busyNs: 5 }] }),
			TWO
		);
		expect(rates.edges[0].rowsPerSec).toBe(0);
		expect(rates.edges[0].bytesPerSec).toBe(0);
		expect(rates.stages[0].busyMsPerSec).toBe(0);
		expect(numbersIn(rates).every(Number.isFinite)).toBe(true);
	});

	it('treats an edge or stage missing from the earlier snapshot as having no window yet', () => {
		const rates = computeRates(snapshotAt(0), busyCur(SEC), TWO);
		expect(rates.edges[0].rowsPerSec).toBe(0);
		expect(rates.stages[0].busyMsPerSec).toBe(0);
	});

	it('produces rates that survive JSON and structured cloning unchanged', () => {
		const rates = computeRates(busyPrev, busyCur(3 * SEC), TWO, [4]);
		expect(JSON.parse(JSON.stringify(rates))).toEqual(rates);
		expect(structuredClone(rates)).toEqual(rates);
	});
});
