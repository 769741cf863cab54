// A pool of stage-host workers, the same in a browser (module Web Workers) and in Node
// (worker_threads): how a worker is started is injected, everything else is shared.
//
// Control goes over comlink (start, cancel, ping); data never does. A worker that exits or
// errors is reported to whoever is running on it and replaced by a fresh one.
//
// Workers start on first use (`worker(index)`), not with the pool: each one loads the whole
// engine, so a plan that places its stages on two workers of an eight-worker pool pays for two.
// A worker that was never used is never started, replaced or terminated.
//
// Blobs (`registerBlob`): the pool remembers every Blob registered with it and sends each one
// to a worker when the worker starts, so a replacement reads the same files. comlink keeps the
// order of calls on one worker, so a Blob registered before a run starts is there for it.
import type { Remote } from 'comlink';
import type { HostOutcome } from './host';
import type { RunSpec } from './spec';

/** What the stage-host worker exposes over comlink. */
export interface HostApi {
	run(spec: RunSpec, worker: number): Promise<HostOutcome>;
	ping(): string;
	/**
	 * Makes `blob` readable by the source whose source text is `key` (a dropped file, a cached
	 * download); null forgets it. A Blob is a handle: its bytes are not copied.
	 */
	registerBlob(key: string, blob: Blob | null): void;
}

export interface WorkerHandle {
	api: Remote<HostApi>;
	/** Called once if the worker dies (exit, uncaught error) — not after `terminate()`. */
	onDeath(listener: (reason: string) => void): void;
	terminate(): void | Promise<void>;
}

export type WorkerFactory = (index: number) => WorkerHandle;

export class WorkerPool {
	private readonly handles: (WorkerHandle | undefined)[] = [];
	private readonly deathListeners: ((index: number, reason: string) => void)[] = [];
	private closed = false;
	private readonly blobs = new Map<string, Blob>();

	constructor(
		readonly size: number,
		private readonly factory: WorkerFactory
	) {
		if (!Number.isInteger(size) || size < 1) {
			throw new RangeError(`workers must be a whole number of at least 1, got ${size}`);
		}
	}

	/** Worker `index`, started now if it has not been yet. */
	worker(index: number): WorkerHandle {
		if (!(Number.isInteger(index) && index >= 0 && index < this.size)) {
			throw new RangeError(`no worker ${index} in a pool of ${this.size}`);
		}
		if (this.closed) throw new Error('the worker pool was shut down');
		return (this.handles[index] ??= this.spawn(index));
	}

	/** How many workers have been started (the others were never needed). */
	get started(): number {
		return this.handles.filter((h) => h !== undefined).length;
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
		if (!old || this.closed) return;
		this.handles[index] = this.spawn(index);
		await old.terminate();
	}

	/** Sends `blob` to every worker (now and future) under `key`; null forgets it everywhere. */
	registerBlob(key: string, blob: Blob | null): void {
		if (blob === null) this.blobs.delete(key);
		else this.blobs.set(key, blob);
		for (const handle of this.handles) if (handle) void sendBlob(handle, key, blob);
	}

	async shutdown(): Promise<void> {
		this.closed = true;
		await Promise.all(this.handles.map((h) => h?.terminate()));
		this.handles.length = 0;
	}

	private spawn(index: number): WorkerHandle {
		const handle = this.factory(index);
		for (const [key, blob] of this.blobs) void sendBlob(handle, key, blob);
		handle.onDeath((reason) => {
			if (this.closed || this.handles[index] !== handle) return;
			for (const listener of [...this.deathListeners]) listener(index, reason);
			void this.replace(index);
		});
		return handle;
	}
}

/** Calls the worker's registerBlob; a worker that lacks it or has died is skipped. */
async function sendBlob(handle: WorkerHandle, key: string, blob: Blob | null): Promise<void> {
	try {
		await handle.api.registerBlob(key, blob);
	} catch {
		// A dead worker is replaced, and the replacement gets every Blob at its start.
	}
}
