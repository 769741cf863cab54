import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { RING } from '../contracts';
import { Doorbell } from './doorbell';
import { RingChannel } from './ring';
import { startPeer, until, type PeerTask } from './ring-spec-support';

// A peer that is still waiting after this long was not woken: its status says TIMED_OUT.
const PEER_TIMEOUT_MS = 10_000;

describe('ring channel lifecycle across threads', () => {
	const workers: Worker[] = [];
	afterEach(async () => {
		await Promise.all(workers.splice(0).map((w) => w.terminate()));
	});
	const start = (task: PeerTask) => {
		const peer = startPeer(task);
		workers.push(peer.worker);
		return peer.result;
	};

	/** A ring and the doorbells of its two ends, as seen from this (main) thread. */
	const ringWithBells = (capacity: number) => {
		const ring = RingChannel.create({ capacity, name: 'worker->main' });
		const { producerBell, consumerBell } = ring.descriptor;
		return { ring, producer: new Doorbell(producerBell), consumer: new Doorbell(consumerBell) };
	};

	for (const stop of ['cancel', 'fail'] as const) {
		const expected = stop === 'cancel' ? RING.CANCELLED : RING.FAILED;

		it(`${stop} wakes a worker blocked in pop on an empty ring`, async () => {
			const { ring, consumer } = ringWithBells(4);
			const result = start({ task: 'pop-once', ring: ring.descriptor, timeoutMs: PEER_TIMEOUT_MS });
			await until(() => consumer.waiters() > 0, 'the worker to park in pop');
			if (stop === 'cancel') ring.cancel();
			else ring.fail('stage sink threw: disk full');
			const { status, error } = await result;
			expect(status).toBe(expected);
			expect(error).toBe(stop === 'fail' ? 'stage sink threw: disk full' : undefined);
		});

		it(`${stop} wakes a worker blocked in push on a full ring`, async () => {
			const { ring, producer } = ringWithBells(2);
			const result = start({
				task: 'push-until-stopped',
				ring: ring.descriptor,
				timeoutMs: PEER_TIMEOUT_MS
			});
			await until(() => producer.waiters() > 0, 'the worker to fill the ring and park in push');
			expect(ring.size()).toBe(2);
			if (stop === 'cancel') ring.cancel();
			else ring.fail('stage map threw: bad row');
			const { status, error } = await result;
			expect(status).toBe(expected);
			expect(error).toBe(stop === 'fail' ? 'stage map threw: bad row' : undefined);
		});
	}

	it('a message failed on a worker is readable on the main thread', async () => {
		const { ring } = ringWithBells(2);
		await start({ task: 'fail', ring: ring.descriptor, message: 'filter: column "x" not found ✗' });
		expect(ring.status()).toBe(RING.FAILED);
		expect(ring.error()).toBe('filter: column "x" not found ✗');
	});

	it('a push that lands while the consumer sleeps in Atomics.wait wakes it with that batch', async () => {
		const { ring, consumer } = ringWithBells(2);
		// 1. The worker pops an empty ring: reads its bell, finds nothing, parks in Atomics.wait.
		const result = start({ task: 'pop-once', ring: ring.descriptor, timeoutMs: PEER_TIMEOUT_MS });
		// 2. Main waits until the worker is really asleep (it counted itself in WAITERS).
		await until(() => consumer.waiters() > 0, 'the worker to park in pop');
		// 3. Main pushes: slot, then TAIL, then the consumer's bell, which sees WAITERS > 0 and notifies.
		expect(ring.tryPush(42, 4096, 100)).toBe(true);
		// 4. The worker wakes, pops and reports the batch.
		const { status, slot } = await result;
		expect(status).toBe(RING.OK);
		expect(slot).toEqual({ block: 42, byteLength: 4096, rows: 100, seq: 0, checksum: 0 });
	});

	it('close wakes a consumer sleeping on an empty ring and it reports END', async () => {
		const { ring, consumer } = ringWithBells(2);
		const result = start({ task: 'pop-once', ring: ring.descriptor, timeoutMs: PEER_TIMEOUT_MS });
		await until(() => consumer.waiters() > 0, 'the worker to park in pop');
		ring.close();
		expect((await result).status).toBe(RING.END);
	});
});
