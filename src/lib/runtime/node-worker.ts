// Starts one of `src/workers/*.ts` as a Node worker_thread and wraps it for comlink.
// Node only: the browser starts the same files with `new Worker(new URL(...), { type: 'module' })`.
import { wrap, type Remote } from 'comlink';
import { Worker } from 'node:worker_threads';
import { nodeWorkerEndpoint } from './endpoint';

const BOOTSTRAP = new URL('../../workers/node-bootstrap.mjs', import.meta.url);

export interface NodeWorkerHandle<T> {
	api: Remote<T>;
	worker: Worker;
	terminate(): Promise<void>;
}

/** `name` is a file of `src/workers` without extension, e.g. `'probe'`. */
export function startNodeWorker<T>(name: string): NodeWorkerHandle<T> {
	if (!/^[a-z][a-z0-9-]*$/.test(name))
		throw new TypeError(`worker name must be kebab-case: ${name}`);
	const entry = new URL(`../../workers/${name}.ts`, import.meta.url).href;
	const worker = new Worker(BOOTSTRAP, { workerData: { entry } });
	const api = wrap<T>(nodeWorkerEndpoint(worker));
	return {
		api,
		worker,
		async terminate() {
			await worker.terminate();
		}
	};
}
