// Reference counting: retain, release and the checks that make a bad release harmless. Part
// of the memory pool (design in pool.ts, cells in layout.ts).
//
// Threads: any thread retains or releases any block it holds a reference to. A block's
// generation and refcount share its T_STATE cell, so one CAS both checks that the handle is
// current and changes the count: a stale handle can never touch a block that was reused. The
// final release (1 -> 0) also bumps the generation in that CAS, then (in order) stamps the new
// generation in the block's header (informational; this thread just read that line), counts the
// release on this thread's own counter line (counters.ts), pushes the block onto its free list,
// and wakes waiters if any are parked.
// Refused (returns false, counted, recorded for lastError(), nothing else changes): a handle
// that is not a published block id; a block whose header stamp was overwritten; in guards
// mode a block whose canary was overwritten (it stays out of the pool: quarantined); a stale
// generation; a block already free. Nobody blocks; nothing allocates.

import { BLOCK_GEN_MASK, BLOCK_ID_BITS, BLOCK_ID_MASK } from '../contracts';
import { wakeAfterRelease } from './acquire-wait';
import { recordBadRelease } from './bad-release';
import { guardDamage, type PoolViews } from './carve';
import { bump } from './counters';
import type { FreeLists } from './free-list';
import {
	BAD,
	BLOCK_MAGIC,
	C_RELEASED,
	C_UNITS,
	H_GENERATION,
	H_ID,
	H_MAGIC,
	PLACE_CLASS_BITS,
	REFCOUNT_MASK,
	STATE_GEN_SHIFT,
	TABLE_BASE,
	TABLE_STRIDE,
	T_OFFSET,
	T_PLACE,
	T_STATE,
	UNIT_BYTES
} from './layout';

const CLASS_MASK = (1 << PLACE_CLASS_BITS) - 1;

/**
 * True if `handle` is a non-negative int32 naming a carved, published block (any generation).
 * A plain read: T_PLACE never changes once published, and a thread holding a real handle got it
 * through a synchronising step (the claim CAS, a ring's TAIL load, postMessage), so it sees the
 * published value. For a garbage handle naming a block carved concurrently the answer may be
 * either; the caller's later checks (header, generation CAS) refuse it all the same.
 */
export function isCarved(v: PoolViews, handle: number): boolean {
	if ((handle | 0) !== handle || handle < 0) return false;
	const id = handle & BLOCK_ID_MASK;
	if (id >= v.geometry.maxBlocks) return false;
	return v.control[TABLE_BASE + id * TABLE_STRIDE + T_PLACE] !== 0;
}

export function retainBlock(v: PoolViews, handle: number, count: number): boolean {
	if (!isCarved(v, handle) || !(count >= 1) || (count | 0) !== count) return false;
	const cell = TABLE_BASE + (handle & BLOCK_ID_MASK) * TABLE_STRIDE + T_STATE;
	const gen = handle >>> BLOCK_ID_BITS;
	for (;;) {
		const s = Atomics.load(v.control, cell);
		const refs = s & REFCOUNT_MASK;
		if (s >>> STATE_GEN_SHIFT !== gen || refs === 0) return false;
		if (refs + count > REFCOUNT_MASK) return false;
		if (Atomics.compareExchange(v.control, cell, s, s + count) === s) return true;
	}
}

export function refCountOf(v: PoolViews, handle: number): number {
	if (!isCarved(v, handle)) return 0;
	const s = Atomics.load(v.control, TABLE_BASE + (handle & BLOCK_ID_MASK) * TABLE_STRIDE + T_STATE);
	return s >>> STATE_GEN_SHIFT === handle >>> BLOCK_ID_BITS ? s & REFCOUNT_MASK : 0;
}

export function releaseBlock(v: PoolViews, lists: FreeLists, handle: number): boolean {
	const c = v.control;
	if (!isCarved(v, handle)) return recordBadRelease(v, BAD.GARBAGE, handle, 0, 0);
	const id = handle & BLOCK_ID_MASK;
	const gen = handle >>> BLOCK_ID_BITS;
	const entry = TABLE_BASE + id * TABLE_STRIDE;
	// Plain reads: both are final once T_PLACE is published (see isCarved).
	const place = c[entry + T_PLACE] - 1;
	const cls = place & CLASS_MASK;
	const arena = place >>> PLACE_CLASS_BITS;
	const offset = c[entry + T_OFFSET];
	const ints = v.ints[arena];
	if (ints[(offset >> 2) + H_MAGIC] !== BLOCK_MAGIC || ints[(offset >> 2) + H_ID] !== id)
		return recordBadRelease(v, BAD.HEADER, handle, Atomics.load(c, entry + T_STATE), 0);
	if (v.geometry.options.guards) {
		const damaged = guardDamage(v, arena, offset, cls);
		if (damaged > 0)
			return recordBadRelease(v, BAD.GUARD, handle, Atomics.load(c, entry + T_STATE), damaged);
	}
	// A plain read as the CAS's first guess (the CAS checks it; a failed one returns the real
	// value); only a refusal re-reads with Atomics.load, so what is recorded is exact.
	let s = c[entry + T_STATE];
	let checked = false;
	for (;;) {
		const refs = s & REFCOUNT_MASK;
		const blockGen = s >>> STATE_GEN_SHIFT;
		if (blockGen !== gen || refs === 0) {
			if (!checked) {
				checked = true;
				s = Atomics.load(c, entry + T_STATE);
				continue;
			}
			const double = refs === 0 && blockGen === ((gen + 1) & BLOCK_GEN_MASK);
			return recordBadRelease(v, double ? BAD.DOUBLE : BAD.STALE, handle, s, 0);
		}
		// The last reference frees the block and retires its generation in the same CAS.
		const next = refs === 1 ? ((gen + 1) & BLOCK_GEN_MASK) << STATE_GEN_SHIFT : s - 1;
		const seen = Atomics.compareExchange(c, entry + T_STATE, s, next);
		if (seen === s) break;
		s = seen;
		checked = true; // seen came from the CAS: exact
	}
	if ((s & REFCOUNT_MASK) !== 1) return true;
	// Informational copy of the generation the block's next handle carries (readable dumps).
	ints[(offset >> 2) + H_GENERATION] = (gen + 1) & BLOCK_GEN_MASK;
	bump(c, v.counters, C_RELEASED, 1);
	bump(c, v.counters, C_UNITS, -v.geometry.classBytes[cls] / UNIT_BYTES);
	lists.push(cls, id);
	wakeAfterRelease(c);
	return true;
}
