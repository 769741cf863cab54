// The engine's path, one side of it per worker: the producer acquires a pool block, writes the
// batch's sequence number into its first 8 bytes (the block IS the batch: nothing is copied)
// and pushes its handle with the blocking ring.push (spin briefly, then park on the doorbell);
// the consumer pops, checks the sequence number and releases the block.
// Nothing here allocates per batch: handles and the popped slot are numbers in a reused object.
import { NO_BLOCK, RING, type BatchSlot } from '../../src/lib/runtime/contracts';
import { MemoryPool } from '../../src/lib/runtime/memory/pool';
import { RingChannel } from '../../src/lib/runtime/channel/ring';
import { heapAfterGc, hasGc, percentile } from './heap';
import { WAIT_MS, type FlowTask, type PingTask, type TaskResult } from './protocol';

/** Float64 views over the pool's arenas, so a block's first 8 bytes are one indexed store. */
class Headers {
	readonly #arenas: readonly SharedArrayBuffer[];
	readonly #views: readonly Float64Array[];

	constructor(readonly pool: MemoryPool) {
		this.#arenas = pool.descriptor.arenas;
		this.#views = this.#arenas.map((a) => new Float64Array(a));
	}

	#view(handle: number): Float64Array {
		const buffer = this.pool.bufferOf(handle);
		for (let i = 0; i < this.#arenas.length; i++)
			if (this.#arenas[i] === buffer) return this.#views[i];
		return this.#views[0];
	}

	write(handle: number, seq: number): void {
		this.#view(handle)[this.pool.offsetOf(handle) >> 3] = seq;
	}

	read(handle: number): number {
		return this.#view(handle)[this.pool.offsetOf(handle) >> 3];
	}
}

const newSlot = (): BatchSlot => ({ block: 0, byteLength: 0, rows: 0, seq: 0, checksum: 0 });

/** Runs `body`; if it throws, fails the rings first so the other worker stops waiting on them. */
function failingRings<T>(rings: RingChannel[], body: () => T): T {
	try {
		return body();
	} catch (error) {
		for (const ring of rings) ring.fail((error as Error).message);
		throw error;
	}
}

function acquire(pool: MemoryPool, payload: number): number {
	const handle = pool.tryAcquire(payload);
	return handle !== NO_BLOCK ? handle : pool.acquire(payload, WAIT_MS);
}

export function ringProducer(t: FlowTask): TaskResult {
	const pool = MemoryPool.attach(t.pool!);
	const ring = RingChannel.attach(t.ring!);
	const headers = new Headers(pool);
	const total = t.warmup + t.count;
	let heapBefore = 0;
	return failingRings([ring], () => {
		for (let i = 0; i < total; i++) {
			if (i === t.warmup && t.heap) heapBefore = heapAfterGc();
			const block = acquire(pool, t.payload);
			if (block === NO_BLOCK) throw new Error(`acquire of batch ${i} waited ${WAIT_MS} ms`);
			headers.write(block, i);
			const status = ring.push(block, t.payload, 0, WAIT_MS);
			if (status !== RING.OK) throw new Error(`push of batch ${i} returned status ${status}`);
		}
		ring.close();
		return t.heap ? { heapBefore, heapAfter: heapAfterGc(), gc: hasGc } : {};
	});
}

export function ringConsumer(t: FlowTask): TaskResult {
	const pool = MemoryPool.attach(t.pool!);
	const ring = RingChannel.attach(t.ring!);
	const headers = new Headers(pool);
	const slot = newSlot();
	const total = t.warmup + t.count;
	let heapBefore = 0;
	let start = performance.now();
	let end = start;
	let mismatches = 0;
	return failingRings([ring], () => {
		for (let i = 0; ; i++) {
			if (i === t.warmup) {
				if (t.heap) heapBefore = heapAfterGc();
				start = performance.now();
			}
			const status = ring.pop(slot, WAIT_MS);
			if (status === RING.END) {
				if (i !== total) throw new Error(`ring ended after ${i} of ${total} batches`);
				break;
			}
			if (status !== RING.OK) throw new Error(`pop of batch ${i} returned status ${status}`);
			if (headers.read(slot.block) !== i) mismatches++;
			pool.release(slot.block);
			if (i === total - 1) end = performance.now();
		}
		const seconds = (end - start) / 1000;
		return t.heap
			? { seconds, mismatches, heapBefore, heapAfter: heapAfterGc(), gc: hasGc }
			: { seconds, mismatches };
	});
}

/** Pinger: acquire, stamp, push there, pop back, check, release; one timed round trip. */
export function ringPinger(t: PingTask): TaskResult {
	const pool = MemoryPool.attach(t.pool!);
	const there = RingChannel.attach(t.there!);
	const back = RingChannel.attach(t.back!);
	const headers = new Headers(pool);
	const slot = newSlot();
	const samples = new Float64Array(t.count);
	const total = t.warmup + t.count;
	let mismatches = 0;
	let timed = 0;
	return failingRings([there, back], () => {
		for (let i = 0; i < total; i++) {
			const start = performance.now();
			const block = acquire(pool, t.payload);
			if (block === NO_BLOCK) throw new Error(`ping ${i}: acquire waited ${WAIT_MS} ms`);
			headers.write(block, i);
			const pushed = there.push(block, t.payload, 0, WAIT_MS);
			if (pushed !== RING.OK) throw new Error(`ping ${i}: push returned status ${pushed}`);
			const popped = back.pop(slot, WAIT_MS);
			if (popped !== RING.OK) throw new Error(`ping ${i}: pop returned status ${popped}`);
			if (headers.read(slot.block) !== i) mismatches++;
			pool.release(slot.block);
			const elapsed = performance.now() - start;
			if (i >= t.warmup) {
				samples[i - t.warmup] = elapsed * 1000;
				timed += elapsed;
			}
		}
		there.close();
		return {
			seconds: timed / 1000,
			mismatches,
			p50Us: percentile(samples, 0.5),
			p99Us: percentile(samples, 0.99)
		};
	});
}

/** Echoer: pops each batch and pushes the same block straight back until `there` ends. */
export function ringEchoer(t: PingTask): TaskResult {
	const there = RingChannel.attach(t.there!);
	const back = RingChannel.attach(t.back!);
	const slot = newSlot();
	return failingRings([there, back], () => {
		for (;;) {
			const popped = there.pop(slot, WAIT_MS);
			if (popped === RING.END) break;
			if (popped !== RING.OK) throw new Error(`echo: pop returned status ${popped}`);
			const pushed = back.push(slot.block, slot.byteLength, slot.rows, WAIT_MS);
			if (pushed !== RING.OK) throw new Error(`echo: push returned status ${pushed}`);
		}
		back.close();
		return {};
	});
}
