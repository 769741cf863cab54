// One worker source, two hosts: a browser module Web Worker and a Node worker_thread.
// Comlink speaks to a DOM-style Endpoint; Node's MessagePort is adapted with comlink's own
// node adapter. `process.getBuiltinModule` (Node >= 20.16) reaches worker_threads without a
// static import, so bundlers building the browser worker never see a Node module.
import type { Endpoint } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

type WorkerThreads = typeof import('node:worker_threads');

/** The `node:worker_threads` module when running under Node, otherwise undefined. */
export function nodeWorkerThreads(): WorkerThreads | undefined {
	const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
	return proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
}

/** The endpoint a worker exposes its API on: `parentPort` in Node, the global scope in a browser. */
export function parentEndpoint(): Endpoint {
	const port = nodeWorkerThreads()?.parentPort;
	if (port) return nodeEndpoint(port as never);
	return globalThis as unknown as Endpoint;
}

/** Wraps a Node `Worker` (or any MessagePort-like object) so comlink can talk to it. */
export function nodeWorkerEndpoint(worker: import('node:worker_threads').Worker): Endpoint {
	return nodeEndpoint(worker as never);
}
