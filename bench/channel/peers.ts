// Main-thread side of the channel bench: starts the two worker_threads (TypeScript, through
// src/workers/node-bootstrap.mjs, as src/lib/runtime/node-worker.ts does), gives them one
// MessagePort pair for the postMessage cases, and runs a task on both at once.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Task, TaskResult } from './protocol';

const BOOTSTRAP = new URL('../../src/workers/node-bootstrap.mjs', import.meta.url);
const PEER = new URL('./peer.ts', import.meta.url).href;

class Peer {
	readonly worker: Worker;
	#failure: Error | undefined;

	constructor(port: MessagePort, name: string) {
		this.worker = new Worker(BOOTSTRAP, {
			workerData: { entry: PEER, port },
			transferList: [port],
			name
		});
		this.worker.on('error', (error) => (this.#failure = error));
	}

	/** Runs one task on this worker and resolves with its result; rejects if the worker dies. */
	ask(task: Task): Promise<TaskResult> {
		if (this.#failure) return Promise.reject(this.#failure);
		return new Promise((resolve, reject) => {
			const onExit = (code: number) =>
				reject(this.#failure ?? new Error(`bench worker exited with code ${code}`));
			this.worker.once('exit', onExit);
			this.worker.once('message', (result: TaskResult) => {
				this.worker.off('exit', onExit);
				if (result.error) reject(new Error(result.error));
				else resolve(result);
			});
			this.worker.postMessage(task);
		});
	}
}

export class Peers {
	readonly #a: Peer;
	readonly #b: Peer;

	constructor() {
		const { port1, port2 } = new MessageChannel();
		this.#a = new Peer(port1, 'bench-a');
		this.#b = new Peer(port2, 'bench-b');
	}

	/** Worker A runs `a` (producer / pinger) while worker B runs `b` (consumer / echoer). */
	async both(a: Task, b: Task): Promise<[TaskResult, TaskResult]> {
		const consumer = this.#b.ask(b);
		return Promise.all([this.#a.ask(a), consumer]);
	}

	async close(): Promise<void> {
		await Promise.all([this.#a.worker.terminate(), this.#b.worker.terminate()]);
	}
}
