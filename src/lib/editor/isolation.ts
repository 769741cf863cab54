// What the status line reports about the page's ability to share memory with workers.
// Starts the probe worker once, checks SharedArrayBuffer inside it, and parks/wakes it with
// Atomics so the report reflects a real round trip, not just a feature test.
import { wrap } from 'comlink';
import { chooseTransport, transportNotice } from '../runtime/fallback/choose';
import { defaultPoolSize } from '../runtime/pool-size';
import { PROBE, PROBE_BYTES, wakeProbe } from '../runtime/probe';
import type { ProbeApi } from '../../workers/probe';

export interface IsolationReport {
	isolated: boolean;
	poolSize: number;
	cores: number;
	/** True once a worker started from the app parked, was woken and answered through shared memory. */
	workerSharedMemory: boolean;
	problem?: string;
}

export async function probeIsolation(): Promise<IsolationReport> {
	const cores = navigator.hardwareConcurrency || 1;
	const report: IsolationReport = {
		isolated: globalThis.crossOriginIsolated === true,
		cores,
		poolSize: defaultPoolSize(cores, 'browser'),
		workerSharedMemory: false
	};
	// The runs choose their transport the same way, so the status line and the engine agree:
	// an isolated page without SharedArrayBuffer (WebKit without it enabled) runs on message
	// passing, and no probe worker is started to fail on the missing constructor.
	const transport = chooseTransport();
	if (transport !== 'shared') {
		report.problem = transportNotice(transport) ?? undefined;
		return report;
	}
	const worker = new Worker(new URL('../../workers/probe.ts', import.meta.url), {
		type: 'module',
		name: 'sluice-probe'
	});
	try {
		const api = wrap<ProbeApi>(worker);
		const cells = new Int32Array(new SharedArrayBuffer(PROBE_BYTES));
		const parked = api.park(cells.buffer as SharedArrayBuffer, 5000);
		await wakeProbe(cells, 20);
		report.workerSharedMemory =
			(await api.hasSharedMemory()) &&
			(await parked) === 'woken' &&
			Atomics.load(cells, PROBE.REPLY) === 41;
		if (!report.workerSharedMemory) report.problem = 'worker could not share memory with the page';
	} catch (error) {
		report.problem = `worker failed to start: ${error instanceof Error ? error.message : error}`;
	} finally {
		worker.terminate();
	}
	return report;
}
