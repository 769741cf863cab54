// Doorbells: where a thread parks when none of its rings can move, and how another thread wakes it.
// A wake-up is paid for only when someone has announced that it may sleep: a ring() nobody waits
// for is one shared load.
//
// Threads: each doorbell belongs to ONE parking thread (a pool worker, or the page's main thread,
// which may have several async parks pending on it at once). Any thread may ring it. A worker
// hosting several stages uses one doorbell for all its rings, so a push into any of its input
// rings or a pop from any of its output rings wakes it.
//
// Layout (`createDoorbells(count)`): one 64-byte line per doorbell, so ringing one never
// invalidates the cache line another thread spins on. `DoorbellDescriptor.index` is the doorbell's
// number n (0..count-1), NOT an Int32 index; doorbell n uses two Int32 cells of line n:
//   n * INT32_PER_LINE + VALUE    wake counter, bumped by a ring() that finds ARMED set
//   n * INT32_PER_LINE + WAITERS  (parkers << 1) | ARMED: parkers between prepare() and the end
//                                 of their sleep, and whether one announced itself since the
//                                 last bump (one CAS changes both, so they never disagree)
//
// Protocol (no lost wake-ups; every operation below is a sequentially consistent Atomics op):
//   parker:  seen = prepare()   reads VALUE, THEN counts itself in WAITERS and sets ARMED
//            re-check for work  (the ring's TAIL/HEAD/STATE, or a whole scheduler pass)
//            found work -> cancelPrepare(); none -> sleep(seen, ms) (Atomics.wait on VALUE)
//   ringer:  publish the work (e.g. the ring's TAIL store), THEN ring(): load WAITERS; if ARMED,
//            clear ARMED with Atomics.and and, if this call cleared it, bump VALUE and notify.
// Either the parker's re-check sees the work, or the work was published after the re-check and
// so after ARMED was set: then the ringer sees ARMED, or some ringer cleared it after the parker
// set it, and that ringer bumps VALUE after the parker read `seen`, so sleep(seen) returns at
// once or is notified. This is why prepare() reads VALUE BEFORE arming: read after, it could
// already include a bump made for an earlier ring, and a second ringer that finds ARMED cleared
// would then skip the bump the sleeper needs (the forced-interleaving spec shows it).
// "Wake once per sleep": only the ringer that clears ARMED bumps and notifies; the rings after it
// are one load each until a parker arms again. The last parker to leave (count 1 -> 0) clears
// ARMED with the same CAS, so a parker that found work leaves no wake-up for ringers to pay.
// A ringer that cleared ARMED may notify late and wake a LATER sleep whose `seen` already includes
// its bump; sleep() treats such an 'ok' with VALUE unchanged as spurious and sleeps again.
//
// Staleness: waiters() is a snapshot. Only whether VALUE moved away from `seen` means anything;
// a wrapped counter is fine (2^32 bumps between a prepare and its sleep: never).
//
// Who may block: sleep() uses Atomics.wait and is for workers only (browsers forbid it on the
// main thread); the main thread uses sleepAsync() (Atomics.waitAsync, or a 1 ms timer poll where
// the browser lacks it). Every prepare() must be followed by exactly one cancelPrepare(), sleep()
// or sleepAsync(). Allocation: ring/prepare/cancelPrepare/sleep allocate nothing; sleepAsync
// allocates the promise it returns.
import type { DoorbellDescriptor } from '../contracts';

