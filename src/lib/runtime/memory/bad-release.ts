// The record of the most recent refused release, shared by all threads so the page can show
// a worker's mistake. Part of the memory pool (design in pool.ts).
//
// Layout: control cells CTL_ERR_LOCK, CTL_ERR_SEQ, CTL_ERR_REASON, CTL_ERR_HANDLE,
// CTL_ERR_STATE, CTL_ERR_DETAIL (layout.ts). A seqlock: a writer takes CTL_ERR_LOCK with a
// try-CAS (if another thread is recording at that instant, its record wins and this one is
// only counted), makes CTL_ERR_SEQ odd, writes the fields, makes it even, unlocks. A reader
// retries while the sequence is odd or moved. Writers never wait; recording allocates
// nothing; describing builds the message string (error path only).

import { BLOCK_ID_BITS, BLOCK_ID_MASK } from '../contracts';
import {
	BAD,
	CTL_BAD_RELEASES,
	CTL_ERR_DETAIL,
	CTL_ERR_HANDLE,
	CTL_ERR_LOCK,
	CTL_ERR_REASON,
	CTL_ERR_SEQ,
	CTL_ERR_STATE,
	PLACE_CLASS_BITS,
	STATE_GEN_SHIFT,
	TABLE_BASE,
	TABLE_STRIDE,
	T_PLACE
} from './layout';
import type { PoolViews } from './carve';
import { poolMessage } from './messages';

/** Counts a refused release and records why; always returns false (release's answer). */
export function recordBadRelease(
	v: PoolViews,
	reason: number,
	handle: number,
	state: number,
	detail: number
): false {
	const c = v.control;
	Atomics.add(c, CTL_BAD_RELEASES, 1);
	if (Atomics.compareExchange(c, CTL_ERR_LOCK, 0, 1) !== 0) return false;
	// Publishes "record being written" (odd): readers retry.
	Atomics.add(c, CTL_ERR_SEQ, 1);
	Atomics.store(c, CTL_ERR_REASON, reason);
	Atomics.store(c, CTL_ERR_HANDLE, handle | 0);
	Atomics.store(c, CTL_ERR_STATE, state);
	Atomics.store(c, CTL_ERR_DETAIL, detail);
	// Publishes the complete record (even).
	Atomics.add(c, CTL_ERR_SEQ, 1);
	// Publishes the unlock: the next bad release may record.
	Atomics.store(c, CTL_ERR_LOCK, 0);
	return false;
}

/** The message for the last recorded bad release, or undefined if there was none. */
export function describeBadRelease(v: PoolViews): string | undefined {
	const c = v.control;
	let reason: number;
	let handle: number;
	let state: number;
	let detail: number;
	for (;;) {
		const before = Atomics.load(c, CTL_ERR_SEQ);
		if (before === 0) return undefined;
		if (before % 2 === 1) continue;
		reason = Atomics.load(c, CTL_ERR_REASON);
		handle = Atomics.load(c, CTL_ERR_HANDLE);
		state = Atomics.load(c, CTL_ERR_STATE);
		detail = Atomics.load(c, CTL_ERR_DETAIL);
		// Read the sequence again after the fields: unchanged means they belong together.
		if (Atomics.load(c, CTL_ERR_SEQ) === before) break;
	}
	const id = handle & BLOCK_ID_MASK;
	const handleGen = handle >>> BLOCK_ID_BITS;
	const blockGen = state >>> STATE_GEN_SHIFT;
	switch (reason) {
		case BAD.STALE:
			return poolMessage.stale(id, handleGen, blockGen);
		case BAD.DOUBLE:
			return poolMessage.double(id, handleGen, blockGen);
		case BAD.HEADER:
			return poolMessage.header(id, handleGen);
		case BAD.GUARD: {
			const place = Atomics.load(c, TABLE_BASE + id * TABLE_STRIDE + T_PLACE) - 1;
			const classBytes = v.geometry.classBytes[place & ((1 << PLACE_CLASS_BITS) - 1)];
			return poolMessage.guard(id, handleGen, classBytes, detail);
		}
		default:
			return poolMessage.garbage(handle);
	}
}
