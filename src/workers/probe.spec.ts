import { afterEach, describe, expect, it } from 'vitest';
import { startNodeWorker, type NodeWorkerHandle } from '../lib/runtime/node-worker';
import { PROBE, PROBE_BYTES, wakeProbe } from '../lib/runtime/probe';
import type { ProbeApi } from './probe';

describe('probe worker as a Node worker_thread', () => {
	let handle: NodeWorkerHandle<ProbeApi> | undefined;
	afterEach(async () => handle?.terminate());

	it('shares a SharedArrayBuffer, parks on Atomics.wait and answers once woken', async () => {
		handle = startNodeWorker<ProbeApi>('probe');
		expect(await handle.api.hasSharedMemory()).toBe(true);
		const sab = new SharedArrayBuffer(PROBE_BYTES);
		const cells = new Int32Array(sab);
		const parked = handle.api.park(sab, 10_000);
		await wakeProbe(cells, 20);
		expect(await parked).toBe('woken');
		expect(Atomics.load(cells, PROBE.REPLY)).toBe(41);
	});

	it('stays parked until woken: a short timeout reports timed-out and writes nothing', async () => {
		handle = startNodeWorker<ProbeApi>('probe');
		const sab = new SharedArrayBuffer(PROBE_BYTES);
		const cells = new Int32Array(sab);
		expect(await handle.api.park(sab, 50)).toBe('timed-out');
		expect(Atomics.load(cells, PROBE.PARKED)).toBe(1);
		expect(Atomics.load(cells, PROBE.REPLY)).toBe(0);
	});
});
