import { describe, expect, it } from 'vitest';
import { RING } from '../contracts';
import { mulberry32 } from '../testing/prng';
import { createDoorbells, Doorbell } from './doorbell';
import { RingChannel } from './ring';
import { ERROR_MAX_BYTES, HEAD, TAIL } from './ring-layout';
import { newSlot } from './ring-spec-support';

const SEED = Number(process.env.SLUICE_SEED ?? Date.now() % 0x7fffffff);

/** A producer and a consumer end of one fresh ring (same thread: for single-step tests). */
function pair(capacity: number) {
	const producer = RingChannel.create({ capacity, name: 'a->b' });
	const consumer = RingChannel.attach(producer.descriptor);
	return { producer, consumer, out: newSlot() };
}

describe('RingChannel setup', () => {
	it('refuses a capacity that is not a power of two in 2..65536, naming capacity', () => {
		for (const capacity of [0, 1, 3, 100, 131072, 2.5, Number.NaN, -4]) {
			expect(() => RingChannel.create({ capacity, name: 'e' })).toThrow(RangeError);
			expect(() => RingChannel.create({ capacity, name: 'e' })).toThrow(/capacity/);
		}
		expect(RingChannel.create({ capacity: 2, name: 'e' }).capacity).toBe(2);
		expect(RingChannel.create({ capacity: 65536, name: 'e' }).capacity).toBe(65536);
	});

	it('refuses an empty name and integrity without block memory', () => {
		expect(() => RingChannel.create({ capacity: 2, name: '' })).toThrow(/name/);
		expect(() => RingChannel.create({ capacity: 2, name: 'e', integrity: true })).toThrow(/memory/);
	});

	it('refuses to attach a descriptor whose capacity does not match its buffer', () => {
		const { descriptor } = RingChannel.create({ capacity: 8, name: 'e' });
		expect(() => RingChannel.attach({ ...descriptor, capacity: 4 })).toThrow(/capacity/);
	});

	it('rings the doorbells it was given: push the consumer bell, pop the producer bell', () => {
		const bells = createDoorbells(2);
		const producerBell = new Doorbell({ sab: bells, index: 0 });
		const consumerBell = new Doorbell({ sab: bells, index: 1 });
		const ring = RingChannel.create({
			capacity: 2,
			name: 'e',
			producerBell: producerBell.descriptor,
			consumerBell: consumerBell.descriptor
		});
		// Both owners announce that they may sleep; a rung bell then returns from sleep at once.
		let seen = [producerBell.prepare(), consumerBell.prepare()];
		ring.tryPush(1, 2, 3);
		expect([producerBell.sleep(seen[0], 0), consumerBell.sleep(seen[1], 0)]).toEqual([false, true]);
		seen = [producerBell.prepare(), consumerBell.prepare()];
		ring.tryPop(newSlot());
		expect([producerBell.sleep(seen[0], 0), consumerBell.sleep(seen[1], 0)]).toEqual([true, false]);
	});
});

