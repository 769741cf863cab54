// Pool worker: hosts stages of runs. The same file runs as a browser module Web Worker and a
// Node worker_thread; comlink carries control only (start, ping), data moves in shared memory.
import { expose } from 'comlink';
import { registerSourceBlob } from '../lib/nodes/kernels/source-locate';
import { parentEndpoint } from '../lib/runtime/endpoint';
import { hostRun } from '../lib/runtime/scheduler/host';
import { giveOutcome } from '../lib/runtime/scheduler/result-transfer';
import type { HostApi } from '../lib/runtime/scheduler/worker-pool';
import { heapUsed, WORKER_KERNELS as kernels } from './kernel-table';

const api: HostApi = {
	// Results are moved to the page, not copied (result-transfer.ts says why).
	run: async (spec, worker) => giveOutcome(await hostRun(spec, { worker, kernels, heapUsed })),
	ping: () => 'pong',
	// A dropped file or a cached download, read by the file sources (nodes/kernels/source-locate.ts).
	registerBlob: (key, blob) => registerSourceBlob(key, blob)
};

expose(api, parentEndpoint());
