// A pool worker's view of its own memory: JS heap in use, GC pauses and an estimate of the bytes
// it allocated outside the pool, as running totals the host copies into the metrics block a
// few times a second (never per batch).
//
// Thread: the worker that made the probe; `sample()` is called from the host loop's yield
// points, off the kernels' path. Platforms:
// - Node: heap from node:v8's `getHeapStatistics().used_heap_size`; GC pauses and count from a perf_hooks
//   PerformanceObserver on 'gc' entries (delivered on the event loop, which the host visits
//   every ~20 ms), got with `process.getBuiltinModule` at call time (runtime has no top-level
//   Node imports).
// - Browsers: `performance.memory` where the engine has it (Chromium pages, not workers); else
//   the heap is not reported and the flags say so, and GC pauses are never reported (the page
//   may measure its whole memory with measurePageMemory, see page-memory.ts).
// Outside-pool bytes are the heap's growth between two samples, summed: a lower bound, since
// what is allocated and collected between two samples is not seen. Zero on a platform that
// does not report the heap.
//
// Allocation: `sample()` allocates the heap statistics object Node returns, once per call.

/** Bits of WorkerCounters.reported: which figures this worker's platform reports. */
export const REPORTED = { HEAP: 1, GC: 2 } as const;

export interface WorkerMemory {
	heapUsedBytes: number;
	outsidePoolBytes: number;
	gcPauseNs: number;
	gcCount: number;
	/** REPORTED bits. */
	reported: number;
}

export interface WorkerProbe {
	/** Reads the heap now and returns the running totals since the probe was made. */
	sample(): WorkerMemory;
	/** Stops observing GC. */
	dispose(): void;
}

interface GcEntry {
	duration: number;
}
interface PerfHooks {
	PerformanceObserver: new (cb: (list: { getEntries(): GcEntry[] }) => void) => {
		observe(options: { entryTypes: string[] }): void;
		disconnect(): void;
	};
}
interface NodeProcess {
	memoryUsage?: () => { heapUsed: number };
	getBuiltinModule?: (id: string) => unknown;
}

type V8 = { getHeapStatistics(): { used_heap_size: number } };
let v8: V8 | null | undefined;

/** This thread's JS heap in use, or null where the platform does not say. */
export function readHeapUsed(): number | null {
	const proc = (globalThis as { process?: NodeProcess }).process;
	// node:v8's figure is the same as memoryUsage().heapUsed at a fifth of the cost (no RSS read).
	if (v8 === undefined) v8 = (proc?.getBuiltinModule?.('node:v8') as V8 | undefined) ?? null;
	if (v8) return v8.getHeapStatistics().used_heap_size;
	if (proc?.memoryUsage) return proc.memoryUsage().heapUsed;
	const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
	return memory && memory.usedJSHeapSize > 0 ? memory.usedJSHeapSize : null;
}

export function createWorkerProbe(): WorkerProbe {
	const totals: WorkerMemory = {
		heapUsedBytes: 0,
		outsidePoolBytes: 0,
		gcPauseNs: 0,
		gcCount: 0,
		reported: 0
	};
	const observer = observeGc((ms) => {
		totals.gcPauseNs += ms * 1e6;
		totals.gcCount += 1;
	});
	let last = readHeapUsed();
	return {
		sample() {
			const heap = readHeapUsed();
			totals.reported = (heap !== null ? REPORTED.HEAP : 0) | (observer ? REPORTED.GC : 0);
			if (heap !== null) {
				if (last !== null && heap > last) totals.outsidePoolBytes += heap - last;
				totals.heapUsedBytes = heap;
			}
			last = heap;
			return totals;
		},
		dispose() {
			observer?.disconnect();
		}
	};
}

/** A Node GC observer calling `onPause(ms)` per collection, or null off Node. */
function observeGc(onPause: (ms: number) => void): { disconnect(): void } | null {
	const proc = (globalThis as { process?: NodeProcess }).process;
	const hooks = proc?.getBuiltinModule?.('node:perf_hooks') as PerfHooks | undefined;
	if (!hooks?.PerformanceObserver) return null;
	try {
		const observer = new hooks.PerformanceObserver((list) => {
			for (const entry of list.getEntries()) onPause(entry.duration);
		});
		observer.observe({ entryTypes: ['gc'] });
		return observer;
	} catch {
		return null;
	}
}
