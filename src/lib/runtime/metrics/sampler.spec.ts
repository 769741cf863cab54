import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from './counters';
import { chain, SEC, snapshotAt, type SnapshotParts } from './fixtures.spec-support';
import { HISTORY_MAX_SAMPLES, HISTORY_MS, Sampler } from './sampler';
import { MetricsBlock } from './block';

/** Stands in for a MetricsBlock: each snapshot is the next scripted one (t and counters). */
function scripted(frames: [number, SnapshotParts][]) {
	let i = 0;
	return {
		snapshot(into?: MetricsSnapshot): MetricsSnapshot {
			const frame = snapshotAt(...frames[Math.min(i++, frames.length - 1)]);
			return into ? Object.assign(into, frame) : frame;
		}
	};
}

const TOPOLOGY = chain(['source', 'sink'], 10);

describe('Sampler', () => {
	it('returns null on the first call and the rates of each window after that', () => {
		const sampler = new Sampler(
			scripted([
				[0, { edges: [{ rows: 0 }] }],
				[SEC, { edges: [{ rows: 1000 }] }],
				[3 * SEC, { edges: [{ rows: 2000 }] }]
			]),
			TOPOLOGY
		);
		expect(sampler.sample()).toBeNull();
		expect(sampler.latest()).toBeNull();
		expect(sampler.sample()?.edges[0].rowsPerSec).toBe(1000);
		const third = sampler.sample();
		expect(third?.edges[0].rowsPerSec).toBe(500);
		expect(third?.windowMs).toBe(2000);
		expect(sampler.latest()).toBe(third);
	});

	it('returns null without ending the window when the clock has not advanced', () => {
		const sampler = new Sampler(
			scripted([
				[SEC, { edges: [{ rows: 0 }] }],
				[SEC, { edges: [{ rows: 400 }] }],
				[2 * SEC, { edges: [{ rows: 1000 }] }]
			]),
			TOPOLOGY
		);
		sampler.sample();
		expect(sampler.sample()).toBeNull();
		// The window still starts at the first snapshot: 1000 rows over 1 s.
		expect(sampler.sample()?.edges[0].rowsPerSec).toBe(1000);
		expect(sampler.history('edge', 0)).toHaveLength(1);
	});

	it('asks for current ring sizes on each sample and reports them as fill', () => {
		let size = 2;
		const sampler = new Sampler(
			scripted([
				[0, { edges: [{}] }],
				[SEC, { edges: [{}] }],
				[2 * SEC, { edges: [{}] }]
			]),
			TOPOLOGY,
			() => [size]
		);
		sampler.sample();
		expect(sampler.sample()?.edges[0].fill).toBe(0.2);
		size = 10;
		expect(sampler.sample()?.edges[0].fill).toBe(1);
	});

	it('keeps the last 60 s of samples for sparklines, oldest first', () => {
		const frames: [number, SnapshotParts][] = [];
		for (let s = 0; s <= 90; s++)
			frames.push([s * SEC, { edges: [{ rows: s * 100 }], stages: [{ busyNs: s * 0.5 * SEC }] }]);
		const sampler = new Sampler(scripted(frames), TOPOLOGY);
		for (let s = 0; s <= 90; s++) sampler.sample();
		const edge = sampler.history('edge', 0);
		expect(edge[0].t).toBe(90 * SEC - HISTORY_MS * 1e6);
		expect(edge.at(-1)?.t).toBe(90 * SEC);
		expect(edge).toHaveLength(61);
		expect(edge.every((p) => p.value.rowsPerSec === 100)).toBe(true);
		const stage = sampler.history('stage', 0, 5);
		expect(stage.map((p) => p.t)).toEqual([86, 87, 88, 89, 90].map((s) => s * SEC));
		expect(stage.every((p) => p.value.busyMsPerSec === 500)).toBe(true);
		expect(sampler.history('worker', 0)).toEqual([]);
		expect(sampler.history('edge', 7)).toEqual([]);
	});

	it(`keeps at most ${HISTORY_MAX_SAMPLES} samples however fast it samples`, () => {
		const frames: [number, SnapshotParts][] = [];
		for (let i = 0; i <= 3000; i++) frames.push([i * 1e6, { edges: [{ rows: i }] }]);
		const sampler = new Sampler(scripted(frames), TOPOLOGY);
		for (let i = 0; i <= 3000; i++) sampler.sample();
		const edge = sampler.history('edge', 0);
		expect(edge).toHaveLength(HISTORY_MAX_SAMPLES);
		expect(edge.at(-1)?.t).toBe(3000 * 1e6);
	});

	it('starts over after reset', () => {
		const sampler = new Sampler(
			scripted([
				[0, { edges: [{}] }],
				[SEC, { edges: [{}] }],
				[2 * SEC, { edges: [{}] }],
				[3 * SEC, { edges: [{}] }]
			]),
			TOPOLOGY
		);
		sampler.sample();
		sampler.sample();
		sampler.reset();
		expect(sampler.history('edge', 0)).toEqual([]);
		expect(sampler.sample()).toBeNull();
		expect(sampler.sample()?.windowMs).toBe(1000);
	});

	it('samples a real MetricsBlock into finite rates', () => {
		const block = MetricsBlock.create({ edges: 1, stages: 2, workers: 1 });
		const sampler = new Sampler(block, TOPOLOGY);
		sampler.sample();
		block.edgeBatch(0, 100, 800);
		block.stageTime(0, 10, 0, 0);
		let rates = sampler.sample();
		// performance.now() always advances between these calls in Node, but do not rely on it.
		while (!rates) rates = sampler.sample();
		expect(rates.edges[0].rowsPerSec).toBeGreaterThan(0);
		expect(rates.stages[0].busyRatio).toBe(1);
	});
});
