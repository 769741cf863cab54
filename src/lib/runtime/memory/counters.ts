// The pool's hot counters, kept off shared cache lines. Part of the memory pool (design in
// pool.ts, cells in layout.ts).
//
// Threads: every MemoryPool object (one per thread and create/attach call) claims one counter
// line of the control buffer when it is made, with an Atomics.add on CTL_COUNTER_CLAIMS, and
// from then on only it writes that line: acquire and release touch no line another thread
// writes per batch. The sole writer of a line bumps it with plain loads and stores (bump()):
// no locked instruction per batch, and no update can be lost because nobody else writes there.
// Past COUNTER_LINES - 1 claims, objects share the last line; on it every update is an
// Atomics.add, so a shared line stays exact (it just bounces between its threads).
//
// Layout of a counter line (Int32 cells from its start):
//   C_HITS      acquisitions served from a free list             (wraps at 2^32)
//   C_CARVES    acquisitions that carved a fresh block           (wraps at 2^32)
//   C_RELEASED  final releases (a block back on its free list)   (wraps at 2^32)
//   C_UNITS     64-byte units acquired minus units released by this object: negative on a
//               line whose thread releases more than it acquires; only the sum means anything
// blocksInUse = sum(C_HITS + C_CARVES - C_RELEASED), bytesInUse = sum(C_UNITS) * 64, both
// summed in wrapping int32 arithmetic, which is exact because the true totals fit an int32.
//
// Ordering: each counter is bumped AFTER the operation it counts (a claim's CAS, a release's
// CAS), so a quiescent pool sums exactly (a reader that synchronised with the writers, e.g.
// after their run ended, sees their plain stores; Int32 elements never tear). Staleness: a sum taken while other threads work reads
// the lines one after another, so a release may be counted before the acquire it undoes:
// in-use figures are clamped at 0 and may be off by the operations in flight.
// High water: the largest bytesInUse sampled, after every fresh carve and at every stats() call.
// It misses a peak reached by reusing freed blocks between two samples (an exact peak would
// need a shared in-use counter bumped per batch, which is what this module avoids), and like
// any sum it may be off by the operations in flight.
// Nobody blocks. Nothing allocates.

import {
	CTL_COUNTER_CLAIMS,
	CTL_COUNTERS,
	CTL_HIGH_WATER_UNITS,
	COUNTER_LINES,
	C_CARVES,
	C_HITS,
	C_RELEASED,
	C_UNITS,
	LINE_INTS
} from './layout';

/** Int32 index of the last counter line, the one objects past COUNTER_LINES - 1 share. */
export const SHARED_LINE = CTL_COUNTERS + (COUNTER_LINES - 1) * LINE_INTS;

/** Claims a counter line for a new MemoryPool object; its Int32 index in the control buffer. */
export function claimCounterLine(control: Int32Array): number {
	const claim = Atomics.add(control, CTL_COUNTER_CLAIMS, 1);
	return CTL_COUNTERS + Math.min(claim, COUNTER_LINES - 1) * LINE_INTS;
}

/**
 * Adds `delta` to counter `cell` of the line at `line`: plain load and store on a line this
 * object owns alone, an Atomics.add on the shared last line (see the header).
 */
export function bump(control: Int32Array, line: number, cell: number, delta: number): void {
	if (line !== SHARED_LINE) control[line + cell] = (control[line + cell] + delta) | 0;
	else Atomics.add(control, line + cell, delta);
}

/** Totals over every claimed counter line. */
export interface CounterSums {
	hits: number;
	carves: number;
	blocksInUse: number;
	unitsInUse: number;
}

/** Sums the claimed lines (a snapshot; see the header for how stale). Allocates the result. */
export function sumCounters(control: Int32Array): CounterSums {
	const lines = Math.min(Atomics.load(control, CTL_COUNTER_CLAIMS), COUNTER_LINES);
	let hits = 0;
	let carves = 0;
	let released = 0;
	let units = 0;
	for (let i = 0; i < lines; i++) {
		const line = CTL_COUNTERS + i * LINE_INTS;
		hits = (hits + Atomics.load(control, line + C_HITS)) | 0;
		carves = (carves + Atomics.load(control, line + C_CARVES)) | 0;
		released = (released + Atomics.load(control, line + C_RELEASED)) | 0;
		units = (units + Atomics.load(control, line + C_UNITS)) | 0;
	}
	return {
		hits: hits >>> 0,
		carves: carves >>> 0,
		blocksInUse: Math.max(0, (hits + carves - released) | 0),
		unitsInUse: Math.max(0, units)
	};
}

/** Units in use right now, summed without allocating (for the high-water sample). */
function unitsInUse(control: Int32Array): number {
	const lines = Math.min(Atomics.load(control, CTL_COUNTER_CLAIMS), COUNTER_LINES);
	let units = 0;
	for (let i = 0; i < lines; i++)
		units = (units + Atomics.load(control, CTL_COUNTERS + i * LINE_INTS + C_UNITS)) | 0;
	return units;
}

/** Raises CTL_HIGH_WATER_UNITS to `inUse` (default: the current sum) if that is higher. */
export function sampleHighWater(control: Int32Array, inUse = unitsInUse(control)): number {
	let high = Atomics.load(control, CTL_HIGH_WATER_UNITS);
	while (inUse > high) {
		// Publishes a new peak; a failed CAS means another thread raised it: compare again.
		const seen = Atomics.compareExchange(control, CTL_HIGH_WATER_UNITS, high, inUse);
		if (seen === high) return inUse;
		high = seen;
	}
	return high;
}
