// Slot layout of the probe worker's shared cells (Int32Array over a 16-byte SharedArrayBuffer).
// The parent writes REQUEST, then publishes it with Atomics.store(STATE, 1) + notify; the worker
// reads REQUEST only after its Atomics.wait on STATE returned, so it sees the parent's write.
export const PROBE = {
	/** 0 while the worker may sleep; the parent stores 1 to wake it. */
	STATE: 0,
	/** Set to 1 by the worker just before it parks. */
	PARKED: 1,
	/** Value written by the parent before waking the worker. */
	REQUEST: 2,
	/** The worker's answer: REQUEST * 2 + 1. */
	REPLY: 3
} as const;

export const PROBE_BYTES = 16;

export function probeAfterWake(cells: Int32Array): void {
	const request = Atomics.load(cells, PROBE.REQUEST);
	// Publishes the reply; the parent reads it after the park() call resolves.
	Atomics.store(cells, PROBE.REPLY, request * 2 + 1);
}

/** Parent side: waits (asynchronously) until the worker is parked, then writes and wakes it. */
export async function wakeProbe(cells: Int32Array, request: number): Promise<void> {
	while (Atomics.load(cells, PROBE.PARKED) === 0) {
		const r = Atomics.waitAsync(cells, PROBE.PARKED, 0, 1000);
		if (r.async) await r.value;
	}
	Atomics.store(cells, PROBE.REQUEST, request);
	// Publishes REQUEST (written above) and ends the worker's Atomics.wait.
	Atomics.store(cells, PROBE.STATE, 1);
	Atomics.notify(cells, PROBE.STATE);
}
