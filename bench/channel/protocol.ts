// What the channel bench's main thread asks its two worker_threads to do, and what they answer.
// Tasks travel once per case over the workers' parentPort; the batches themselves never do
// (ring cases) or go over a MessagePort shared by the two workers (postMessage cases).
import type { PoolDescriptor } from '../../src/lib/runtime/memory/pool';
import type { RingDescriptor } from '../../src/lib/runtime/channel/ring';

/** How batches move: our pool + ring, or one of the three postMessage baselines. */
export type Method = 'ring' | 'clone' | 'transfer' | 'recycle';

/** Ring slots, and postMessage batches in flight at most (same bound for every method). */
export const IN_FLIGHT = 256;
/** A postMessage consumer acknowledges every ACK_EVERY batches (clone, transfer). */
export const ACK_EVERY = 32;
/** Longest a blocking push/pop/acquire may wait before the bench calls it a hang. */
export const WAIT_MS = 30_000;

/**
 * One stream of `warmup + count` batches from the producer to the consumer. The consumer
 * times the last `count` of them; with `heap`, both sides gc() and read heapUsed at that
 * boundary and again after the last batch.
 */
export interface FlowTask {
	kind: 'flow';
	method: Method;
	role: 'producer' | 'consumer';
	payload: number;
	warmup: number;
	count: number;
	heap: boolean;
	/** Ring cases only. */
	pool?: PoolDescriptor;
	ring?: RingDescriptor;
}

/** `warmup + count` round trips of one batch; the pinger times the last `count`. */
export interface PingTask {
	kind: 'ping';
	method: 'ring' | 'post';
	role: 'pinger' | 'echoer';
	payload: number;
	warmup: number;
	count: number;
	/** Ring case only: the pool, the pinger -> echoer ring and the echoer -> pinger ring. */
	pool?: PoolDescriptor;
	there?: RingDescriptor;
	back?: RingDescriptor;
}

export type Task = FlowTask | PingTask;

export interface TaskResult {
	/** Why the task failed, if it did. */
	error?: string;
	/** Consumer / pinger: seconds for the timed batches or round trips. */
	seconds?: number;
	/** Batches whose header did not carry the expected sequence number. */
	mismatches?: number;
	/** heap: heapUsed after gc() at the warm-up boundary and after the last batch. */
	heapBefore?: number;
	heapAfter?: number;
	/** Whether a real gc() ran before the heap readings. */
	gc?: boolean;
	/** Pinger: round-trip percentiles in µs. */
	p50Us?: number;
	p99Us?: number;
}