/** Int32 offset of the wake counter from the start of its line. */
export const VALUE = 0;
/** Int32 offset of the parker count and ARMED flag: `(parkers << 1) | ARMED`. */
export const WAITERS = 1;
/** Bit of the WAITERS cell: a parker announced itself and no ring has bumped VALUE since. */
export const ARMED = 1;
/** What one parker adds to the WAITERS cell. */
export const ONE_PARKER = 2;
/** Int32 cells per 64-byte cache line. */
export const INT32_PER_LINE = 16;

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

	/** Wakes whoever prepared to sleep here. Call it after publishing the work it announces. */
	ring(): void {
		const cells = this.cells;
		// Read after the caller published its work (see header): ARMED clear means any parker
		// that arms from now on re-checks after arming and finds that work itself.
		if ((Atomics.load(cells, this.waitersAt) & ARMED) === 0) return;
		// Only the ringer that clears ARMED pays for the wake-up; the others saw it cleared.
		if ((Atomics.and(cells, this.waitersAt, ~ARMED) & ARMED) === 0) return;
		// Publishes "rung": a sleep(seen) whose seen predates this bump returns at once.
		Atomics.add(cells, this.valueAt, 1);
		// Wakes every parker; the main thread may have several async sleeps on one doorbell.
		Atomics.notify(cells, this.valueAt);
	}

	/**
	 * True while a parker is announced and not yet rung: one shared load. A ringer that may skip
	 * the wake-up (ring.ts's hysteresis) reads this first, after publishing its work, and calls
	 * ring() only if it must; ring() then re-checks, so a stale true costs one more load.
	 */
	isArmed(): boolean {
		return (Atomics.load(this.cells, this.waitersAt) & ARMED) !== 0;
	}

	/**
	 * Announces that this thread may sleep and returns the `seen` value to sleep on. Re-check for
	 * work AFTER this call; then cancelPrepare() if there was some, else sleep(seen, ms).
	 */
	prepare(): number {
		const cells = this.cells;
		// VALUE first, then arm (see header): a bump after this read is a ring we must not miss.
		const seen = Atomics.load(cells, this.valueAt);
		for (;;) {
			const w = Atomics.load(cells, this.waitersAt);
			// Publishes this parker: ringers now bump VALUE and notify instead of skipping.
			if (Atomics.compareExchange(cells, this.waitersAt, w, (w + ONE_PARKER) | ARMED) === w)
				return seen;
		}
	}

	/** Withdraws a prepare() whose re-check found work. */
	cancelPrepare(): void {
		this.leave();
	}

	/**
	 * Sleeps until a ring() after the matching prepare() or `timeoutMs` passes (Infinity: no
	 * limit), then withdraws the announcement. True if rung, false on timeout. Workers only.
	 */
	sleep(seen: number, timeoutMs: number): boolean {
		const cells = this.cells;
		let changed = Atomics.load(cells, this.valueAt) !== seen;
		if (!changed) {
			const deadline = performance.now() + timeoutMs;
			for (;;) {
				const woke = Atomics.wait(cells, this.valueAt, seen, deadline - performance.now());
				changed = Atomics.load(cells, this.valueAt) !== seen;
				// 'ok' with VALUE unchanged is a late notify from a ringer that bumped before our
				// prepare() read VALUE. Sleep again for the time that is left.
				if (changed || woke === 'timed-out' || performance.now() >= deadline) break;
			}
		}
		this.leave();
		return changed;
	}

	/** The main thread's sleep: Atomics.waitAsync, never blocks the event loop. */
	async sleepAsync(seen: number, timeoutMs: number): Promise<boolean> {
		const cells = this.cells;
		const deadline = performance.now() + timeoutMs;
		let changed: boolean;
		try {
			for (;;) {
				const woke = await waitAsync(cells, this.valueAt, seen, deadline - performance.now());
				changed = Atomics.load(cells, this.valueAt) !== seen;
				// 'ok' with VALUE unchanged is a late notify (see sleep()): wait again.
				if (changed || woke === 'timed-out' || performance.now() >= deadline) break;
			}
		} finally {
			this.leave();
		}
		return changed;
	}

	/** Parkers between prepare() and the end of their sleep right now (a snapshot, for tests). */
	waiters(): number {
		return Atomics.load(this.cells, this.waitersAt) >>> 1;
	}

	/** Uncounts one parker; the last one out also clears ARMED, so idle rings stay one load. */
	private leave(): void {
		const cells = this.cells;
		for (;;) {
			const w = Atomics.load(cells, this.waitersAt);
			const next = w - ONE_PARKER < ONE_PARKER ? 0 : w - ONE_PARKER;
			// Publishes the withdrawal: with no parker left, ring() is back to one load.
			if (Atomics.compareExchange(cells, this.waitersAt, w, next) === w) return;
		}
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
