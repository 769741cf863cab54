// The blocking waits of a ring channel (RingChannel.push/pop, workers only): spin briefly, then
// park on the doorbell with wake hysteresis. ring.ts calls these only after a tryPush/tryPop
// failed; the ring's layout is in ring-layout.ts, the doorbell protocol in doorbell.ts.
//
// Threads: waitToPush runs on the ring's one producer thread, waitToPop on its one consumer
// thread; each side's RingChannel object carries its own WaitTuning (never shared).
//
// Spinning: a refused attempt is retried `spinTries` times (the other side is often a
// microsecond away); the count adapts between SPIN_MIN and SPIN_MAX: one more after a retry
// found room or a batch, half as many after the waiter had to sleep. Spinning pays only while
// the other side runs on another core; on a busy machine the spinner mostly delays the very
// thread it waits for (a 1 KiB round trip measured 13 µs p50 with 4 retries, 35 µs with 400),
// so the count shrinks fast and grows slowly. It is bounded: then the waiter parks.
//
// Parking (doorbell.ts): the waiter announces itself with prepare(), re-checks the ring, and
// sleeps on the value prepare() returned only if that re-check failed too: a move by the other
// side before the announcement rang nobody, so only this re-check can see it.
//
// Wake hysteresis: waking a parked thread costs a futex call on both sides, and a producer and a
// consumer running at about the same rate would otherwise wake each other for every batch. So a
// blocking pop parks asking for `want` batches and a blocking push for `want` free slots:
//   parker:  Atomics.store(WANT_READY or WANT_ROOM, want)  ->  seen = bell.prepare()
//            -> re-check: at least `want` batches (free slots) there, or the ring stopped?
//               yes: cancelPrepare(), store WANT 0, retry;  no: sleep(seen), store WANT 0
//   ringer:  (in tryPush/tryPop, ring.ts) publish TAIL (HEAD) -> bell.isArmed()? -> load WANT;
//            ring() if WANT <= 1, or if the batches (free slots) now there reach WANT
// No lost wake-up, by doorbell.ts's argument with "`want` are there" in place of "one is there":
// the move that makes `want` available published its counter after the parker's re-check (else
// the re-check would have seen it), so its isArmed() load, made after that store, sees the bell
// armed (or a ringer already cleared ARMED and bumped past `seen`); its WANT load sees the
// parker's store, made before arming; and the parker's own counter (HEAD while a consumer
// sleeps, TAIL while a producer sleeps) does not move while it sleeps, so the count is exact.
// A stale WANT can only be 0 (withdrawn), which rings early: harmless, the parker re-checks.
// What if `want` never comes (the producer paused or stopped short without closing, or the
// consumer holds its last batches while it waits on something else)? A parker with want > 1
// sleeps at most HYSTERESIS_MS, then takes whatever is there: its progress never depends on a
// wake-up that might not come. close/fail/cancel/abandon ring both doorbells unconditionally
// (a producer parked on a full ring that its consumer abandons wakes, re-checks STATE, and
// returns RING_ABANDONED).
// `want` adapts per side (nextWant): it doubles, up to capacity/2 (so a 2-slot ring never waits
// for more than one), when the other side had got further than asked by the time the parker
// ran; it halves after a sleep that timed out short; at 1 the sleep is untimed and rung by the
// first batch or slot, exactly the protocol without hysteresis. So a streaming pair wakes about
// once per capacity/2 batches, a trickle costs a few naps of HYSTERESIS_MS before want is back
// at 1, and an idle ring parks for good.
// WANT_* is withdrawn (stored 0) after every park, so parkers that share the bell without
// setting WANT (pushAsync/popAsync, a scheduler host) are rung by the first batch or slot.
//
// Staleness: the re-check and the post-sleep count read the other side's counter once; it may
// have moved on since, which only makes the next attempt succeed sooner.
// Who blocks: these functions, in Atomics.wait (Doorbell.sleep); workers only.
// Allocation: none (WaitTuning is made once per RingChannel object).
import { RING, type BatchSlot, type BlockHandle, type RingStatus } from '../contracts';
import type { PushStatus, RingChannel } from './ring';
import * as L from './ring-layout';

/** Fewest and most retries of a blocking push/pop before it prepares to sleep (see header). */
export const SPIN_MIN = 4;
export const SPIN_MAX = 128;
/** Longest a push/pop parked for more than one batch or slot sleeps before it looks again. */
export const HYSTERESIS_MS = 1;

/** One side's adaptive spin count and park wishes (see header). */
export class WaitTuning {
	/** Retries before a blocking push/pop prepares to sleep. */
	spinTries = 16;
	/** Batches a parking pop() waits for, 1..capacity/2. */
	wantReady = 1;
	/** Free slots a parking push() waits for, 1..capacity/2. */
	wantRoom = 1;
}

