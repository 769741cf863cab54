// Run control cells, shared by the main thread and every worker of a run.
//
// Layout (Int32Array over a SharedArrayBuffer of 64 bytes plus 4 per worker):
//   STATE   RUNNING, then CANCELLED or FAILED, set once by whoever stops the run first
//           (compareExchange), never reset: a new run gets new control cells.
//   BEATS+w worker w's heartbeat, on a cache line of its own away from STATE: its host adds 1
//           each time it yields to its event loop (about every 20 ms while it runs) and stores
//           BEAT_FINISHING once it leaves its loop to hand back results. Only the main thread
//           reads it (Run's stall watch), and only compares it with its previous reading, so a
//           stale read costs at most one check interval. Nobody blocks on it.
// Any thread may stop the run; after the compareExchange that publishes the new state it rings
// every doorbell of the run, so a parked host wakes, reads STATE and unwinds. Hosts read STATE
// with Atomics.load at the top of every loop iteration: a stop is seen within one kernel call.
import type { Doorbell } from '../channel/doorbell';

export const CONTROL = {
	STATE: 0,
	/** First heartbeat cell (16 × 4 bytes = one 64-byte line after STATE). */
	BEATS: 16
} as const;
export const CONTROL_BYTES = 64;
/** A heartbeat that is done beating: the host left its loop (results, or a stop). */
export const BEAT_FINISHING = -1;

export const RUN_STATE = { RUNNING: 0, CANCELLED: 1, FAILED: 2 } as const;
export type RunState = (typeof RUN_STATE)[keyof typeof RUN_STATE];

export function createControl(workers: number): SharedArrayBuffer {
	return new SharedArrayBuffer(CONTROL_BYTES + 4 * workers);
}

/** Host side: worker `w` is alive and between steps. */
export function beat(cells: Int32Array, w: number): void {
	// Publishes liveness only; no other memory is ordered by it.
	if (CONTROL.BEATS + w < cells.length) Atomics.add(cells, CONTROL.BEATS + w, 1);
}

/** Host side: worker `w` left its loop; its silence from here on is not a stall. */
export function beatFinishing(cells: Int32Array, w: number): void {
	// Publishes that the stall watch must ignore this worker from now on.
	if (CONTROL.BEATS + w < cells.length) Atomics.store(cells, CONTROL.BEATS + w, BEAT_FINISHING);
}

/** Main side: worker `w`'s heartbeat (BEAT_FINISHING once it left its loop). */
export function heartbeat(cells: Int32Array, w: number): number {
	return CONTROL.BEATS + w < cells.length ? Atomics.load(cells, CONTROL.BEATS + w) : BEAT_FINISHING;
}

export function runState(cells: Int32Array): RunState {
	return Atomics.load(cells, CONTROL.STATE) as RunState;
}

/** Moves the run from RUNNING to `to`; false if it was already stopped. Rings every bell. */
export function stopRun(cells: Int32Array, to: RunState, bells: readonly Doorbell[]): boolean {
	// Publishes the stop; only the first stopper wins, so the first failure is the one reported.
	const won =
		Atomics.compareExchange(cells, CONTROL.STATE, RUN_STATE.RUNNING, to) === RUN_STATE.RUNNING;
	// Wakes every parked host so it reads STATE.
	for (const bell of bells) bell.ring();
	return won;
}
