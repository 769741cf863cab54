// Waiting for budget: how acquire() and acquireAsync() park until a release makes room, and
// how a release or a cancel wakes them. Part of the memory pool (design in pool.ts).
//
// Cells (layout.ts): CTL_RELEASE_SEQ, bumped after every final release and by a cancel;
// CTL_WAITERS, how many threads are parked on it (so a release skips the notify syscall when
// nobody waits); CTL_CANCEL, set by cancelWaiters() until resetCancel().
//
// Ordering: a waiter reads CTL_RELEASE_SEQ BEFORE it tries to acquire, counts itself in
// CTL_WAITERS, then waits only while the sequence still holds what it read. A releaser pushes
// the block, bumps the sequence, then reads CTL_WAITERS. All Atomics are sequentially
// consistent, so either the waiter's wait sees the new sequence and returns at once, or the
// releaser sees the waiter counted and notifies: no wake-up is lost.
//
// Who may block: acquireBlocking parks in Atomics.wait (workers; a page's main thread throws
// there). acquireNonBlocking awaits Atomics.waitAsync, or where that is missing (Firefox
// before it shipped) polls with timers of 1..16 ms. Every waiter is woken by any release,
// whatever class it wants, and re-tries; waiters are few (one per worker).
// Allocates: acquireBlocking nothing; acquireNonBlocking promises (main thread only).

import { NO_BLOCK } from '../contracts';
import { CTL_BUDGET_WAITS, CTL_CANCEL, CTL_RELEASE_SEQ, CTL_WAITERS } from './layout';

export interface BlockSource {
	tryAcquire(payloadBytes: number): number;
}

const hasWaitAsync = typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function acquireBlocking(
	pool: BlockSource,
	control: Int32Array,
	payloadBytes: number,
	timeoutMs: number
): number {
	let deadline = -1;
	for (;;) {
		if (Atomics.load(control, CTL_CANCEL) !== 0) return NO_BLOCK;
		// Read the sequence before trying: a release after this read makes the wait return.
		const seq = Atomics.load(control, CTL_RELEASE_SEQ);
		const handle = pool.tryAcquire(payloadBytes);
		if (handle !== NO_BLOCK) return handle;
		const now = performance.now();
		if (deadline < 0) {
			deadline = now + timeoutMs;
			if (timeoutMs > 0) Atomics.add(control, CTL_BUDGET_WAITS, 1);
		}
		if (now >= deadline) return NO_BLOCK;
		Atomics.add(control, CTL_WAITERS, 1);
		Atomics.wait(control, CTL_RELEASE_SEQ, seq, deadline - now);
		Atomics.sub(control, CTL_WAITERS, 1);
	}
}

export async function acquireNonBlocking(
	pool: BlockSource,
	control: Int32Array,
	payloadBytes: number,
	timeoutMs: number
): Promise<number> {
	let deadline = -1;
	let pollMs = 1;
	for (;;) {
		if (Atomics.load(control, CTL_CANCEL) !== 0) return NO_BLOCK;
		// Read the sequence before trying: a release after this read makes the wait return.
		const seq = Atomics.load(control, CTL_RELEASE_SEQ);
		const handle = pool.tryAcquire(payloadBytes);
		if (handle !== NO_BLOCK) return handle;
		const now = performance.now();
		if (deadline < 0) {
			deadline = now + timeoutMs;
			if (timeoutMs > 0) Atomics.add(control, CTL_BUDGET_WAITS, 1);
		}
		if (now >= deadline) return NO_BLOCK;
		Atomics.add(control, CTL_WAITERS, 1);
		try {
			if (hasWaitAsync) {
				const r = Atomics.waitAsync(control, CTL_RELEASE_SEQ, seq, deadline - now);
				if (r.async) await r.value;
			} else {
				await sleep(Math.min(pollMs, deadline - now));
				pollMs = Math.min(pollMs * 2, 16);
			}
		} finally {
			Atomics.sub(control, CTL_WAITERS, 1);
		}
	}
}

/** Called by the final release, after the block is back on its free list. */
export function wakeAfterRelease(control: Int32Array): void {
	// Publishes "a block was freed" to waiters (they re-try when the sequence changes).
	Atomics.add(control, CTL_RELEASE_SEQ, 1);
	// Wakes parked acquirers, only when some are parked (a syscall otherwise wasted).
	if (Atomics.load(control, CTL_WAITERS) > 0) Atomics.notify(control, CTL_RELEASE_SEQ);
}

export function cancelWaiters(control: Int32Array): void {
	// Publishes the cancel to acquire()/acquireAsync() callers, which check it on waking.
	Atomics.store(control, CTL_CANCEL, 1);
	// Publishes a wake-up so waiters re-read CTL_CANCEL.
	Atomics.add(control, CTL_RELEASE_SEQ, 1);
	// Wakes every parked acquirer, sync and async.
	Atomics.notify(control, CTL_RELEASE_SEQ);
}

export function resetCancel(control: Int32Array): void {
	// Publishes "not cancelled": acquire() waits again.
	Atomics.store(control, CTL_CANCEL, 0);
}
