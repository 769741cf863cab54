// The kernels every pool worker can run: the node catalogue's and the engine's test kernels.
import { nodeKernels } from '../lib/nodes/catalogue';
import { mergeKernelTables } from '../lib/runtime/scheduler/kernel';
import { TEST_KERNELS } from '../lib/runtime/scheduler/test-kernels';

export const WORKER_KERNELS = mergeKernelTables(TEST_KERNELS, nodeKernels());

/** This thread's JS heap in bytes: Node's memoryUsage, Chromium's performance.memory, or 0. */
export function heapUsed(): number {
	const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process;
	if (proc?.memoryUsage) return proc.memoryUsage().heapUsed;
	const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
	return memory?.usedJSHeapSize ?? 0;
}
