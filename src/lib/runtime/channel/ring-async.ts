// The main thread's ring waits (pushAsync/popAsync): the same announce, re-check, sleep protocol
// as the blocking push/pop (doorbell.ts, ring.ts), with Atomics.waitAsync so the event loop never
// blocks, and without spinning (a spinning main thread would freeze the page).
// Allocation: the promise, and the attempt closure the caller passes; main thread only.
import { RING, type RingStatus } from '../contracts';
import type { Doorbell } from './doorbell';

/** What an attempt returns when it could not move yet and the caller should wait. */
export const NOT_YET = -1;

/**
 * Runs `attempt` until it returns a status (OK, or why it never will) instead of NOT_YET,
 * sleeping on `bell` in between; TIMED_OUT once `timeoutMs` has passed.
 */
export async function retryAsync<S extends number = RingStatus>(
	bell: Doorbell,
	timeoutMs: number,
	attempt: () => S | RingStatus | typeof NOT_YET
): Promise<S | RingStatus> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		let status: S | RingStatus | typeof NOT_YET = attempt();
		if (status !== NOT_YET) return status;
		const left = deadline - performance.now();
		if (left <= 0) return RING.TIMED_OUT;
		const seen = bell.prepare();
		// Re-check AFTER announcing: a move by the other side before prepare() rang nobody.
		status = attempt();
		if (status !== NOT_YET) {
			bell.cancelPrepare();
			return status;
		}
		await bell.sleepAsync(seen, left);
	}
}
