// A pool of stage-host workers, the same in a browser (module Web Workers) and in Node
// (worker_threads): how a worker is started is injected, everything else is shared.
//
// Control goes over comlink (start, cancel, ping); data never does. A worker that exits or
// errors is reported to whoever is running on it and replaced by a fresh one.
import type { Remote } from 'comlink';
import type { HostOutcome } from './host';
import type { RunSpec } from './spec';

/** What the stage-host worker exposes over comlink. */
export interface HostApi {
	run(spec: RunSpec, worker: number): Promise<HostOutcome>;
	ping(): string;
}

export interface WorkerHandle {
	api: Remote<HostApi>;
	/** Called once if the worker dies (exit, uncaught error) — not after `terminate()`. */
	onDeath(listener: (reason: string) => void): void;
	terminate(): void | Promise<void>;
}

export type WorkerFactory = (index: number) => WorkerHandle;

export class WorkerPool {
	private readonly handles: WorkerHandle[] = [];
	private readonly deathListeners: ((index: number, reason: string) => void)[] = [];
	private closed = false;

	constructor(
		readonly size: number,
		private readonly factory: WorkerFactory
	) {
		if (!Number.isInteger(size) || size < 1) {
			throw new RangeError(`workers must be a whole number of at least 1, got ${size}`);
		}
		for (let i = 0; i < size; i++) this.handles.push(this.spawn(i));
	}

	worker(index: number): WorkerHandle {
		const handle = this.handles[index];
		if (!handle) throw new RangeError(`no worker ${index} in a pool of ${this.size}`);
		return handle;
	}

	/** Listens for worker deaths; returns a function that stops listening. */
	onDeath(listener: (index: number, reason: string) => void): () => void {
		this.deathListeners.push(listener);
		return () => {
			const i = this.deathListeners.indexOf(listener);
			if (i >= 0) this.deathListeners.splice(i, 1);
		};
	}

	/** Terminates worker `index` (hung or dead) and starts a fresh one in its place. */
	async replace(index: number): Promise<void> {
		const old = this.handles[index];
		this.handles[index] = this.spawn(index);
		await old?.terminate();
	}

	async shutdown(): Promise<void> {
		this.closed = true;
		await Promise.all(this.handles.map((h) => h.terminate()));
		this.handles.length = 0;
	}

	private spawn(index: number): WorkerHandle {
		const handle = this.factory(index);
		handle.onDeath((reason) => {
			if (this.closed || this.handles[index] !== handle) return;
			for (const listener of [...this.deathListeners]) listener(index, reason);
			void this.replace(index);
		});
		return handle;
	}
}
