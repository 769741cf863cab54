import { describe, expect, it } from 'vitest';
import { NO_BLOCK, RING, type BatchSlot } from '../contracts';
import { mulberry32 } from '../testing/prng';
import { LocalPool } from './local-pool';
import { PortConsumer } from './port-consumer';
import { PortProducer } from './port-ring';
import { Wakeup } from './wakeup';

// Both ends in one thread over a real MessageChannel: messages arrive only between awaits, so
// each test lets the event loop run (`until`) where another thread would simply be running.

function pair(capacity: number, integrity = false) {
	const { port1, port2 } = new MessageChannel();
	const wake = new Wakeup();
	const home = new LocalPool({ budgetBytes: 1 << 20, maxBlockBytes: 64 << 10 });
	const away = new LocalPool({ budgetBytes: 4096, maxBlockBytes: 4096 });
	const end = { ring: 0, name: 'a → b', capacity, integrity };
	const producer = new PortProducer({ ...end, side: 'producer', port: port1 }, home, wake);
	const consumer = new PortConsumer({ ...end, side: 'consumer', port: port2 }, away, wake);
	return { producer, consumer, home, away };
}

/** Lets messages arrive (at least one turn of the event loop) until `done` or ~0.5 s. */
async function until(done: () => boolean): Promise<void> {
	let turns = 0;
	do await new Promise((r) => setTimeout(r, 1));
	while (!done() && ++turns < 500);
}

const slot = (): BatchSlot => ({ block: 0, byteLength: 0, rows: 0, seq: 0, checksum: 0 });

/** A block of `home` holding the int32 values first, first + 1, ... (n of them). */
function batch(home: LocalPool, first: number, n: number): number {
	const block = home.tryAcquire(n * 4);
	const x = new Int32Array(home.bufferOf(block), 0, n);
	for (let i = 0; i < n; i++) x[i] = first + i;
	return block;
}

describe('port ring', () => {
	it('carries a seeded stream in order, full at capacity until pops are heard, recycling every buffer', async () => {
		const seed = 7031;
		const prng = mulberry32(seed);
		const capacity = prng.int(1, 8);
		const { producer, consumer, home, away } = pair(capacity, true);
		const out = slot();
		let next = 0;
		let expected = 0;
		let pending = -1;
		while (expected < 2000) {
			for (let k = prng.int(0, 12); k > 0 && next < 2000; k--) {
				if (pending < 0) pending = batch(home, next * 100, prng.int(1, 100));
				const n = home.capacityOf(pending) / 4;
				if (!producer.tryPush(pending, Math.min(n, 100) * 4, Math.min(n, 100))) {
					expect(producer.size(), `seed ${seed}`).toBe(capacity);
					break;
				}
				pending = -1;
				next++;
			}
			await until(() => consumer.size() > 0 || expected === next);
			for (let k = prng.int(1, capacity); k > 0 && consumer.tryPop(out); k--) {
				const x = new Int32Array(away.bufferOf(out.block), 0, 1);
				expect(x[0], `seed ${seed}`).toBe(expected * 100);
				expect(out.seq, `seed ${seed}`).toBe(expected);
				away.release(out.block);
				expected++;
			}
			consumer.flush();
		}
		await until(() => home.stats().blocksInUse === 0);
		expect(home.stats()).toMatchObject({ blocksInUse: 0, blocksAway: 0, badReleases: 0 });
		expect(home.stats().freshCarves).toBeLessThanOrEqual(capacity + 1);
		expect(away.stats().adoptedInUse).toBe(0);
	});

	it('ends the stream only after every queued batch was popped', async () => {
		const { producer, consumer, home, away } = pair(4);
		producer.tryPush(batch(home, 0, 4), 16, 4);
		producer.close();
		expect(producer.tryPush(batch(home, 4, 4), 16, 4)).toBe(false);
		await until(() => consumer.size() === 1 && consumer.status() === RING.OK);
		const out = slot();
		expect(consumer.tryPop(out)).toBe(true);
		await until(() => consumer.status() === RING.END);
		expect(consumer.status()).toBe(RING.END);
		away.release(out.block);
	});

	it('fails both ends with the message the consumer gave, and a cancel stops both without one', async () => {
		const failed = pair(2);
		failed.consumer.fail('sink broke');
		await until(() => failed.producer.status() === RING.FAILED);
		expect(failed.producer.error()).toBe('sink broke');
		expect(failed.producer.tryPush(batch(failed.home, 0, 1), 4, 1)).toBe(false);

		const cancelled = pair(2);
		cancelled.producer.cancel();
		await until(() => cancelled.consumer.status() === RING.CANCELLED);
		expect(cancelled.consumer.status()).toBe(RING.CANCELLED);
		expect(cancelled.consumer.error()).toBeUndefined();
	});

	it('sends a copy while the block has other references, and transfers it with the last', async () => {
		const { producer, consumer, home, away } = pair(4);
		const block = batch(home, 42, 8);
		home.retain(block, 1); // two consumers, as a fan-out emit does
		expect(producer.tryPush(block, 32, 8)).toBe(true);
		expect(home.bufferOf(block).byteLength).toBeGreaterThan(0);
		expect(home.refCount(block)).toBe(1);
		expect(producer.tryPush(block, 32, 8)).toBe(true);
		expect(home.bufferOf(block).byteLength).toBe(0);
		await until(() => consumer.size() === 2);
		const out = slot();
		for (let i = 0; i < 2; i++) {
			expect(consumer.tryPop(out)).toBe(true);
			expect(new Int32Array(away.bufferOf(out.block), 0, 8)[7]).toBe(49);
			away.release(out.block);
		}
		await until(() => home.stats().blocksInUse === 0);
		expect(home.stats()).toMatchObject({ blocksInUse: 0, blocksAway: 0 });
	});

	it('refuses a fan-out push while no block is free for the copy', () => {
		const { port1 } = new MessageChannel();
		const tight = new LocalPool({ budgetBytes: 4096, maxBlockBytes: 4096 });
		const end = { ring: 0, name: 'x', capacity: 4, integrity: false };
		const producer = new PortProducer(
			{ ...end, side: 'producer', port: port1 },
			tight,
			new Wakeup()
		);
		const block = batch(tight, 0, 4);
		tight.retain(block, 1);
		expect(tight.tryAcquire(1)).toBe(NO_BLOCK);
		expect(producer.tryPush(block, 16, 4)).toBe(false);
		expect(tight.refCount(block)).toBe(2);
		port1.close();
	});

	it('hands back queued batches unread on teardown, and any that arrive afterwards', async () => {
		const { producer, consumer, home } = pair(8);
		for (let i = 0; i < 3; i++) producer.tryPush(batch(home, i, 1), 4, 1);
		await until(() => consumer.size() === 3);
		consumer.drain();
		producer.tryPush(batch(home, 3, 1), 4, 1);
		producer.quiet();
		await until(() => consumer.quietHeard && home.stats().blocksInUse === 0);
		expect(consumer.quietHeard).toBe(true);
		expect(home.stats()).toMatchObject({ blocksInUse: 0, blocksAway: 0 });
		producer.detachPort();
	});
});
