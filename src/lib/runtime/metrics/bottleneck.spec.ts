import { describe, expect, it } from 'vitest';
import { findBottleneck } from './bottleneck';
import { chain, SEC, snapshotAt } from './fixtures.spec-support';
import {
	backpressureLevel,
	computeRates,
	type EdgeRates,
	type StageRates,
	type Topology
} from './rates';

function edge(backpressure: number, consumerWaitRatio = 0): EdgeRates {
	return {
		rowsPerSec: 1000,
		bytesPerSec: 8000,
		batchesPerSec: 10,
		fill: backpressure > 0.5 ? 1 : 0,
		backpressure,
		level: backpressureLevel(backpressure),
		consumerWaitRatio
	};
}

function stage(busyRatio: number): StageRates {
	return {
		busyMsPerSec: busyRatio * 1000,
		idleMsPerSec: (1 - busyRatio) * 1000,
		backpressuredMsPerSec: 0,
		busyRatio,
		rowsInPerSec: 1000,
		rowsOutPerSec: 1000,
		batchesInPerSec: 10,
		batchesOutPerSec: 10,
		bytesRead: 0,
		bytesTotal: 0,
		progress: null
	};
}

/** Two sources feeding a join that feeds a sink. */
const JOIN: Topology = {
	edges: [
		{ from: 0, to: 2, capacity: 8 },
		{ from: 1, to: 2, capacity: 8 },
		{ from: 2, to: 3, capacity: 8 }
	],
	stageNames: ['slow-source', 'fast-source', 'join', 'sink'],
	edgeNames: ['slow-source → join', 'fast-source → join', 'join → sink']
};

describe('findBottleneck', () => {
	it('picks the slow transform of source → transform → sink when the edge before it is HIGH and the edge after OK', () => {
		const topology = chain(['source', 'slow', 'sink']);
		const found = findBottleneck(
			[stage(0.1), stage(0.97), stage(0.2)],
			[edge(0.88), edge(0.03, 0.7)],
			topology
		);
		expect(found?.stage).toBe(1);
		expect(found?.reason).toBe(
			"'slow' was busy 97% of the time while its input 'source → slow' was backpressured 88% " +
				'and its output is not (3%).'
		);
	});

	it('picks the slow sink of source → filter → sink when both edges are HIGH', () => {
		const topology = chain(['source', 'filter', 'slow-sink']);
		const found = findBottleneck(
			[stage(0.05), stage(0.1), stage(0.98)],
			[edge(0.9), edge(0.95)],
			topology
		);
		expect(found).toEqual({
			stage: 2,
			reason:
				"'slow-sink' was busy 98% of the time while its input 'filter → slow-sink' was " +
				'backpressured 95% and it has no outputs to wait for.'
		});
	});

	it('finds none when every edge is OK, however busy the stages are', () => {
		const topology = chain(['source', 'map', 'sink']);
		expect(
			findBottleneck([stage(1), stage(1), stage(1)], [edge(0.1), edge(0)], topology)
		).toBeNull();
	});

	it('finds none when the stage behind a backpressured edge is busy less than 80% of the time', () => {
		const topology = chain(['source', 'map', 'sink']);
		expect(
			findBottleneck([stage(0.1), stage(0.79), stage(0.1)], [edge(0.9), edge(0)], topology)
		).toBeNull();
		expect(
			findBottleneck([stage(0.1), stage(0.8), stage(0.1)], [edge(0.9), edge(0)], topology)?.stage
		).toBe(1);
	});

	it('passes over a busy stage whose own output is backpressured', () => {
		// map is busy but waits on sink too; sink is busier and free downstream.
		const topology = chain(['source', 'map', 'sink']);
		const found = findBottleneck(
			[stage(0.1), stage(0.9), stage(0.85)],
			[edge(0.6), edge(0.3)],
			topology
		);
		expect(found?.stage).toBe(2);
	});

	it('prefers the busier of two qualifying stages', () => {
		const topology: Topology = {
			edges: [
				{ from: 0, to: 1, capacity: 8 },
				{ from: 0, to: 2, capacity: 8 }
			],
			stageNames: ['source', 'sink-a', 'sink-b'],
			edgeNames: ['source → sink-a', 'source → sink-b']
		};
		const found = findBottleneck(
			[stage(0.1), stage(0.85), stage(0.95)],
			[edge(0.9), edge(0.4)],
			topology
		);
		expect(found?.stage).toBe(2);
		expect(found?.reason).toContain("'source → sink-b' was backpressured 40%");
	});

	it('names a slow source that starves a join whose other input is backpressured', () => {
		const found = findBottleneck(
			[stage(0.95), stage(0.05), stage(0.3), stage(0.1)],
			[edge(0, 0.62), edge(0.9), edge(0)],
			JOIN
		);
		expect(found).toEqual({
			stage: 0,
			reason:
				"'slow-source' was busy 95% of the time and 'join' waited on its output " +
				"'slow-source → join' 62% of the time while 'fast-source → join' was backpressured " +
				'90%, and it has no backpressured outputs.'
		});
	});

	it('does not name a busy source whose consumer is not waiting on it', () => {
		expect(
			findBottleneck(
				[stage(0.95), stage(0.05), stage(0.3), stage(0.1)],
				[edge(0, 0.05), edge(0.9), edge(0)],
				JOIN
			)
		).toBeNull();
	});

	it('prefers a stage with a backpressured input over a source', () => {
		// The join is busy itself; the slow source's consumer wait is incidental.
		const found = findBottleneck(
			[stage(0.99), stage(0.05), stage(0.9), stage(0.1)],
			[edge(0, 0.2), edge(0.9), edge(0)],
			JOIN
		);
		expect(found?.stage).toBe(2);
	});

	it('is what computeRates reports for a chain whose middle stage is slow', () => {
		const topology = chain(['source', 'slow', 'sink']);
		const rates = computeRates(
			snapshotAt(0, { edges: [{}, {}], stages: [{}, {}, {}] }),
			snapshotAt(2 * SEC, {
				edges: [{ producerBlockedNs: 1.8 * SEC }, { consumerWaitNs: 1.5 * SEC }],
				stages: [
					{ busyNs: 0.2 * SEC, backpressuredNs: 1.8 * SEC },
					{ busyNs: 1.9 * SEC, idleNs: 0.1 * SEC },
					{ busyNs: 0.5 * SEC, idleNs: 1.5 * SEC }
				]
			}),
			topology
		);
		expect(rates.edges.map((e) => e.level)).toEqual(['HIGH', 'OK']);
		expect(rates.bottleneck).toEqual({
			stage: 1,
			reason:
				"'slow' was busy 95% of the time while its input 'source → slow' was backpressured 90% " +
				'and its output is not (0%).'
		});
	});
});
