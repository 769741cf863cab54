// WorkerPool.registerBlob: every worker gets each Blob, and a replacement worker gets them all.
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
