import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { mulberry32 } from '../testing/prng';
import { RingChannel } from './ring';
import { startPeer, type PauseProfile, type StressCase } from './ring-spec-support';

// Replay a failure with SLUICE_SEED=<seed printed in the message>.
const SEED = Number(process.env.SLUICE_SEED ?? Date.now() % 0x7fffffff);
const TOTAL = 10_000_000;

const QUIET: PauseProfile = { spin: 0, sleep: 0 };
const JITTERY: PauseProfile = { spin: 0.01, sleep: 0 };
const SLEEPY: PauseProfile = { spin: 0.002, sleep: 0.0005 };
const PROFILES = [QUIET, JITTERY, SLEEPY];

/**
 * Cases of random capacity (2..1024), mode and pauses whose counts add up to TOTAL. Counts are
 * weighted by capacity (up to 256): a tiny ring hands over on nearly every push, which costs a
 * futex wake-up, so it gets fewer descriptors (still thousands of wrap-arounds).
 */
function makeCases(seed: number): StressCase[] {
	const prng = mulberry32(seed);
	const shapes = Array.from({ length: 12 }, () => ({
		capacity: 2 ** prng.int(1, 10),
		dataSeed: prng.int(0, 0x7fffffff),
		mode: prng.chance(0.5) ? ('blocking' as const) : ('try' as const),
		producerPause: prng.pick(PROFILES),
		consumerPause: prng.pick(PROFILES)
	}));
	const weight = (capacity: number) => Math.min(capacity, 256);
	const totalWeight = shapes.reduce((sum, s) => sum + weight(s.capacity), 0);
	const counts = shapes.map((s) => Math.floor((TOTAL * weight(s.capacity)) / totalWeight));
	counts[0] += TOTAL - counts.reduce((sum, n) => sum + n, 0);
	return shapes.map(({ capacity, ...shape }, n) => ({
		...shape,
		ring: RingChannel.create({ capacity, name: `stress-${n}` }).descriptor,
		count: counts[n]
	}));
}

describe('ring channel between two threads', () => {
	const workers: Worker[] = [];
	afterEach(async () => {
		await Promise.all(workers.splice(0).map((w) => w.terminate()));
	});

	it(`delivers ${TOTAL} descriptors in order, without loss or duplicates, under random pauses (seed ${SEED})`, async () => {
		const cases = makeCases(SEED);
		const producer = startPeer({ task: 'produce', cases, seed: SEED });
		const consumer = startPeer({ task: 'consume', cases, seed: SEED });
		workers.push(producer.worker, consumer.worker);
		const [sent, received] = await Promise.all([producer.result, consumer.result]);
		expect(received.failure, `seed ${SEED}`).toBeUndefined();
		expect(sent.failure, `seed ${SEED}`).toBeUndefined();
		expect(received.moved, `seed ${SEED}`).toBe(TOTAL);
		// Some seeds (many tiny rings, sleepy peers) need ~25 s on a busy 2-core machine: a hang
		// still fails, at 90 s rather than at the default 30 s.
	}, 90_000);
});