describe('RingChannel hot path', () => {
	it('reports empty and full at the edges, and size in between', () => {
		const { producer, consumer, out } = pair(4);
		expect(consumer.tryPop(out)).toBe(false);
		expect(consumer.canPop()).toBe(false);
		for (let i = 0; i < 4; i++) {
			expect(producer.size()).toBe(i);
			expect(producer.tryPush(i, 10, 1)).toBe(true);
		}
		expect(producer.canPush()).toBe(false);
		expect(producer.tryPush(99, 10, 1)).toBe(false);
		expect(consumer.size()).toBe(4);
		expect(consumer.tryPop(out)).toBe(true);
		expect(out).toEqual({ block: 0, byteLength: 10, rows: 1, seq: 0, checksum: 0 });
		expect(producer.canPush()).toBe(true);
		expect(producer.tryPush(4, 10, 1)).toBe(true);
		expect(producer.tryPush(5, 10, 1)).toBe(false);
	});

	it(`keeps order through 100000 wrap-arounds of a 2-slot ring (seed ${SEED})`, () => {
		const { producer, consumer, out } = pair(2);
		const prng = mulberry32(SEED);
		let pushed = 0;
		let popped = 0;
		while (popped < 200_000) {
			for (let n = prng.int(0, 3); n > 0; n--)
				if (producer.tryPush(pushed, pushed & 7, 1)) pushed++;
			for (let n = prng.int(0, 3); n > 0 && consumer.tryPop(out); n--) {
				if (out.block !== popped || out.seq !== popped)
					throw new Error(`seed ${SEED}: popped ${out.block}/${out.seq}, expected ${popped}`);
				popped++;
			}
			if (pushed - popped > 2)
				throw new Error(`seed ${SEED}: ${pushed - popped} queued in 2 slots`);
		}
		expect(consumer.size()).toBe(pushed - popped);
	});

	it('counts past 2^31 and 2^32 without a hiccup; seq stays a non-negative int32', () => {
		for (const start of [0x7ffffff0, -16]) {
			const { descriptor } = RingChannel.create({ capacity: 4, name: 'e' });
			const cells = new Int32Array(descriptor.sab);
			// Both counters start just short of the sign flip (2^31) or of zero (2^32), as after a
			// long run; both ends attach only after this, so they pick the values up.
			Atomics.store(cells, HEAD, start);
			Atomics.store(cells, TAIL, start);
			const p = RingChannel.attach(descriptor);
			const c = RingChannel.attach(descriptor);
			const out = newSlot();
			for (let i = 0; i < 40; i++) {
				expect(p.tryPush(i, 0, 0)).toBe(true);
				expect(p.tryPush(i + 1000, 0, 0)).toBe(true);
				expect(c.size()).toBe(2);
				expect(c.tryPop(out) && out.block === i).toBe(true);
				expect(out.seq).toBe((start + 2 * i) & 0x7fffffff);
				expect(c.tryPop(out) && out.block === i + 1000).toBe(true);
				expect(c.tryPop(out)).toBe(false);
			}
		}
	});

	it('allocates nothing in a million tryPush/tryPop pairs (no GC runs)', async () => {
		const { GCProfiler } = await import('node:v8');
		const { producer, consumer, out } = pair(64);
		const run = (n: number) => {
			for (let i = 0; i < n; i++) {
				producer.tryPush(i, 64, 1);
				consumer.tryPop(out);
			}
		};
		run(100_000); // warm up: let the JIT compile both paths
		const control = new GCProfiler();
		control.start();
		const garbage: number[][] = [];
		for (let i = 0; i < 1_000_000; i++) garbage[i & 1023] = [i, i];
		const controlGcs = control.stop()?.statistics.length ?? 0;
		const profiler = new GCProfiler();
		const before = process.memoryUsage().heapUsed;
		profiler.start();
		run(1_000_000);
		const gcs = profiler.stop()?.statistics.length ?? 0;
		const growth = process.memoryUsage().heapUsed - before;
		expect(controlGcs, 'the control loop allocates ~40 MB and must trigger GCs').toBeGreaterThan(0);
		expect(gcs).toBe(0);
		expect(growth).toBeLessThan(1 << 20);
	});
});

describe('RingChannel lifecycle', () => {
	it('drains what was queued after close, then reports END on both sides', () => {
		const { producer, consumer, out } = pair(4);
		producer.tryPush(1, 0, 0);
		producer.tryPush(2, 0, 0);
		producer.close();
		expect(producer.isClosed()).toBe(true);
		expect(producer.tryPush(3, 0, 0)).toBe(false);
		expect(producer.push(3, 0, 0)).toBe(RING.END);
		expect(consumer.status()).toBe(RING.OK);
		expect(consumer.pop(out, 0)).toBe(RING.OK);
		expect(consumer.pop(out, 0)).toBe(RING.OK);
		expect(out.block).toBe(2);
		expect(consumer.status()).toBe(RING.END);
		expect(producer.status()).toBe(RING.END);
		expect(consumer.tryPop(out)).toBe(false);
		expect(consumer.pop(out)).toBe(RING.END);
	});

	it('makes the failure message readable from the other side; the first failure wins', () => {
		const { producer, consumer, out } = pair(4);
		producer.tryPush(1, 0, 0);
		consumer.fail('stage b threw: boom');
		producer.fail('second error');
		producer.cancel();
		expect(producer.status()).toBe(RING.FAILED);
		expect(producer.error()).toBe('stage b threw: boom');
		expect(consumer.tryPop(out)).toBe(false);
		expect(consumer.pop(out)).toBe(RING.FAILED);
		expect(producer.push(2, 0, 0)).toBe(RING.FAILED);
	});

	it('cuts a long message to 1 KiB at a character boundary', () => {
		const { producer, consumer } = pair(2);
		producer.fail('é'.repeat(ERROR_MAX_BYTES)); // 2 bytes each
		const message = consumer.error() ?? '';
		expect(new TextEncoder().encode(message).length).toBe(ERROR_MAX_BYTES);
		expect(message).toBe('é'.repeat(ERROR_MAX_BYTES / 2));
		const odd = pair(2);
		odd.producer.fail('x' + 'é'.repeat(ERROR_MAX_BYTES));
		expect(odd.consumer.error()).toBe('x' + 'é'.repeat(ERROR_MAX_BYTES / 2 - 1));
	});

	it('cancel stops both sides without an error; a later fail does not change it', () => {
		const { producer, consumer, out } = pair(2);
		producer.tryPush(1, 0, 0);
		consumer.cancel();
		producer.fail('too late');
		expect(producer.status()).toBe(RING.CANCELLED);
		expect(producer.error()).toBeUndefined();
		expect(consumer.tryPop(out)).toBe(false);
		expect(producer.tryPush(2, 0, 0)).toBe(false);
	});

	it('times out a blocking push on a full ring and a blocking pop on an empty one', () => {
		const { producer, consumer, out } = pair(2);
		expect(consumer.pop(out, 5)).toBe(RING.TIMED_OUT);
		producer.tryPush(1, 0, 0);
		producer.tryPush(2, 0, 0);
		expect(producer.push(3, 0, 0, 5)).toBe(RING.TIMED_OUT);
	});
});

