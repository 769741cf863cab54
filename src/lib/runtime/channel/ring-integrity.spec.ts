import { describe, expect, it } from 'vitest';
import { BLOCK_ID_MASK, RING, type BlockHandle, type BlockMemory } from '../contracts';
import { checksum } from '../memory/checksum';
import { MemoryPool } from '../memory/pool';
import { RingChannel } from './ring';
import { newSlot } from './ring-spec-support';

const BLOCK_BYTES = 256;

/** A tiny BlockMemory: 16 fixed blocks of 256 bytes in one SharedArrayBuffer. */
function fakeMemory(): BlockMemory & { bytes(handle: BlockHandle): Uint8Array } {
	const sab = new SharedArrayBuffer(16 * BLOCK_BYTES);
	const offsetOf = (handle: BlockHandle) => (handle & BLOCK_ID_MASK) * BLOCK_BYTES;
	return {
		bufferOf: () => sab,
		offsetOf,
		capacityOf: () => BLOCK_BYTES,
		bytes: (handle) => new Uint8Array(sab, offsetOf(handle), BLOCK_BYTES)
	};
}

describe('RingChannel integrity mode', () => {
	it('carries the checksum of the block bytes and passes untouched blocks', () => {
		const memory = fakeMemory();
		memory.bytes(3).set([1, 2, 3, 4, 5]);
		const producer = RingChannel.create(
			{ capacity: 4, name: 'scan->filter', integrity: true },
			memory
		);
		const consumer = RingChannel.attach(producer.descriptor, memory);
		const out = newSlot();
		expect(producer.tryPush(3, 5, 1)).toBe(true);
		expect(consumer.tryPop(out)).toBe(true);
		expect(out.checksum).toBe(checksum(memory.bufferOf(3), memory.offsetOf(3), 5));
		expect(consumer.status()).toBe(RING.OK);
	});

	it('fails the ring naming the edge and batch when a block changes between push and pop', () => {
		const memory = fakeMemory();
		const producer = RingChannel.create(
			{ capacity: 4, name: 'scan->filter', integrity: true },
			memory
		);
		const consumer = RingChannel.attach(producer.descriptor, memory);
		const out = newSlot();
		for (const block of [0, 1, 2]) {
			memory.bytes(block).fill(block + 1, 0, 64);
			expect(producer.tryPush(block, 64, 8)).toBe(true);
		}
		memory.bytes(1)[17] ^= 0x10; // a stray write into batch 1 after it was pushed
		expect(consumer.tryPop(out)).toBe(true);
		expect(consumer.tryPop(out)).toBe(false);
		expect(consumer.status()).toBe(RING.FAILED);
		expect(producer.error()).toMatch(
			/^integrity check failed on edge scan->filter at batch 1: expected 0x[0-9a-f]{8}, got 0x[0-9a-f]{8}$/
		);
		expect(producer.tryPush(3, 64, 8)).toBe(false);
	});

	it('fails the ring instead of throwing when a block cannot be read', () => {
		const memory = fakeMemory();
		const producer = RingChannel.create({ capacity: 2, name: 'a->b', integrity: true }, memory);
		expect(producer.tryPush(15, BLOCK_BYTES + 1, 1)).toBe(false);
		expect(producer.error()).toMatch(
			/^integrity check failed on edge a->b at batch 0: block unreadable/
		);
	});

	it('catches a corrupted block of the real memory pool', () => {
		const pool = MemoryPool.create({ budgetBytes: 1 << 20, maxBlockBytes: 1 << 16 });
		const producer = RingChannel.create({ capacity: 2, name: 'src->sink', integrity: true }, pool);
		const consumer = RingChannel.attach(producer.descriptor, pool);
		const out = newSlot();
		const block = pool.tryAcquire(1000);
		const bytes = new Uint8Array(pool.bufferOf(block), pool.offsetOf(block), 1000);
		bytes.fill(7);
		expect(producer.tryPush(block, 1000, 10)).toBe(true);
		expect(producer.tryPush(block, 1000, 10)).toBe(true);
		expect(consumer.tryPop(out)).toBe(true);
		bytes[999] = 8;
		expect(consumer.tryPop(out)).toBe(false);
		expect(consumer.error()).toContain('integrity check failed on edge src->sink at batch 1');
	});
});
