// Test support: one thread's share of the pool stress test. Each cycle acquires a block of a
// random class and size, fills its whole payload with a stamp (thread << 24 | cycle), keeps up
// to `maxHeld` blocks, and verifies every word of a block's stamp just before releasing it:
// a block that two owners shared at once would show the other owner's stamp.
// Deadlock-free by construction: a thread waits (acquire) only while it holds nothing, so
// whatever it waits for is held by threads that will release it.

import { NO_BLOCK } from '../../contracts';
import { mulberry32 } from '../../testing/prng';
import type { MemoryPool } from '../pool';

export interface StressOptions {
	seed: number;
	thread: number;
	cycles: number;
	maxHeld: number;
}

export interface StressReport {
	thread: number;
	cycles: number;
	mismatches: number;
	firstMismatch: string;
	refusedReleases: number;
	timeouts: number;
}

interface Held {
	handle: number;
	stamp: number;
	words: Int32Array;
}

export function runStress(pool: MemoryPool, options: StressOptions): StressReport {
	const { seed, thread, cycles, maxHeld } = options;
	const rng = mulberry32(seed);
	const report: StressReport = {
		thread,
		cycles: 0,
		mismatches: 0,
		firstMismatch: '',
		refusedReleases: 0,
		timeouts: 0
	};
	const held: Held[] = [];
	const releaseAt = (index: number) => {
		const [block] = held.splice(index, 1);
		const { words, stamp, handle } = block;
		for (let i = 0; i < words.length; i++) {
			if (words[i] === stamp) continue;
			if (report.mismatches++ === 0)
				report.firstMismatch =
					`thread ${thread} seed ${seed}: block ${handle} word ${i} holds ` +
					`${words[i].toString(16)}, expected ${stamp.toString(16)}`;
			break;
		}
		if (pool.refCount(handle) !== 1 || !pool.release(handle)) report.refusedReleases++;
	};
	for (let cycle = 0; cycle < cycles; cycle++) {
		const cls = rng.int(0, pool.classCount - 1);
		const bytes = rng.int(1, pool.classCapacity(cls));
		let handle = pool.tryAcquire(bytes);
		while (handle === NO_BLOCK) {
			if (held.length > 0) {
				releaseAt(0);
				handle = pool.tryAcquire(bytes);
			} else {
				handle = pool.acquire(bytes, 10_000);
				if (handle === NO_BLOCK) {
					report.timeouts++;
					return report;
				}
			}
		}
		const stamp = (thread << 24) | (cycle & 0xffffff);
		const words = new Int32Array(
			pool.bufferOf(handle),
			pool.offsetOf(handle),
			pool.capacityOf(handle) >> 2
		);
		words.fill(stamp);
		held.push({ handle, stamp, words });
		if (held.length > maxHeld || rng.chance(0.5)) releaseAt(rng.int(0, held.length - 1));
		report.cycles++;
	}
	while (held.length > 0) releaseAt(held.length - 1);
	return report;
}
