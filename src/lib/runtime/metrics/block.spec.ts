import { describe, expect, it } from 'vitest';
import { REPORTED } from './worker-probe';
import { MetricsBlock, metricsByteLength, nowNs, type MetricsSnapshot } from './block';

const LAYOUT = { edges: 2, stages: 3, workers: 2 };

function allZero(s: MetricsSnapshot): boolean {
	return [...s.edges, ...s.stages, ...s.workers].every((c) =>
		Object.values(c).every((v) => v === 0)
	);
}

describe('MetricsBlock writers', () => {
	it('adds each push to its edge: batches by one, rows and bytes by the batch', () => {
		const block = MetricsBlock.create(LAYOUT);
		block.edgeBatch(1, 100, 4096);
		block.edgeBatch(1, 50, 2048);
		block.edgeProducerBlocked(1, 1500);
		block.edgeProducerBlocked(1, 500);
		block.edgeConsumerWaiting(1, 700);
		block.edgeOccupancy(1, 3, 8);
		const s = block.snapshot();
		expect(s.edges[1]).toEqual({
			batches: 2,
			rows: 150,
			bytes: 6144,
			producerBlockedNs: 2000,
			consumerWaitNs: 700,
			occupancy: 3,
			capacity: 8
		});
		expect(Object.values(s.edges[0]).every((v) => v === 0)).toBe(true);
	});

	it('adds stage time deltas and keeps the largest running totals of rows', () => {
		const block = MetricsBlock.create(LAYOUT);
		block.stageTime(2, 600, 300, 100);
		block.stageTime(2, 400, 0, 200);
		block.stageRows(2, 10, 1000, 5, 500);
		block.stageRows(2, 12, 1200, 6, 600);
		// A stale, smaller total (say, from a retried report) must not make a counter go back.
		block.stageRows(2, 11, 1100, 5, 550);
		expect(block.snapshot().stages[2]).toEqual({
			busyNs: 1000,
			idleNs: 300,
			backpressuredNs: 300,
			batchesIn: 12,
			rowsIn: 1200,
			batchesOut: 6,
			rowsOut: 600,
			bytesRead: 0,
			bytesTotal: 0
		});
	});

	it("keeps a source's bytes read as a running total and its bytes to read as a gauge", () => {
		const block = MetricsBlock.create(LAYOUT);
		block.stageBytes(1, 65_536, -1);
		expect(block.snapshot().stages[1]).toMatchObject({ bytesRead: 65_536, bytesTotal: -1 });
		// The Content-Length arrived: the total becomes known; a stale smaller read is ignored.
		block.stageBytes(1, 131_072, 1_000_000);
		block.stageBytes(1, 100_000, 1_000_000);
		expect(block.snapshot().stages[1]).toMatchObject({ bytesRead: 131_072, bytesTotal: 1e6 });
		// NaN, negatives other than -1 and absurd values change nothing.
		block.stageBytes(1, NaN, -2);
		block.stageBytes(1, 1e300, Infinity);
		expect(block.snapshot().stages[1]).toMatchObject({ bytesRead: 131_072, bytesTotal: 1e6 });
		// Stage time and rows share the record but not the line: neither disturbs the other.
		block.stageRows(1, 1, 10, 1, 10);
		expect(block.snapshot().stages[1]).toMatchObject({ rowsOut: 10, bytesRead: 131_072 });
		expect(block.snapshot().stages[0]).toMatchObject({ bytesRead: 0, bytesTotal: 0 });
	});

	it('stores the heap as a gauge and worker totals as running totals', () => {
		const block = MetricsBlock.create(LAYOUT);
		block.workerHeap(1, 9e6, 100, 2e6, 1);
		block.workerHeap(1, 4e6, 300, 5e6, 3, REPORTED.HEAP | REPORTED.GC);
		block.workerAllocations(1, 10, 8, 2);
		expect(block.snapshot().workers[1]).toEqual({
			heapUsedBytes: 4e6,
			outsidePoolBytes: 300,
			gcPauseNs: 5e6,
			gcCount: 3,
			poolHits: 8,
			poolMisses: 2,
			batches: 10,
			reported: 3
		});
		// What the platform reports is a gauge too: a browser worker says neither.
		block.workerHeap(1, 0, 0, 0, 0, 0);
		expect(block.snapshot().workers[1].reported).toBe(0);
	});

	it('ignores NaN, negative and infinite values without throwing', () => {
		const block = MetricsBlock.create(LAYOUT);
		for (const bad of [NaN, -1, Infinity, -Infinity]) {
			block.edgeBatch(0, bad, bad);
			block.edgeProducerBlocked(0, bad);
			block.edgeConsumerWaiting(0, bad);
			block.edgeOccupancy(0, bad, 8);
			block.stageTime(0, bad, bad, bad);
			block.stageRows(0, bad, bad, bad, bad);
			block.workerHeap(0, bad, bad, bad, bad);
			block.workerAllocations(0, bad, bad, bad);
		}
		const s = block.snapshot();
		expect(s.edges[0].batches).toBe(4);
		expect({ ...s.edges[0], batches: 0 }).toEqual({ ...block.snapshot().edges[1] });
		expect(allZero({ ...s, edges: [] })).toBe(true);
	});

	it('ignores indices outside the layout and leaves every neighbour untouched', () => {
		const block = MetricsBlock.create(LAYOUT);
		for (const bad of [2, -1, 1.5, NaN, 2 ** 32]) {
			block.edgeBatch(bad, 1, 1);
			block.edgeConsumerWaiting(bad, 1);
			block.stageTime(bad === 2 ? 3 : bad, 1, 1, 1);
			block.workerHeap(bad, 1, 1, 1, 1);
		}
		expect(allZero(block.snapshot())).toBe(true);
	});

	it('leaves every counter at zero while disabled, and counts again once re-enabled', () => {
		const block = MetricsBlock.create(LAYOUT);
		block.setEnabled(false);
		expect(block.enabled()).toBe(false);
		block.edgeBatch(0, 100, 100);
		block.edgeProducerBlocked(0, 5);
		block.edgeConsumerWaiting(0, 5);
		block.edgeOccupancy(0, 1, 2);
		block.stageTime(0, 1, 1, 1);
		block.stageRows(0, 1, 1, 1, 1);
		block.workerHeap(0, 1, 1, 1, 1);
		block.workerAllocations(0, 1, 1, 1);
		expect(allZero(block.snapshot())).toBe(true);
		block.setEnabled(true);
		block.edgeBatch(0, 100, 100);
		expect(block.snapshot().edges[0].rows).toBe(100);
	});
});

