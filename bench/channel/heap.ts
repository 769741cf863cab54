// gc() for a worker_thread. `execArgv: ['--expose-gc']` is refused for worker_threads on
// Node 20 (ERR_WORKER_INVALID_EXEC_ARGV), so set the V8 flag at run time and take the gc
// function from a fresh context, where V8 installs it when the flag is on.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function findGc(): (() => void) | undefined {
	const exposed = (globalThis as { gc?: () => void }).gc;
	if (typeof exposed === 'function') return exposed;
	try {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as unknown;
		return typeof gc === 'function' ? (gc as () => void) : undefined;
	} catch {
		return undefined;
	}
}

const gc = findGc();

/** True when heapAfterGc() really collects first. */
export const hasGc = gc !== undefined;

/** heapUsed in bytes after two full collections (when gc is available). */
export function heapAfterGc(): number {
	gc?.();
	gc?.();
	return process.memoryUsage().heapUsed;
}

/** The p-th percentile (0..1) of `samples`, which it sorts in place. */
export function percentile(samples: Float64Array, p: number): number {
	samples.sort();
	return samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
}
