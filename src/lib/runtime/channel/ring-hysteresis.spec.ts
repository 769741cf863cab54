import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { mulberry32 } from '../testing/prng';
import { RingChannel } from './ring';
import {
	startPeer,
	type PauseProfile,
	type PeerResult,
	type StressCase
} from './ring-spec-support';

// Wake hysteresis under real threads (ring-wait.ts): blocking push/pop park asking for several
// batches or slots, and the other side rings only once that many are there. A lost wake-up shows
// as a side that never returns, so the whole exchange runs against a deadline that fails with the
// seed instead of hanging. Replay a failure with SLUICE_SEED=<seed printed in the message>.
const SEED = Number(process.env.SLUICE_SEED ?? Date.now() % 0x7fffffff);
const DEADLINE_MS = 30_000;

/** Streams flat out: the side that parks finds the other far ahead, so `want` grows. */
const STREAM: PauseProfile = { spin: 0, sleep: 0 };
/** Mostly streams, sometimes stalls longer than HYSTERESIS_MS: timed naps, `want` shrinks. */
const BURSTY: PauseProfile = { spin: 0.01, sleep: 0.001, nap: 0.0004 };
/** A trickle: frequent short sleeps and naps, so parks at want > 1 must time out to progress. */
const TRICKLE: PauseProfile = { spin: 0.05, sleep: 0.05, nap: 0.004 };
const PROFILES = [STREAM, BURSTY, TRICKLE];

/** Roughly how long one side pauses per descriptor under `p`, in ms (for sizing the counts). */
const pauseMsPerOp = (p: PauseProfile) => p.sleep * 0.1 + (p.nap ?? 0) * 1.75;

/**
 * Ten cases of random capacity (always one 2-slot ring and one of 256) and pauses, each sized so
 * its expected pauses take at most about 0.4 s per side.
 */
function makeCases(seed: number): StressCase[] {
	const prng = mulberry32(seed);
	const capacities = [2, 256, ...Array.from({ length: 8 }, () => 2 ** prng.int(1, 10))];
	return capacities.map((capacity, n) => {
		const producerPause = n === 1 ? STREAM : prng.pick(PROFILES);
		const consumerPause = n === 1 ? STREAM : prng.pick(PROFILES);
		const slowest = Math.max(pauseMsPerOp(producerPause), pauseMsPerOp(consumerPause));
		const count = Math.min(100_000, Math.floor(400 / Math.max(slowest, 0.004)));
		return {
			ring: RingChannel.create({ capacity, name: `hysteresis-${n}` }).descriptor,
			count: count - prng.int(0, 99),
			dataSeed: prng.int(0, 0x7fffffff),
			mode: 'blocking' as const,
			producerPause,
			consumerPause
		};
	});
}

function withDeadline(results: Promise<PeerResult[]>, seed: number): Promise<PeerResult[]> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() =>
				reject(
					new Error(
						`no result within ${DEADLINE_MS / 1000} s (seed ${seed}): a side parked and was never woken (lost wake-up?)`
					)
				),
			DEADLINE_MS
		);
	});
	return Promise.race([results, deadline]).finally(() => clearTimeout(timer));
}

describe('ring channel wake hysteresis between two threads', () => {
	const workers: Worker[] = [];
	afterEach(async () => {
		await Promise.all(workers.splice(0).map((w) => w.terminate()));
	});

	it(`loses, duplicates and reorders nothing and never hangs, whatever the pauses (seed ${SEED})`, async () => {
		const cases = makeCases(SEED);
		const total = cases.reduce((sum, c) => sum + c.count, 0);
		const producer = startPeer({ task: 'produce', cases, seed: SEED });
		const consumer = startPeer({ task: 'consume', cases, seed: SEED });
		workers.push(producer.worker, consumer.worker);
		const [sent, received] = await withDeadline(
			Promise.all([producer.result, consumer.result]),
			SEED
		);
		expect(received.failure, `seed ${SEED}`).toBeUndefined();
		expect(sent.failure, `seed ${SEED}`).toBeUndefined();
		expect(received.moved, `seed ${SEED}`).toBe(total);
		// The hysteresis really engaged: some park asked for more than one batch or slot ...
		const wants = [...sent.maxWant!, ...received.maxWant!];
		expect(Math.max(...wants), `seed ${SEED}`).toBeGreaterThan(1);
		// ... and never for more than half the ring (a 2-slot ring always parks for one).
		cases.forEach((c, n) => {
			const most = Math.max(sent.maxWant![n], received.maxWant![n]);
			expect(most, `case ${n}, capacity ${c.ring.capacity}, seed ${SEED}`).toBeLessThanOrEqual(
				Math.max(1, c.ring.capacity >> 1)
			);
		});
	}, 40_000);
});
