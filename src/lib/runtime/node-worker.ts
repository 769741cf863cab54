// Starts one of `src/workers/*.ts` as a Node worker_thread and wraps it for comlink.
// Node only: the browser starts the same files with `new Worker(new URL(...), { type: 'module' })`.
//
// This module runs either as TypeScript (tsx, vitest: the worker gets the tsx bootstrap, which
// compiles its entry) or bundled into the compiled command (bin/cli-build.mjs puts every chunk
// and the worker entries, as `<name>.mjs`, in one folder: the worker starts from its JavaScript
// file directly, with nothing to compile).
import { wrap, type Remote } from 'comlink';
import { Worker } from 'node:worker_threads';
import { nodeWorkerEndpoint } from './endpoint';

const BOOTSTRAP = new URL('../../workers/node-bootstrap.mjs', import.meta.url);
/** True in the compiled command: this code is a `.mjs` chunk beside the worker entries. */
const COMPILED = import.meta.url.endsWith('.mjs');

export interface NodeWorkerHandle<T> {
	api: Remote<T>;
	worker: Worker;
	terminate(): Promise<void>;
}

/** `name` is a file of `src/workers` without extension, e.g. `'probe'`. */
export function startNodeWorker<T>(name: string): NodeWorkerHandle<T> {
	if (!/^[a-z][a-z0-9-]*$/.test(name))
		throw new TypeError(`worker name must be kebab-case: ${name}`);
	const worker = COMPILED
		? new Worker(new URL(`./${name}.mjs`, import.meta.url))
		: new Worker(BOOTSTRAP, {
				workerData: { entry: new URL(`../../workers/${name}.ts`, import.meta.url).href }
			});
	const api = wrap<T>(nodeWorkerEndpoint(worker));
	return {
		api,
		worker,
		async terminate() {
			await worker.terminate();
		}
	};
}
