import { describe, expect, it } from 'vitest';
import { RING } from '../contracts';
import { Doorbell, INT32_PER_LINE, VALUE } from './doorbell';
import { RingChannel } from './ring';
import { WANT_READY, WANT_ROOM } from './ring-layout';
import { newSlot } from './ring-spec-support';
import { HYSTERESIS_MS, nextWant } from './ring-wait';

/** A ring's two ends on this thread, and a way to see whether a doorbell was rung (VALUE moved). */
function pair(capacity: number) {
	const producer = RingChannel.create({ capacity, name: 'a->b' });
	const consumer = RingChannel.attach(producer.descriptor);
	const bellValue = (which: 'producerBell' | 'consumerBell') => {
		const d = producer.descriptor[which];
		return Atomics.load(new Int32Array(d.sab), d.index * INT32_PER_LINE + VALUE);
	};
	return { producer, consumer, out: newSlot(), cells: producer.cells, bellValue };
}

describe('wake hysteresis (forced interleavings, one thread)', () => {
	it('a consumer parked for 4 batches is rung by the 4th push, not before', () => {
		const { producer, cells, bellValue } = pair(8);
		const bell = new Doorbell(producer.descriptor.consumerBell);
		// 1. Consumer (as waitToPop does): publish the wish, THEN announce, then re-check: empty.
		Atomics.store(cells, WANT_READY, 4);
		const seen = bell.prepare();
		// 2. Three pushes find the bell armed, read WANT_READY = 4 and see fewer queued: no ring.
		for (let i = 0; i < 3; i++) producer.tryPush(i, 0, 0);
		expect(bellValue('consumerBell')).toBe(seen);
		// 3. The fourth makes 4 queued: it rings, and the sleep returns at once.
		producer.tryPush(3, 0, 0);
		expect(bellValue('consumerBell')).toBe(seen + 1);
		expect(bell.sleep(seen, 10_000)).toBe(true);
	});

	it('a producer parked for 2 free slots is rung by the 2nd pop, not before', () => {
		const { producer, consumer, out, cells, bellValue } = pair(4);
		const bell = new Doorbell(producer.descriptor.producerBell);
		for (let i = 0; i < 4; i++) producer.tryPush(i, 0, 0);
		Atomics.store(cells, WANT_ROOM, 2);
		const seen = bell.prepare();
		consumer.tryPop(out);
		expect(bellValue('producerBell')).toBe(seen);
		consumer.tryPop(out);
		expect(bell.sleep(seen, 10_000)).toBe(true);
	});

	it('a withdrawn wish (0) rings at the first batch, as for a parker that never set one', () => {
		const { producer, cells } = pair(8);
		const bell = new Doorbell(producer.descriptor.consumerBell);
		Atomics.store(cells, WANT_READY, 0);
		const seen = bell.prepare();
		producer.tryPush(1, 0, 0);
		expect(bell.sleep(seen, 10_000)).toBe(true);
	});

	it('a pop that wants more than ever comes naps, halves its wish, and withdraws it', () => {
		const { producer, consumer, out, cells } = pair(64);
		const bell = new Doorbell(producer.descriptor.consumerBell);
		consumer.waits.wantReady = 8;
		// Nothing comes: naps of HYSTERESIS_MS time out short, 8 -> 4 -> 2 -> 1, then an untimed
		// sleep up to the deadline.
		expect(consumer.pop(out, 8 * HYSTERESIS_MS)).toBe(RING.TIMED_OUT);
		expect(consumer.waits.wantReady).toBe(1);
		expect(Atomics.load(cells, WANT_READY)).toBe(0);
		expect(bell.waiters()).toBe(0);
	});

	it('a pop never parks while the ring holds what it wants, nor once the ring is closed', () => {
		const { producer, consumer, out } = pair(8);
		consumer.waits.wantReady = 4;
		producer.tryPush(1, 0, 0);
		producer.close();
		// Closed with one batch, fewer than wanted: popped at once, then END at once.
		expect(consumer.pop(out, 60_000)).toBe(RING.OK);
		expect(consumer.pop(out, 60_000)).toBe(RING.END);
	});
});

describe('nextWant', () => {
	it('doubles when the other side got further than asked, up to half the ring', () => {
		expect(nextWant(1, 5, true, 256)).toBe(2);
		expect(nextWant(64, 200, true, 256)).toBe(128);
		expect(nextWant(128, 256, true, 256)).toBe(128);
	});

	it('halves after a nap that timed out short, never below 1, and keeps a wish that was met', () => {
		expect(nextWant(8, 3, false, 256)).toBe(4);
		expect(nextWant(1, 0, false, 256)).toBe(1);
		expect(nextWant(8, 8, true, 256)).toBe(8);
		expect(nextWant(8, 2, true, 256)).toBe(8); // rung early (a stale withdrawn wish): keep
	});

	it('never asks a 2-slot ring for more than one', () => {
		expect(nextWant(1, 2, true, 2)).toBe(1);
	});
});
