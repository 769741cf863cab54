// A worker's own tally of its pool requests, for the per-worker "pool hit rate" figure: the
// shared pool counts hits and carves per MemoryPool object but does not expose one object's
// counts, so the host hands its stages this thin wrapper instead of the pool.
//
// Thread: the worker that made it (the one hosting the stages); plain counters, no Atomics.
// `hits` are requests answered with a block at once, `misses` those refused because the budget
// was spent (the stage then waits for memory and asks again, each retry counted). Fresh carves
// count as hits here; the fallback's LocalPool counts them apart (see fallback/host.ts).
import { NO_BLOCK, type BlockHandle } from '../contracts';
import type { StagePool } from './kernel';

export class CountingPool implements StagePool {
	hits = 0;
	misses = 0;

	constructor(private readonly pool: StagePool) {}

	tryAcquire(payloadBytes: number): BlockHandle {
		const handle = this.pool.tryAcquire(payloadBytes);
		if (handle === NO_BLOCK) this.misses++;
		else this.hits++;
		return handle;
	}

	retain(handle: BlockHandle, count?: number): boolean {
		return this.pool.retain(handle, count);
	}

	release(handle: BlockHandle): boolean {
		return this.pool.release(handle);
	}

	largestPayload(): number {
		return this.pool.largestPayload();
	}

	bufferOf(handle: BlockHandle): ArrayBufferLike {
		return this.pool.bufferOf(handle);
	}

	offsetOf(handle: BlockHandle): number {
		return this.pool.offsetOf(handle);
	}

	capacityOf(handle: BlockHandle): number {
		return this.pool.capacityOf(handle);
	}
}
