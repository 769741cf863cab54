// Doorbells: where a thread parks when none of its rings can move, and how another thread wakes it.
//
// Threads: each doorbell belongs to ONE parking thread (a pool worker, or the page's main thread).
// Any thread may ring it. A worker hosting several stages uses one doorbell for all its rings, so
// a push into any of its input rings or a pop from any of its output rings wakes it.
//
// Layout (`createDoorbells(count)`): one 64-byte line per doorbell, so ringing one never
// invalidates the cache line another thread spins on. `DoorbellDescriptor.index` is the doorbell's
// number n (0..count-1), NOT an Int32 index; doorbell n uses two Int32 cells of line n:
//   n * INT32_PER_LINE + VALUE    ring counter, bumped by every ring(); only a change matters
//   n * INT32_PER_LINE + WAITERS  how many parkers are inside Atomics.wait/waitAsync right now
//
// Protocol (no lost wake-ups): a parker reads `value()` BEFORE it checks for work, then parks
// with `park(seen)`. A ringer publishes its work first (e.g. the ring's TAIL store), then bumps
// VALUE. If the ring lands after `value()` was read, VALUE !== seen and Atomics.wait returns at
// once ("not-equal"); if it landed before, the parker's check already saw the work.
//
// Ordering of the notify shortcut: ring() bumps VALUE then reads WAITERS; park() bumps WAITERS
// then lets Atomics.wait compare VALUE. All four are sequentially consistent, so either the ringer
// sees WAITERS > 0 and notifies, or the parker's wait sees the new VALUE and does not sleep.
// Skipping Atomics.notify when nobody waits keeps ring() to two uncontended atomics. A ringer
// that read WAITERS > 0 may notify late, waking a LATER park whose `seen` already includes its
// bump; park() treats such an 'ok' with VALUE unchanged as spurious and sleeps again.
//
// Staleness: value() and waiters() are snapshots; only whether VALUE moved away from `seen`
// means anything, and a wrapped counter is fine (2^32 rings between a read and its park: never).
//
// Who may block: park() uses Atomics.wait and is for workers only (browsers forbid it on the main
// thread); the main thread uses parkAsync() (Atomics.waitAsync, or a 1 ms timer poll where the
// browser lacks it). Allocation: ring/value/park allocate nothing;
// parkAsync allocates the promise it returns.
import type { DoorbellDescriptor } from '../contracts';

/** Int32 offset of the ring counter from the start of its line. */
export const VALUE = 0;
/** Int32 offset of the count of threads parked on the doorbell right now. */
export const WAITERS = 1;
/** Int32 cells per 64-byte cache line. */
export const INT32_PER_LINE = 16;
/** Loads of VALUE before park() gives up the core; a few hundred nanoseconds. */
export const SPIN_LOADS = 50;

/** A SharedArrayBuffer holding `count` doorbells, each on its own 64-byte line. */
export function createDoorbells(count: number): SharedArrayBuffer {
	if (!Number.isInteger(count) || count < 1)
		throw new RangeError(`count must be a positive integer, got ${count}`);
	return new SharedArrayBuffer(count * INT32_PER_LINE * Int32Array.BYTES_PER_ELEMENT);
}

/** How many doorbells a buffer made by `createDoorbells` holds. */
export function doorbellCount(sab: SharedArrayBuffer): number {
	return Math.floor(sab.byteLength / (INT32_PER_LINE * Int32Array.BYTES_PER_ELEMENT));
}

export class Doorbell {
	readonly descriptor: DoorbellDescriptor;
	private readonly cells: Int32Array;
	/** Int32 index of this doorbell's VALUE cell. */
	private readonly valueAt: number;
	/** Int32 index of this doorbell's WAITERS cell. */
	private readonly waitersAt: number;

	constructor(d: DoorbellDescriptor) {
		if (!(d.sab instanceof SharedArrayBuffer))
			throw new TypeError('sab must be a SharedArrayBuffer');
		const count = doorbellCount(d.sab);
		if (!Number.isInteger(d.index) || d.index < 0 || d.index >= count)
			throw new RangeError(`index must be a doorbell number in [0, ${count - 1}], got ${d.index}`);
		this.descriptor = d;
		this.cells = new Int32Array(d.sab);
		this.valueAt = d.index * INT32_PER_LINE + VALUE;
		this.waitersAt = d.index * INT32_PER_LINE + WAITERS;
	}

