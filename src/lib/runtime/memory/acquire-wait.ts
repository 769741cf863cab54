// Waiting for budget: how acquire() and acquireAsync() park until a release makes room, and
// how a release or a cancel wakes them. Part of the memory pool (design in pool.ts).
//
// Cells (layout.ts): CTL_WAITERS, how many threads are between announcing a wait and the end of
// it; CTL_RELEASE_SEQ, bumped by a final release that finds CTL_WAITERS > 0, and by a cancel;
// CTL_CANCEL, set by cancelWaiters() until resetCancel().
//
// Ordering: a waiter first tries without announcing anything (the fast path touches neither
// cell). Then it counts itself in CTL_WAITERS, THEN reads CTL_RELEASE_SEQ and CTL_CANCEL, THEN
// tries again, and waits only while the sequence still holds what it read. A releaser pushes
// the block onto its free list, THEN reads CTL_WAITERS, and bumps the sequence and notifies only
// when it is > 0. All Atomics are sequentially consistent, so either the waiter's second try
// sees the pushed block, or the releaser sees the waiter counted and bumps the sequence after
// the waiter announced, so the wait returns at once or is notified: no wake-up is lost, and a
// release with nobody waiting costs one shared load. A cancel stores CTL_CANCEL before its bump,
// so a waiter that read the bumped sequence also reads the cancel.
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
		let handle = pool.tryAcquire(payloadBytes);
		if (handle !== NO_BLOCK) return handle;
		const now = performance.now();
		if (deadline < 0) {
			deadline = now + timeoutMs;
			if (timeoutMs > 0) Atomics.add(control, CTL_BUDGET_WAITS, 1);
		}
		if (now >= deadline) return NO_BLOCK;
		// Publishes this waiter: from here on a final release bumps the sequence and notifies.
		Atomics.add(control, CTL_WAITERS, 1);
		// Sequence after announcing, then the second try (see header).
		const seq = Atomics.load(control, CTL_RELEASE_SEQ);
		const cancelled = Atomics.load(control, CTL_CANCEL) !== 0;
		handle = cancelled ? NO_BLOCK : pool.tryAcquire(payloadBytes);
		if (handle === NO_BLOCK && !cancelled)
			Atomics.wait(control, CTL_RELEASE_SEQ, seq, deadline - now);
		// Withdraws this waiter: releases may skip the bump again once no one is counted.
		Atomics.sub(control, CTL_WAITERS, 1);
		if (handle !== NO_BLOCK) return handle;
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
		let handle = pool.tryAcquire(payloadBytes);
		if (handle !== NO_BLOCK) return handle;
		const now = performance.now();
		if (deadline < 0) {
			deadline = now + timeoutMs;
			if (timeoutMs > 0) Atomics.add(control, CTL_BUDGET_WAITS, 1);
		}
		if (now >= deadline) return NO_BLOCK;
		// Publishes this waiter, then sequence, then the second try, as in acquireBlocking.
		Atomics.add(control, CTL_WAITERS, 1);
		try {
			const seq = Atomics.load(control, CTL_RELEASE_SEQ);
			const cancelled = Atomics.load(control, CTL_CANCEL) !== 0;
			handle = cancelled ? NO_BLOCK : pool.tryAcquire(payloadBytes);
			if (handle !== NO_BLOCK) return handle;
			if (cancelled) continue; // the loop's first line answers NO_BLOCK
			if (hasWaitAsync) {
				const r = Atomics.waitAsync(control, CTL_RELEASE_SEQ, seq, deadline - now);
				if (r.async) await r.value;
			} else {
				await sleep(Math.min(pollMs, deadline - now));
				pollMs = Math.min(pollMs * 2, 16);
			}
		} finally {
			// Withdraws this waiter (after the wait, or on the early returns above).
			Atomics.sub(control, CTL_WAITERS, 1);
		}
	}
}

/** Called by the final release, after the block is back on its free list. */
export function wakeAfterRelease(control: Int32Array): void {
	// Read after the free-list push (see header): 0 means any later waiter's second try sees it.
	if (Atomics.load(control, CTL_WAITERS) === 0) return;
	// Publishes "a block was freed" to waiters (they re-try when the sequence changes).
	Atomics.add(control, CTL_RELEASE_SEQ, 1);
	// Wakes every parked acquirer, sync and async.
	Atomics.notify(control, CTL_RELEASE_SEQ);
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