describe('RingChannel waits without losing a wake-up (forced interleavings, one thread)', () => {
	it('consumer announces, finds the ring empty, producer pushes before it sleeps: the sleep returns at once', () => {
		const { producer, consumer, out } = pair(2);
		const bell = new Doorbell(producer.descriptor.consumerBell);
		// 1. Consumer announces itself on its doorbell BEFORE its (re-)check of the ring.
		const seen = bell.prepare();
		// 2. Consumer re-checks: empty.
		expect(consumer.tryPop(out)).toBe(false);
		// 3. Producer pushes exactly now: publishes TAIL, then rings; the bell is armed, so it bumps.
		expect(producer.tryPush(7, 0, 0)).toBe(true);
		// 4. Consumer sleeps on the value from step 1: it has moved, so no sleep at all.
		expect(bell.sleep(seen, 10_000)).toBe(true);
		// 5. Consumer looks again and finds the batch.
		expect(consumer.tryPop(out) && out.block === 7).toBe(true);
	});

	it('a push before the announcement rings nobody: only the re-check after prepare() sees it', () => {
		const { producer, consumer, out } = pair(2);
		const bell = new Doorbell(producer.descriptor.consumerBell);
		expect(consumer.tryPop(out)).toBe(false); // 1. first look: empty
		producer.tryPush(7, 0, 0); // 2. push lands; nobody announced, so the ring is one load
		const seen = bell.prepare(); // 3. consumer announces
		// 4. Skipping the re-check and sleeping would sleep the full timeout: a lost wake-up ...
		expect(bell.sleep(seen, 20)).toBe(false);
		expect(consumer.canPop()).toBe(true); // ...with a batch waiting all along
		// 5. ... which is why push()/pop() and the scheduler try once more after prepare().
		const again = bell.prepare();
		expect(consumer.tryPop(out) && out.block === 7).toBe(true);
		bell.cancelPrepare();
		expect(bell.waiters()).toBe(0);
		expect(again).toBe(seen);
	});

	it('producer announces, finds the ring full, consumer pops before it sleeps: the sleep returns at once', () => {
		const { producer, consumer, out } = pair(2);
		const bell = new Doorbell(producer.descriptor.producerBell);
		producer.tryPush(1, 0, 0);
		producer.tryPush(2, 0, 0);
		const seen = bell.prepare(); // 1. producer announces itself
		expect(producer.tryPush(3, 0, 0)).toBe(false); // 2. re-check: full
		expect(consumer.tryPop(out)).toBe(true); // 3. consumer frees a slot, rings the producer
		expect(bell.sleep(seen, 10_000)).toBe(true); // 4. sleep returns at once
		expect(producer.tryPush(3, 0, 0)).toBe(true); // 5. room now
	});

	it('a blocking pop withdraws its announcement whether it sleeps, times out or finds a batch', () => {
		const { producer, consumer, out } = pair(2);
		const bell = new Doorbell(producer.descriptor.consumerBell);
		expect(consumer.pop(out, 5)).toBe(RING.TIMED_OUT);
		expect(bell.waiters()).toBe(0);
		producer.tryPush(4, 0, 0);
		expect(consumer.pop(out, 5)).toBe(RING.OK);
		producer.close();
		expect(consumer.pop(out, 5)).toBe(RING.END);
		expect(bell.waiters()).toBe(0);
	});

	it('popAsync and pushAsync on one thread wake each other through the doorbells', async () => {
		const { producer, consumer } = pair(2);
		const out = newSlot();
		const popped = consumer.popAsync(out, 10_000);
		expect(consumer.canPop()).toBe(false);
		expect(await producer.pushAsync(5, 0, 0, 10_000)).toBe(RING.OK);
		expect(await popped).toBe(RING.OK);
		expect(out.block).toBe(5);
		producer.tryPush(6, 0, 0);
		producer.tryPush(7, 0, 0);
		const pushed = producer.pushAsync(8, 0, 0, 10_000);
		setTimeout(() => consumer.tryPop(out), 5);
		expect(await pushed).toBe(RING.OK);
		producer.close();
		const rest: number[] = [];
		while ((await consumer.popAsync(out, 10_000)) === RING.OK) rest.push(out.block);
		expect(rest).toEqual([7, 8]);
		expect(await consumer.popAsync(out)).toBe(RING.END);
	});
});
