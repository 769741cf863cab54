// Worker pools of Node worker_threads (headless runner, tests, benchmarks). Node only.
import { startNodeWorker } from '../node-worker';
import { WorkerPool, type HostApi, type WorkerHandle } from './worker-pool';

export function nodeWorkerHandle(): WorkerHandle {
	const { api, worker } = startNodeWorker<HostApi>('stage-host');
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
