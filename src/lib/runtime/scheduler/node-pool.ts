// Worker pools of Node worker_threads (headless runner, tests, benchmarks). Node only.
import { startNodeWorker } from '../node-worker';
import { WorkerPool, type HostApi, type WorkerHandle } from './worker-pool';

/**
 * Starts `src/workers/<entry>.ts` as a pool worker. Its API must include HostApi (the fallback
 * host's does: it hosts shared-memory runs too). A worker that errors or exits without being
 * terminated is reported once through `onDeath`.
 */
export function nodeWorkerHandle(entry = 'stage-host'): WorkerHandle {
	const { api, worker } = startNodeWorker<HostApi>(entry);
	let terminated = false;
	let listener: ((reason: string) => void) | undefined;
	let died = false;
	const die = (reason: string) => {
		if (terminated || died) return;
		died = true;
		listener?.(reason);
	};
	worker.on('error', (error) => die(error instanceof Error ? error.message : String(error)));
	worker.on('exit', (code) => die(`exited with code ${code}`));
	return {
		api,
		onDeath(l) {
			listener = l;
		},
		async terminate() {
			terminated = true;
			await worker.terminate();
		}
	};
}

export function createNodeWorkerPool(size: number): WorkerPool {
	return new WorkerPool(size, () => nodeWorkerHandle());
}
