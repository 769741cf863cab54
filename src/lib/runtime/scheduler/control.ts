// Run control cells, shared by the main thread and every worker of a run.
//
// Layout (Int32Array over a 64-byte SharedArrayBuffer):
//   STATE   RUNNING, then CANCELLED or FAILED, set once by whoever stops the run first
//           (compareExchange), never reset: a new run gets new control cells.
// Any thread may stop the run; after the compareExchange that publishes the new state it rings
// every doorbell of the run, so a parked host wakes, reads STATE and unwinds. Hosts read STATE
// with Atomics.load at the top of every loop iteration: a stop is seen within one kernel call.
import type { Doorbell } from '../channel/doorbell';

export const CONTROL = {
	STATE: 0
} as const;
export const CONTROL_BYTES = 64;

export const RUN_STATE = { RUNNING: 0, CANCELLED: 1, FAILED: 2 } as const;
export type RunState = (typeof RUN_STATE)[keyof typeof RUN_STATE];

export function createControl(): SharedArrayBuffer {
	return new SharedArrayBuffer(CONTROL_BYTES);
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