/**
 * The next wish of a parker that waited for `want` and woke (`rung`, or timed out) with `got`
 * available: twice as many if the other side had got further than asked, half as many after a
 * timeout that came short, else the same; always 1..capacity/2.
 */
export function nextWant(want: number, got: number, rung: boolean, capacity: number): number {
	if (got > want) return want < capacity >> 1 ? want << 1 : want;
	if (!rung && got < want) return want > 1 ? want >> 1 : 1;
	return want;
}

/** Sleep limit for a park that wants `want`: untimed (up to the deadline) only at 1. */
function napMs(want: number, deadline: number, now: number): number {
	return want > 1 ? Math.min(HYSTERESIS_MS, deadline - now) : deadline - now;
}

/**
 * Producer: retries tryPush until it succeeds, the ring stops or is abandoned by its consumer
 * (RING_ABANDONED: the block was not queued), or `timeoutMs` passes.
 */
export function waitToPush(
	ring: RingChannel,
	block: BlockHandle,
	byteLength: number,
	rows: number,
	timeoutMs: number
): PushStatus {
	const cells = ring.cells;
	const bell = ring.producerBell;
	const tune = ring.waits;
	let deadline = -1;
	for (;;) {
		const tries = tune.spinTries;
		for (let i = 0; i < tries; i++) {
			if (!ring.tryPush(block, byteLength, rows)) continue;
			if (tries < SPIN_MAX) tune.spinTries = tries + 1;
			return RING.OK;
		}
		const refusal = ring.pushRefusal();
		if (refusal !== RING.OK) return refusal;
		const now = performance.now();
		if (deadline < 0) deadline = now + timeoutMs;
		if (now >= deadline) return RING.TIMED_OUT;
		const want = tune.wantRoom;
		// Publishes how much room this producer waits for; read by a pop that finds it armed.
		Atomics.store(cells, L.WANT_ROOM, want);
		const seen = bell.prepare();
		// Re-check AFTER announcing: a pop (or a stop) before prepare() rang nobody. TAIL is ours.
		const tail = Atomics.load(cells, L.TAIL);
		let room = ring.capacity - ((tail - Atomics.load(cells, L.HEAD)) | 0);
		if (room >= want || Atomics.load(cells, L.STATE) !== L.STATE_OPEN) {
			bell.cancelPrepare();
			// Withdraws the wish: every pop rings a parker of this bell again.
			Atomics.store(cells, L.WANT_ROOM, 0);
			continue; // the tries above push, or the refusal check reports the stop
		}
		const rung = bell.sleep(seen, napMs(want, deadline, now));
		// Withdraws the wish (as above).
		Atomics.store(cells, L.WANT_ROOM, 0);
		room = ring.capacity - ((tail - Atomics.load(cells, L.HEAD)) | 0);
		tune.wantRoom = nextWant(want, room, rung, ring.capacity);
		tune.spinTries = tries > SPIN_MIN ? tries >> 1 : SPIN_MIN;
	}
}

/** Consumer: retries tryPop until it succeeds, the ring ends or stops, or `timeoutMs` passes. */
export function waitToPop(ring: RingChannel, out: BatchSlot, timeoutMs: number): RingStatus {
	const cells = ring.cells;
	const bell = ring.consumerBell;
	const tune = ring.waits;
	let deadline = -1;
	for (;;) {
		const tries = tune.spinTries;
		for (let i = 0; i < tries; i++) {
			if (!ring.tryPop(out)) continue;
			if (tries < SPIN_MAX) tune.spinTries = tries + 1;
			return RING.OK;
		}
		const status = ring.status();
		if (status !== RING.OK) return status;
		const now = performance.now();
		if (deadline < 0) deadline = now + timeoutMs;
		if (now >= deadline) return RING.TIMED_OUT;
		const want = tune.wantReady;
		// Publishes how many batches this consumer waits for; read by a push that finds it armed.
		Atomics.store(cells, L.WANT_READY, want);
		const seen = bell.prepare();
		// Re-check AFTER announcing: a push (or a stop) before prepare() rang nobody. HEAD is ours.
		const head = Atomics.load(cells, L.HEAD);
		let ready = (Atomics.load(cells, L.TAIL) - head) | 0;
		if (ready >= want || Atomics.load(cells, L.STATE) !== L.STATE_OPEN) {
			bell.cancelPrepare();
			// Withdraws the wish: every push rings a parker of this bell again.
			Atomics.store(cells, L.WANT_READY, 0);
			continue; // the tries above pop, or the status check reports the end or stop
		}
		const rung = bell.sleep(seen, napMs(want, deadline, now));
		// Withdraws the wish (as above).
		Atomics.store(cells, L.WANT_READY, 0);
		ready = (Atomics.load(cells, L.TAIL) - head) | 0;
		tune.wantReady = nextWant(want, ready, rung, ring.capacity);
		tune.spinTries = tries > SPIN_MIN ? tries >> 1 : SPIN_MIN;
	}
}
