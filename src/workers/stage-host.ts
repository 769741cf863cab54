// Pool worker: hosts stages of runs. The same file runs as a browser module Web Worker and a
// Node worker_thread; comlink carries control only (start, ping), data moves in shared memory.
import { expose } from 'comlink';
import { parentEndpoint } from '../lib/runtime/endpoint';
import { hostRun } from '../lib/runtime/scheduler/host';
import { mergeKernelTables } from '../lib/runtime/scheduler/kernel';
import { TEST_KERNELS } from '../lib/runtime/scheduler/test-kernels';
import type { HostApi } from '../lib/runtime/scheduler/worker-pool';
import { nodeKernels } from '../lib/nodes/catalogue';

const kernels = mergeKernelTables(TEST_KERNELS, nodeKernels());

const heapUsed = (): number => {
	const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process;
	if (proc?.memoryUsage) return proc.memoryUsage().heapUsed;
	const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
	return memory?.usedJSHeapSize ?? 0;
};

const api: HostApi = {
	run: (spec, worker) => hostRun(spec, { worker, kernels, heapUsed }),
	ping: () => 'pong'
};

expose(api, parentEndpoint());
