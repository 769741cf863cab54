// Isomorphic probe worker: proves a worker can share memory with its parent and be parked
// and woken with Atomics, in a browser Web Worker and a Node worker_thread alike.
import { expose } from 'comlink';
import { parentEndpoint } from '../lib/runtime/endpoint';
import { PROBE, probeAfterWake } from '../lib/runtime/probe';

export const probeApi = {
	/** Parks on `PROBE.STATE` until the parent stores and notifies, then answers in `PROBE.REPLY`. */
	park(sab: SharedArrayBuffer, timeoutMs: number): 'woken' | 'timed-out' {
		const cells = new Int32Array(sab);
		// Announce that we are about to park, so the parent wakes us only after this point.
		Atomics.store(cells, PROBE.PARKED, 1);
		Atomics.notify(cells, PROBE.PARKED);
		const outcome = Atomics.wait(cells, PROBE.STATE, 0, timeoutMs);
		if (outcome === 'timed-out') return 'timed-out';
		probeAfterWake(cells);
		return 'woken';
	},
	hasSharedMemory(): boolean {
		return typeof SharedArrayBuffer === 'function' && new SharedArrayBuffer(8).byteLength === 8;
	}
};

export type ProbeApi = typeof probeApi;

expose(probeApi, parentEndpoint());
