// Worker pools of browser module Web Workers (the page's runs). Browser only: the Node twins are
// node-pool.ts and fallback/node-pool.ts; everything else about a pool is shared (worker-pool.ts).
//
// Which worker: for the 'shared' transport `src/workers/stage-host.ts`; for 'message' (a page
// that is not cross-origin isolated, see fallback/choose.ts) `src/workers/fallback-host.ts`,
// which loads without SharedArrayBuffer and hosts runs over postMessage. By default the
// transport this page can use.
//
// Thread: the page's main thread creates, pings and terminates the workers; it never blocks.
//
// How a death is noticed. A worker that throws an uncaught error or fails to load fires
// 'error' on its Worker object, and one whose message cannot be deserialized fires
// 'messageerror'. But a worker that ends itself with `self.close()` fires nothing in the page,
// and a worker stuck in a loop cannot be told from a busy one: either way the `api.run` the run
// awaits never settles. So while a `run` (or `runMessage`) call is in flight the page pings the
// worker every `heartbeatMs`; a ping still unanswered after `pingTimeoutMs` means the worker is
// closed or hung, and is reported as its death (the pool then replaces it). A busy host answers
// within about 20 ms, because its loop yields to the event loop that often (host.ts,
// fallback/host.ts); a kernel call that blocks for longer than `pingTimeoutMs` counts as hung.
//
// Heartbeats start only after the worker answered its first ping (sent at creation), so a
// slow script load is not mistaken for a death; a load that fails fires 'error' instead.
// Idle workers are not pinged. What allocates: each ping (a comlink message and a timer).
import { wrap, type Remote } from 'comlink';
import { chooseTransport, type Transport } from '../fallback/choose';
import type { FallbackHostApi } from '../fallback/spec';
import { WorkerPool, type HostApi, type WorkerHandle } from './worker-pool';

export interface BrowserPoolOptions {
	/**
	 * How the pool's runs move batches, which decides the worker script: 'shared' starts
	 * stage-host workers, 'message' fallback-host workers. Default: `chooseTransport()`.
	 */
	transport?: Transport;
	/** Pause between pings of a worker that is running stages. Default 500 ms. */
	heartbeatMs?: number;
	/** How long a ping may go unanswered before the worker counts as dead. Default 2000 ms. */
	pingTimeoutMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 500;
const DEFAULT_PING_TIMEOUT_MS = 2000;

/** Starts the module worker for `transport` (each URL is a literal, so the bundler finds it). */
function startWorker(index: number, transport: Transport): Worker {
	return transport === 'message'
		? new Worker(new URL('../../../workers/fallback-host.ts', import.meta.url), {
				type: 'module',
				name: `sluice-fallback-host-${index}`
			})
		: new Worker(new URL('../../../workers/stage-host.ts', import.meta.url), {
				type: 'module',
				name: `sluice-stage-host-${index}`
			});
}

/** Starts one host module worker and watches it (see the file header). */
export function browserWorkerHandle(index: number, options: BrowserPoolOptions = {}): WorkerHandle {
	const heartbeatMs = positive(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, 'heartbeatMs');
	const pingTimeoutMs = positive(options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS, 'pingTimeoutMs');
	const worker = startWorker(index, options.transport ?? chooseTransport());
	// A stage-host worker answers `run` and `ping` only; `runMessage` is called only on a pool
	// of fallback-host workers (FallbackRun), which answer all three.
	const remote = wrap<FallbackHostApi>(worker);

	let listener: ((reason: string) => void) | undefined;
	let over = false; // terminated or dead: no more deaths, no more pings
	let ready = false;
	let running = 0; // `run` calls in flight
	let beating = false; // a heartbeat is scheduled or waiting for its answer
	let timer: ReturnType<typeof setTimeout> | undefined;

	const die = (reason: string) => {
		if (over) return;
		over = true;
		clearTimeout(timer);
		listener?.(reason);
	};
	worker.addEventListener('error', (event) => {
		const message = event instanceof ErrorEvent ? event.message : '';
		die(message || 'the worker failed to load or threw an uncaught error');
	});
	worker.addEventListener('messageerror', () => die('a message from the worker could not be read'));

	const answersWithin = async (ms: number): Promise<boolean> => {
		let answered = false;
		let wake: () => void = () => {};
		const deadline = new Promise<void>((resolve) => {
			wake = resolve;
			timer = setTimeout(resolve, ms);
		});
		// Any answer (even a rejection) shows the worker's event loop is running.
		remote.ping().then(
			() => ((answered = true), wake()),
			() => ((answered = true), wake())
		);
		await deadline;
		clearTimeout(timer);
		// A reply queued behind a long task of the page gets one more turn before it counts as missing.
		if (!answered) await new Promise((resolve) => setTimeout(resolve, 0));
		return answered;
	};

	const beat = async () => {
		while (!over && running > 0) {
			await new Promise((resolve) => (timer = setTimeout(resolve, heartbeatMs)));
			if (over || running === 0) break;
			if (!(await answersWithin(pingTimeoutMs))) {
				die(`it did not answer a ping within ${pingTimeoutMs} ms (closed itself or hung)`);
			}
		}
		beating = false;
	};
	const startBeating = () => {
		if (beating || over || !ready || running === 0) return;
		beating = true;
		void beat();
	};

	// The first ping has no deadline: it only tells that the worker's script loaded.
	remote.ping().then(() => {
		ready = true;
		startBeating();
	});

	// `api` is the comlink proxy with `run` and `runMessage` counted, so heartbeats run exactly
	// while a run does.
	const counted = <T>(call: Promise<T>): Promise<T> => {
		running++;
		startBeating();
		return call.finally(() => running--);
	};
	type Outcome<K extends keyof FallbackHostApi> = Awaited<ReturnType<FallbackHostApi[K]>>;
	const run: HostApi['run'] = (spec, host) => counted<Outcome<'run'>>(remote.run(spec, host));
	const runMessage: FallbackHostApi['runMessage'] = (spec, host) =>
		counted<Outcome<'runMessage'>>(remote.runMessage(spec, host));
	const api = new Proxy(remote, {
		get: (target, key) =>
			key === 'run' ? run : key === 'runMessage' ? runMessage : Reflect.get(target, key)
	}) as unknown as Remote<HostApi>;

	return {
		api,
		onDeath(l) {
			listener = l;
		},
		terminate() {
			over = true;
			clearTimeout(timer);
			worker.terminate();
		}
	};
}

/**
 * A pool of `size` module workers for `options.transport` (default: the one this page can use):
 * `sluice-stage-host-<index>` for 'shared', `sluice-fallback-host-<index>` for 'message'.
 */
export function createBrowserWorkerPool(
	size: number,
	options: BrowserPoolOptions = {}
): WorkerPool {
	positive(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, 'heartbeatMs');
	positive(options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS, 'pingTimeoutMs');
	const transport = options.transport ?? chooseTransport();
	if (transport !== 'shared' && transport !== 'message') {
		throw new TypeError(`transport must be 'shared' or 'message', got ${String(transport)}`);
	}
	return new WorkerPool(size, (index) => browserWorkerHandle(index, { ...options, transport }));
}

function positive(ms: number, name: string): number {
	if (!(Number.isFinite(ms) && ms > 0)) {
		throw new RangeError(`${name} must be a positive number of milliseconds, got ${ms}`);
	}
	return ms;
}
