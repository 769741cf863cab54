import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { RING } from '../contracts';
import { Doorbell } from './doorbell';
import { RING_ABANDONED, RingChannel } from './ring';
import { newSlot, startPeer, until } from './ring-spec-support';

// A peer still waiting after this long was not woken: its status says TIMED_OUT.
const PEER_TIMEOUT_MS = 10_000;

describe('a ring abandoned by its consumer', () => {
	const workers: Worker[] = [];
	afterEach(async () => {
		await Promise.all(workers.splice(0).map((w) => w.terminate()));
	});

	it('refuses pushes with a result of its own, not an error, and leaves the block with the producer', () => {
		const ring = RingChannel.create({ capacity: 4, name: 'limit in' });
		expect(ring.tryPush(7, 64, 10)).toBe(true);
		ring.abandon();
		expect(ring.abandoned()).toBe(true);
		expect(ring.tryPush(8, 64, 10)).toBe(false);
		expect(ring.push(8, 64, 10, 5)).toBe(RING_ABANDONED);
		expect(ring.canPush()).toBe(false);
		expect(ring.error()).toBeUndefined();
		// The consumer's own view: its stream is over, and it pops nothing more.
		expect(ring.status()).toBe(RING.END);
		expect(ring.tryPop(newSlot())).toBe(false);
		expect(ring.canPop()).toBe(false);
		// Only the batch queued before the abandon is there to drain, once.
		const slot = newSlot();
		expect(ring.drainOne(slot)).toBe(true);
		expect(slot.block).toBe(7);
		expect(ring.drainOne(slot)).toBe(false);
		expect(ring.size()).toBe(0);
	});

	it('answers the async push of the main thread with the abandon too', async () => {
		const ring = RingChannel.create({ capacity: 2, name: 'main -> worker' });
		ring.tryPush(1, 8, 1);
		ring.tryPush(2, 8, 1);
		const pushed = ring.pushAsync(3, 8, 1, PEER_TIMEOUT_MS);
		ring.abandon();
		expect(await pushed).toBe(RING_ABANDONED);
	});

	it('is abandoned after a close too, but never over a failure or a cancel', () => {
		const closed = RingChannel.create({ capacity: 2, name: 'closed' });
		closed.close();
		closed.abandon();
		expect(closed.abandoned()).toBe(true);
		const failed = RingChannel.create({ capacity: 2, name: 'failed' });
		failed.fail('bad row');
		failed.abandon();
		expect(failed.abandoned()).toBe(false);
		expect(failed.status()).toBe(RING.FAILED);
		// A cancel after the abandon still stops the ring as a cancel.
		const cancelled = RingChannel.create({ capacity: 2, name: 'cancelled' });
		cancelled.abandon();
		cancelled.cancel();
		expect(cancelled.abandoned()).toBe(false);
		expect(cancelled.status()).toBe(RING.CANCELLED);
		expect(cancelled.push(1, 8, 1, 5)).toBe(RING.CANCELLED);
	});

	it('wakes a producer parked in push on a full ring in another thread, which returns the abandon', async () => {
		const ring = RingChannel.create({ capacity: 2, name: 'worker -> main' });
		const producer = new Doorbell(ring.descriptor.producerBell);
		const peer = startPeer({
			task: 'push-until-stopped',
			ring: ring.descriptor,
			timeoutMs: PEER_TIMEOUT_MS
		});
		workers.push(peer.worker);
		// 1. The worker fills the ring and parks in push (it counted itself a waiter).
		await until(() => producer.waiters() > 0, 'the worker to fill the ring and park in push');
		expect(ring.size()).toBe(2);
		// 2. The consumer abandons: STATE is published, then both bells ring.
		ring.abandon();
		// 3. The worker wakes, re-reads STATE and stops pushing with the abandon, not a timeout.
		const { status, error } = await peer.result;
		expect(status).toBe(RING_ABANDONED);
		expect(error).toBeUndefined();
		// The two queued batches are still the consumer's to drain; nothing more came.
		const slot = newSlot();
		let drained = 0;
		while (ring.drainOne(slot)) drained++;
		expect(drained).toBe(2);
	});
});
