// Pool worker for pages with or without SharedArrayBuffer: hosts stages of shared-memory runs
// (`run`) and of message-passing runs (`runMessage`, see runtime/fallback). The same file runs
// as a browser module Web Worker and a Node worker_thread; comlink carries control only.
import { expose } from 'comlink';
import { registerSourceBlob } from '../lib/nodes/kernels/source-locate';
import { parentEndpoint } from '../lib/runtime/endpoint';
import { fallbackHostRun } from '../lib/runtime/fallback/host';
import type { FallbackHostApi } from '../lib/runtime/fallback/spec';
import { hostRun } from '../lib/runtime/scheduler/host';
import { giveOutcome } from '../lib/runtime/scheduler/result-transfer';
import { heapUsed, WORKER_KERNELS as kernels } from './kernel-table';

const api: FallbackHostApi = {
	// Results are moved to the page, not copied (result-transfer.ts says why).
	run: async (spec, worker) => giveOutcome(await hostRun(spec, { worker, kernels, heapUsed })),
	runMessage: async (spec, worker) =>
		giveOutcome(await fallbackHostRun(spec, { worker, kernels, heapUsed })),
	ping: () => 'pong',
	// A dropped file or a cached download, read by the file sources (nodes/kernels/source-locate.ts).
	registerBlob: (key, blob) => registerSourceBlob(key, blob)
};

expose(api, parentEndpoint());
