// WorkerPool: workers start on first use; every started worker gets each Blob, and a
// replacement worker (or one started later) gets them all.
import { describe, expect, it } from 'vitest';
import type { Remote } from 'comlink';
import { WorkerPool, type HostApi, type WorkerHandle } from './worker-pool';

function fakeHandle(seen: [string, Blob | null][]): WorkerHandle & { die(reason: string): void } {
	let listener: (reason: string) => void = () => {};
	const api = {
		registerBlob: async (key: string, blob: Blob | null) => void seen.push([key, blob]),
		ping: async () => 'pong'
	} as unknown as Remote<HostApi>;
	return {
		api,
		onDeath: (l) => (listener = l),
		terminate: () => {},
		die: (reason) => listener(reason)
	};
}

describe('WorkerPool.registerBlob', () => {
	it('sends a Blob to every worker and to the worker that replaces a dead one', async () => {
		const seen: [string, Blob | null][][] = [];
		const handles: ReturnType<typeof fakeHandle>[] = [];
		const pool = new WorkerPool(2, (index) => {
			seen.push([]);
			const h = fakeHandle(seen[seen.length - 1]);
			handles[index] = h;
			return h;
		});
		pool.worker(0);
		pool.worker(1);
		const blob = new Blob(['a,b\n1,2\n']);
		pool.registerBlob('local:f1/x.csv', blob);
		pool.registerBlob('local:f2/y.csv', new Blob(['y']));
		pool.registerBlob('local:f2/y.csv', null);
		expect(seen[0].map(([k]) => k)).toEqual(['local:f1/x.csv', 'local:f2/y.csv', 'local:f2/y.csv']);
		expect(seen[1][0][1]).toBe(blob);
		handles[1].die('test');
		await Promise.resolve();
		// The replacement (third handle made) gets only what is still registered.
		expect(seen).toHaveLength(3);
		expect(seen[2]).toEqual([['local:f1/x.csv', blob]]);
		await pool.shutdown();
	});
});

describe('WorkerPool start-up', () => {
	it('starts a worker only when a run first uses it, and gives a late one every Blob', async () => {
		const seen: [string, Blob | null][][] = [];
		const made: number[] = [];
		const pool = new WorkerPool(64, (index) => {
			made.push(index);
			seen.push([]);
			return fakeHandle(seen[seen.length - 1]);
		});
		expect(made).toEqual([]);
		const blob = new Blob(['x']);
		pool.registerBlob('local:f1/x.csv', blob);
		const first = pool.worker(5);
		expect(pool.worker(5)).toBe(first);
		pool.worker(0);
		expect(made).toEqual([5, 0]);
		expect(pool.started).toBe(2);
		expect(seen[0]).toEqual([['local:f1/x.csv', blob]]);
		// Replacing a worker that never started starts nothing.
		await pool.replace(9);
		expect(made).toEqual([5, 0]);
		expect(() => pool.worker(64)).toThrow(/no worker 64 in a pool of 64/);
		await pool.shutdown();
	});
});