describe('MetricsBlock sharing', () => {
	it('shows counters written through an attached view, and shares the enabled switch', () => {
		const owner = MetricsBlock.create(LAYOUT);
		const view = MetricsBlock.attach(structuredClone(owner.descriptor));
		view.edgeBatch(0, 7, 70);
		expect(owner.snapshot().edges[0].rows).toBe(7);
		owner.setEnabled(false);
		expect(view.enabled()).toBe(false);
		view.edgeBatch(0, 7, 70);
		expect(owner.snapshot().edges[0].rows).toBe(7);
	});

	it('refuses a descriptor whose buffer or layout does not match, naming the option', () => {
		const owner = MetricsBlock.create(LAYOUT);
		const { sab } = owner.descriptor;
		expect(() => MetricsBlock.attach({ sab, layout: { ...LAYOUT, edges: 3 } })).toThrow(
			/descriptor\.sab must be \d+ bytes/
		);
		// Same byte size, different split: an edge and a stage both take 16 slots.
		expect(() => MetricsBlock.attach({ sab, layout: { edges: 3, stages: 2, workers: 2 } })).toThrow(
			TypeError
		);
		const plain = new ArrayBuffer(8) as unknown as SharedArrayBuffer;
		expect(() => MetricsBlock.attach({ sab: plain, layout: LAYOUT })).toThrow(TypeError);
		const blank = new SharedArrayBuffer(metricsByteLength(LAYOUT));
		expect(() => MetricsBlock.attach({ sab: blank, layout: LAYOUT })).toThrow(/layout must match/);
	});

	it('refuses a layout that is not a small non-negative integer count', () => {
		expect(() => MetricsBlock.create({ ...LAYOUT, stages: -1 })).toThrow(RangeError);
		expect(() => MetricsBlock.create({ ...LAYOUT, workers: 1.5 })).toThrow(/layout\.workers/);
		expect(() => MetricsBlock.create({ ...LAYOUT, edges: 1e9 })).toThrow(/layout\.edges/);
	});

	it('keeps producer and consumer counters of an edge on separate 64-byte lines', () => {
		expect(metricsByteLength({ edges: 1, stages: 0, workers: 0 })).toBe(64 + 128);
		expect(metricsByteLength({ edges: 0, stages: 1, workers: 1 })).toBe(64 + 128 + 64);
	});
});

describe('MetricsBlock.snapshot', () => {
	it('reuses the target it is given and fits its lists to the layout', () => {
		const block = MetricsBlock.create(LAYOUT);
		const target: MetricsSnapshot = { t: 0, edges: [], stages: [], workers: [] };
		block.edgeBatch(0, 1, 1);
		const first = block.snapshot(target);
		const edge0 = first.edges[0];
		block.edgeBatch(0, 1, 1);
		const second = block.snapshot(target);
		expect(second).toBe(target);
		expect(second.edges[0]).toBe(edge0);
		expect(edge0.batches).toBe(2);
		expect([target.edges.length, target.stages.length, target.workers.length]).toEqual([2, 3, 2]);
		expect(second.t).toBeGreaterThanOrEqual(0);
	});

	it('is plain numbers that survive JSON and structured cloning', () => {
		const block = MetricsBlock.create(LAYOUT);
		block.edgeBatch(1, 3, 30);
		block.stageTime(0, 5, 6, 7);
		block.workerHeap(1, 1e6, 0, 0, 0);
		const s = block.snapshot();
		expect(JSON.parse(JSON.stringify(s))).toEqual(s);
		expect(structuredClone(s)).toEqual(s);
	});

	it('stamps t from a monotonic nanosecond clock', () => {
		const before = performance.now() * 1e6;
		const a = MetricsBlock.create(LAYOUT).snapshot().t;
		const b = nowNs();
		expect(a).toBeGreaterThanOrEqual(before);
		expect(b).toBeGreaterThanOrEqual(a);
		expect(b).toBeLessThanOrEqual(performance.now() * 1e6);
	});
});
