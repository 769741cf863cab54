// Worker pools of Node worker_threads running the fallback host (tests, headless runs of the
// message-passing transport). Node only.
import { startNodeWorker } from '../node-worker';
import { WorkerPool, type WorkerHandle } from '../scheduler/worker-pool';
import type { FallbackHostApi } from './spec';

function fallbackWorkerHandle(): WorkerHandle {
	const { api, worker } = startNodeWorker<FallbackHostApi>('fallback-host');
	let terminated = false;
	let died = false;
	let listener: ((reason: string) => void) | undefined;
	const die = (reason: string) => {
		if (terminated || died) return;
		died = true;
		listener?.(reason);
	};
	worker.on('error', (error) => die(error instanceof Error ? error.message : String(error)));
	worker.on('exit', (code) => die(`exited with code ${code}`));
	return {
		// FallbackHostApi includes HostApi: these workers host shared-memory runs too.
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

export function createNodeFallbackPool(size: number): WorkerPool {
	return new WorkerPool(size, () => fallbackWorkerHandle());
}
