// Carving fresh blocks from the arenas, and the guard (canary) checks. Part of the memory pool
// (design in pool.ts, layouts in layout.ts).
//
// Threads: any thread may carve at the same time; three CAS loops hand out disjoint pieces:
// first the budget (CTL_CARVED_UNITS, never past budgetUnits), then a block id (CTL_NEXT_ID,
// never past maxBlocks), then an address (CTL_CURSOR, a global 64-byte-unit address where
// arena i starts at i * ARENA_UNITS; a block that would straddle an arena's end moves to the
// next arena). Nobody blocks. Ordering: the carver writes the header, canary and table entry,
// then publishes the entry with the Atomics.store of T_PLACE. Nothing allocates except
// verifyAll (a report).

import {
	ARENA_UNITS,
	BLOCK_MAGIC,
	CTL_CARVED_UNITS,
	CTL_CURSOR,
	CTL_NEXT_ID,
	GUARD_BYTES,
	H_CLASS,
	H_GENERATION,
	H_ID,
	H_MAGIC,
	PLACE_CLASS_BITS,
	TABLE_BASE,
	TABLE_STRIDE,
	T_NEXT,
	T_OFFSET,
	T_PLACE,
	T_STATE,
	UNIT_BYTES,
	type Geometry
} from './layout';
import { poolMessage } from './messages';

/** The typed-array views one thread holds over the pool's buffers, made once per thread. */
export interface PoolViews {
	readonly control: Int32Array;
	readonly ints: readonly Int32Array[];
	readonly bytes: readonly Uint8Array[];
	readonly geometry: Geometry;
	/** Int32 index of this object's counter line (counters.ts). */
	readonly counters: number;
}

/** Written after each payload in guards mode; any other byte there is an overrun. */
const CANARY: readonly number[] = [0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed, 0xfa, 0xce];

/** Carves a block of class `cls`, owned by the caller (refcount 1, generation 0); its id, or -1. */
export function carveBlock(v: PoolViews, cls: number): number {
	const c = v.control;
	const g = v.geometry;
	const units = g.classBytes[cls] / UNIT_BYTES;
	for (;;) {
		const carved = Atomics.load(c, CTL_CARVED_UNITS);
		if (carved + units > g.budgetUnits) return -1;
		if (Atomics.compareExchange(c, CTL_CARVED_UNITS, carved, carved + units) === carved) break;
	}
	let id: number;
	for (;;) {
		id = Atomics.load(c, CTL_NEXT_ID);
		if (id >= g.maxBlocks) {
			Atomics.sub(c, CTL_CARVED_UNITS, units);
			return -1;
		}
		if (Atomics.compareExchange(c, CTL_NEXT_ID, id, id + 1) === id) break;
	}
	let arena: number;
	let offsetUnits: number;
	for (;;) {
		const cursor = Atomics.load(c, CTL_CURSOR);
		arena = Math.floor(cursor / ARENA_UNITS);
		offsetUnits = cursor - arena * ARENA_UNITS;
		if (arena < g.arenaUnits.length && offsetUnits + units > g.arenaUnits[arena]) {
			arena++;
			offsetUnits = 0;
		}
		// Cannot happen (the arenas carry slack for every arena change); fail rather than corrupt.
		if (arena >= g.arenaUnits.length) {
			Atomics.sub(c, CTL_CARVED_UNITS, units);
			return -1;
		}
		const end = arena * ARENA_UNITS + offsetUnits + units;
		if (Atomics.compareExchange(c, CTL_CURSOR, cursor, end) === cursor) break;
	}
	const offset = offsetUnits * UNIT_BYTES;
	const ints = v.ints[arena];
	const h = offset >> 2;
	ints[h + H_MAGIC] = BLOCK_MAGIC;
	ints[h + H_ID] = id;
	ints[h + H_CLASS] = cls;
	ints[h + H_GENERATION] = 0;
	if (g.options.guards) {
		const bytes = v.bytes[arena];
		const canary = offset + g.classBytes[cls] - GUARD_BYTES;
		for (let i = 0; i < GUARD_BYTES; i++) bytes[canary + i] = CANARY[i];
	}
	const entry = TABLE_BASE + id * TABLE_STRIDE;
	Atomics.store(c, entry + T_OFFSET, offset);
	Atomics.store(c, entry + T_NEXT, 0);
	// Generation 0, refcount 1: the carver owns the block.
	Atomics.store(c, entry + T_STATE, 1);
	// Publishes the entry (and the header and canary written above): the id is now a block.
	Atomics.store(c, entry + T_PLACE, ((arena << PLACE_CLASS_BITS) | cls) + 1);
	return id;
}

/** How many canary bytes after the payload of the block at `offset` were overwritten. */
export function guardDamage(v: PoolViews, arena: number, offset: number, cls: number): number {
	const bytes = v.bytes[arena];
	const canary = offset + v.geometry.classBytes[cls] - GUARD_BYTES;
	let damaged = 0;
	for (let i = 0; i < GUARD_BYTES; i++) if (bytes[canary + i] !== CANARY[i]) damaged++;
	return damaged;
}

/** Every carved block whose header (always) or canary (guards mode) was overwritten. */
export function verifyAll(v: PoolViews): string[] {
	const c = v.control;
	const g = v.geometry;
	const problems: string[] = [];
	const carved = Math.min(Atomics.load(c, CTL_NEXT_ID), g.maxBlocks);
	for (let id = 0; id < carved; id++) {
		const entry = TABLE_BASE + id * TABLE_STRIDE;
		const place = Atomics.load(c, entry + T_PLACE) - 1;
		if (place < 0) continue; // still being carved
		const cls = place & ((1 << PLACE_CLASS_BITS) - 1);
		const arena = place >>> PLACE_CLASS_BITS;
		const offset = Atomics.load(c, entry + T_OFFSET);
		const ints = v.ints[arena];
		if (ints[(offset >> 2) + H_MAGIC] !== BLOCK_MAGIC || ints[(offset >> 2) + H_ID] !== id)
			problems.push(poolMessage.headerReport(id, g.classBytes[cls]));
		if (!g.options.guards) continue;
		const damaged = guardDamage(v, arena, offset, cls);
		if (damaged > 0) problems.push(poolMessage.guardReport(id, g.classBytes[cls], damaged));
	}
	return problems;
}
