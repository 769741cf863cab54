// Async readers (apache-arrow's IPC reader, hyparquet) inside a kernel whose produce() is
// synchronous and never blocks.
//
// `AsyncPump` drives an async iterator on the worker's event loop: it keeps up to `limit` items
// waiting and pauses while they wait. The stage host runs the event loop when it yields (about
// every 20 ms while the source answers 'blocked'), so each yield lets the pump read ahead; the
// kernel takes items with the non-blocking `poll()`. Memory: at most `limit` items plus the one
// being read.
//
// `chunkStream` turns a poll-based ChunkSource into an async iterable of byte chunks, each a
// fresh copy: file chunks reuse one buffer, and the readers keep views of what they are given.
// Copies are also never SharedArrayBuffer views, which Chromium's TextDecoder rejects.
import type { ChunkSource } from './source-bytes';

export class AsyncPump<T> {
	private readonly queue: T[] = [];
	private running = false;
	private finished = false;
	private stopped = false;
	private failure: unknown = null;
	private failed = false;

	constructor(
		private readonly iterator: AsyncIterator<T>,
		private readonly limit: number
	) {}

	/** The next item, or undefined when none is ready now (then `done` tells if none will come). */
	poll(): T | undefined {
		if (this.failed) throw this.failure;
		const item = this.queue.shift();
		if (!this.running && !this.finished && this.queue.length < this.limit) void this.run();
		return item;
	}

	/** True once every item was taken. */
	get done(): boolean {
		return this.finished && this.queue.length === 0 && !this.failed;
	}

	/** Stops reading (the iterator's `return` is called); safe to call twice. */
	stop(): void {
		if (this.stopped) return;
		this.stopped = true;
		this.queue.length = 0;
		if (!this.finished) void this.iterator.return?.().catch(() => {});
	}

	private async run(): Promise<void> {
		this.running = true;
		try {
			while (!this.stopped && this.queue.length < this.limit) {
				const next = await this.iterator.next();
				if (next.done) {
					this.finished = true;
					break;
				}
				if (!this.stopped) this.queue.push(next.value);
			}
		} catch (error) {
			this.failure = error;
			this.failed = true;
			this.finished = true;
		} finally {
			this.running = false;
		}
	}
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The bytes of `source` as copies, waiting (on timers) while none are ready. */
export async function* chunkStream(
	source: ChunkSource,
	onBytes?: (bytes: number) => void
): AsyncGenerator<Uint8Array> {
	try {
		for (;;) {
			const chunk = source.poll();
			if (chunk !== null) {
				onBytes?.(chunk.length);
				yield chunk.slice();
				continue;
			}
			if (source.ended) return;
			await sleep(1);
		}
	} finally {
		source.close();
	}
}