	/** Wakes whoever parks on this doorbell. Call it after publishing the work it announces. */
	ring(): void {
		// Publishes "something changed": any park(seen) that starts from now on returns at once.
		Atomics.add(this.cells, this.valueAt, 1);
		// Read after the add (see header): 0 here means no parker can sleep through the bump.
		if (Atomics.load(this.cells, this.waitersAt) > 0) {
			// Wakes every parker; a shared doorbell may have a sync and an async waiter at once.
			Atomics.notify(this.cells, this.valueAt);
		}
	}

	/** The ring counter. Read it BEFORE checking for work, then `park(seen)`. */
	value(): number {
		return Atomics.load(this.cells, this.valueAt);
	}

	/** Threads parked here right now (a snapshot; tests use it to know a waiter has gone to sleep). */
	waiters(): number {
		return Atomics.load(this.cells, this.waitersAt);
	}

	/**
	 * Spins briefly, then sleeps until the doorbell rings or `timeoutMs` passes (Infinity: no
	 * limit). True if the value moved away from `seen`, false only on timeout. Workers only.
	 */
	park(seen: number, timeoutMs: number): boolean {
		const cells = this.cells;
		for (let i = 0; i < SPIN_LOADS; i++) {
			if (Atomics.load(cells, this.valueAt) !== seen) return true;
		}
		const deadline = performance.now() + timeoutMs;
		// Announce the parker before Atomics.wait compares VALUE (pairs with ring()'s add-then-load).
		Atomics.add(cells, this.waitersAt, 1);
		let changed: boolean;
		for (;;) {
			const woke = Atomics.wait(cells, this.valueAt, seen, deadline - performance.now());
			changed = Atomics.load(cells, this.valueAt) !== seen;
			// 'ok' with VALUE unchanged is a stale notify: a ringer that saw WAITERS > 0 during an
			// earlier park notified only now. Sleep again for the time that is left.
			if (changed || woke === 'timed-out' || performance.now() >= deadline) break;
		}
		// Withdraws the parker: from here on ring() may skip the notify again.
		Atomics.sub(cells, this.waitersAt, 1);
		return changed;
	}

	/** The main thread's park: Atomics.waitAsync, no spinning, never blocks the event loop. */
	async parkAsync(seen: number, timeoutMs: number): Promise<boolean> {
		const cells = this.cells;
		const deadline = performance.now() + timeoutMs;
		// Announce the parker before waitAsync compares VALUE (pairs with ring()'s add-then-load).
		Atomics.add(cells, this.waitersAt, 1);
		let changed: boolean;
		try {
			for (;;) {
				const woke = await waitAsync(cells, this.valueAt, seen, deadline - performance.now());
				changed = Atomics.load(cells, this.valueAt) !== seen;
				// 'ok' with VALUE unchanged is a stale notify (see park()): wait again.
				if (changed || woke === 'timed-out' || performance.now() >= deadline) break;
			}
		} finally {
			// Withdraws the parker: from here on ring() may skip the notify again.
			Atomics.sub(cells, this.waitersAt, 1);
		}
		return changed;
	}
}

/** Milliseconds between looks at VALUE where the platform has no Atomics.waitAsync. */
const POLL_MS = 1;

/** Atomics.waitAsync, or a timer poll on platforms that lack it (older Firefox). */
async function waitAsync(
	cells: Int32Array,
	index: number,
	seen: number,
	timeoutMs: number
): Promise<'ok' | 'not-equal' | 'timed-out'> {
	if (typeof Atomics.waitAsync === 'function') {
		return Atomics.waitAsync(cells, index, seen, timeoutMs).value; // a string when not async
	}
	const deadline = performance.now() + timeoutMs;
	while (Atomics.load(cells, index) === seen) {
		if (performance.now() >= deadline) return 'timed-out';
		await new Promise((resolve) => setTimeout(resolve, POLL_MS));
	}
	return 'ok';
}
