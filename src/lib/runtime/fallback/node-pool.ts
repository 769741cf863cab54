// Worker pools of Node worker_threads running the fallback host (tests, headless runs of the
// message-passing transport). Node only.
import { nodeWorkerHandle } from '../scheduler/node-pool';
import { WorkerPool } from '../scheduler/worker-pool';

export function createNodeFallbackPool(size: number): WorkerPool {
	return new WorkerPool(size, () => nodeWorkerHandle('fallback-host'));
}
