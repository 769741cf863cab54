// Byte layouts and geometry of the shared-memory block pool (design in pool.ts).
// Everything here is computed once from the options, identically in every thread, so a
// descriptor needs to carry only the buffers and the options.
//
// Control buffer (Int32 cells; one 64-byte line = 16 cells):
//   line 0  CTL_MAGIC, CTL_CURSOR, CTL_NEXT_ID, CTL_CARVED_UNITS, CTL_CANCEL, CTL_SHAPE
//   line 1  CTL_RELEASE_SEQ, CTL_WAITERS                                       where acquire() parks
//   line 2  rarely written stats: CTL_COUNTER_CLAIMS, CTL_HIGH_WATER_UNITS, CTL_BAD_RELEASES,
//           CTL_BUDGET_WAITS
//   line 3  last bad release (a seqlock: CTL_ERR_LOCK, CTL_ERR_SEQ, then the fields)
//   lines 4 .. 4+MAX_CLASSES-1   one free-list head per size class, each alone on its line
//   then COUNTER_LINES lines of per-thread counters (C_HITS, C_CARVES, C_RELEASED, C_UNITS;
//   counters.ts), each written by the one MemoryPool object that claimed it
//   then the block table, TABLE_STRIDE cells per block id:
//     T_PLACE   (arena << 5 | class) + 1; 0 while the block is being carved (not yet published)
//     T_OFFSET  byte offset of the block's start in its arena
//     T_STATE   (generation << BLOCK_ID_BITS) | refcount — one cell, so one CAS checks both
//     T_NEXT    free-list link: id + 1 of the next free block of the class, 0 at the end
//
// Block in an arena (classBytes long, 64-byte aligned):
//   [0, 64)              header: H_MAGIC, H_ID, H_CLASS, H_GENERATION (the rest is padding)
//   [64, 64 + capacity)  payload, 64-byte aligned
//   [.., classBytes)     guards mode only: GUARD_BYTES canary bytes
// The header sits in user-writable memory (a payload overrun from the previous block lands
// in it), so it only stamps the block for overrun detection and readable dumps; the
// authoritative state (generation, refcount, free link) lives in the control table.

import { BLOCK_ID_BITS, BLOCK_ID_MASK, type PoolOptions } from '../contracts';
import { optionError } from './messages';

export const LINE_INTS = 16;
export const POOL_MAGIC = 0x534c4b50; // 'SLKP'
export const BLOCK_MAGIC = 0x534c4b42; // 'SLKB'

export const CTL_MAGIC = 0;
export const CTL_CURSOR = 1;
export const CTL_NEXT_ID = 2;
export const CTL_CARVED_UNITS = 3;
export const CTL_CANCEL = 4;
/** The options' shape (see shapeOf), so attach() can refuse options that differ from create's. */
export const CTL_SHAPE = 5;
export const CTL_RELEASE_SEQ = 16;
export const CTL_WAITERS = 17;
/** Counter lines claimed so far (each MemoryPool object claims one; see counters.ts). */
export const CTL_COUNTER_CLAIMS = 32;
export const CTL_HIGH_WATER_UNITS = 33;
export const CTL_BAD_RELEASES = 34;
export const CTL_BUDGET_WAITS = 35;
export const CTL_ERR_LOCK = 48;
export const CTL_ERR_SEQ = 49;
export const CTL_ERR_REASON = 50;
export const CTL_ERR_HANDLE = 51;
export const CTL_ERR_STATE = 52;
export const CTL_ERR_DETAIL = 53;
export const CTL_HEADS = 64;
export const MAX_CLASSES = 24;
/** Int32 index of the first per-thread counter line. */
export const CTL_COUNTERS = CTL_HEADS + MAX_CLASSES * LINE_INTS;
/** Per-thread counter lines; MemoryPool objects past the last-but-one share the last. */
export const COUNTER_LINES = 64;
/** Offsets in a counter line: free-list hits, fresh carves, final releases, units in use. */
export const C_HITS = 0;
export const C_CARVES = 1;
export const C_RELEASED = 2;
export const C_UNITS = 3;
export const TABLE_BASE = CTL_COUNTERS + COUNTER_LINES * LINE_INTS;
export const TABLE_STRIDE = 4;
export const T_PLACE = 0;
export const T_OFFSET = 1;
export const T_STATE = 2;
export const T_NEXT = 3;
export const PLACE_CLASS_BITS = 5;
export const REFCOUNT_MASK = BLOCK_ID_MASK;
export const STATE_GEN_SHIFT = BLOCK_ID_BITS;

export const H_MAGIC = 0;
export const H_ID = 1;
export const H_CLASS = 2;
export const H_GENERATION = 3;
export const HEADER_BYTES = 64;
export const GUARD_BYTES = 8;
/** Byte counters are kept in 64-byte units so an Int32 cell covers 128 GiB. */
export const UNIT_BYTES = 64;
export const ARENA_MAX_BYTES = 1 << 30;
export const MIN_BLOCK_FLOOR = 256;
export const MAX_BUDGET_BYTES = 64 * 2 ** 30;

/** Reasons recorded for a refused release (CTL_ERR_REASON). */
export const BAD = { GARBAGE: 1, STALE: 2, DOUBLE: 3, HEADER: 4, GUARD: 5 } as const;

export interface Geometry {
	readonly options: Required<PoolOptions>;
	readonly minShift: number;
	readonly classCount: number;
	/** Block bytes (header + payload + guard) per class. */
	readonly classBytes: readonly number[];
	readonly overheadBytes: number;
	readonly maxPayloadBytes: number;
	readonly budgetUnits: number;
	/** Block ids 0 .. maxBlocks-1 exist; id + 1 must fit the free-list head's id field. */
	readonly maxBlocks: number;
	readonly headIdBits: number;
	readonly headIdMask: number;
	readonly headTagMask: number;
	/** Per arena, its length in 64-byte units; arena i starts at global unit i * ARENA_UNITS. */
	readonly arenaUnits: readonly number[];
	readonly controlBytes: number;
}

export const ARENA_UNITS = ARENA_MAX_BYTES / UNIT_BYTES;

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Validates options (TypeError/RangeError naming the option) and fills in the defaults. */
export function resolveOptions(options: PoolOptions): Required<PoolOptions> {
	if (typeof options !== 'object' || options === null) throw optionError.notObject();
	const {
		budgetBytes,
		minBlockBytes = 4096,
		maxBlockBytes = 16 * 1024 * 1024,
		guards = false
	} = options;
	for (const [name, value] of [
		['budgetBytes', budgetBytes],
		['minBlockBytes', minBlockBytes],
		['maxBlockBytes', maxBlockBytes]
	] as const) {
		if (typeof value !== 'number') throw optionError.notNumber(name, value);
	}
	if (typeof guards !== 'boolean') throw optionError.notBoolean('guards', guards);
	if (!isPowerOfTwo(minBlockBytes) || minBlockBytes < MIN_BLOCK_FLOOR)
		throw optionError.powerOfTwo('minBlockBytes', minBlockBytes, MIN_BLOCK_FLOOR);
	if (!isPowerOfTwo(maxBlockBytes) || maxBlockBytes > ARENA_MAX_BYTES)
		throw optionError.maxBlock(maxBlockBytes, ARENA_MAX_BYTES);
	if (maxBlockBytes < minBlockBytes) throw optionError.maxBelowMin(maxBlockBytes, minBlockBytes);
	if (!Number.isInteger(budgetBytes) || budgetBytes < maxBlockBytes)
		throw optionError.budgetTooSmall(budgetBytes, maxBlockBytes);
	if (budgetBytes > MAX_BUDGET_BYTES)
		throw optionError.budgetTooLarge(budgetBytes, MAX_BUDGET_BYTES);
	return { budgetBytes, minBlockBytes, maxBlockBytes, guards };
}

/** Guards flag and class range packed in one int, stored at create and checked at attach. */
export function shapeOf(options: Required<PoolOptions>): number {
	const shift = (n: number) => 31 - Math.clz32(n);
	return (
		(options.guards ? 1 : 0) |
		(shift(options.minBlockBytes) << 1) |
		(shift(options.maxBlockBytes) << 6)
	);
}

export function computeGeometry(options: Required<PoolOptions>): Geometry {
	const minShift = 31 - Math.clz32(options.minBlockBytes);
	const classCount = 31 - Math.clz32(options.maxBlockBytes) - minShift + 1;
	const classBytes = Array.from({ length: classCount }, (_, c) => options.minBlockBytes * 2 ** c);
	const overheadBytes = HEADER_BYTES + (options.guards ? GUARD_BYTES : 0);
	const budgetUnits = Math.floor(options.budgetBytes / UNIT_BYTES);
	const maxBlocks = Math.max(
		1,
		Math.min(Math.floor(options.budgetBytes / options.minBlockBytes), BLOCK_ID_MASK)
	);
	const headIdBits = 32 - Math.clz32(maxBlocks);
	// Address space = budget + one largest block of slack per arena change: a block never
	// straddles two arenas, so moving to the next arena wastes less than one block.
	let arenaCount = 1;
	while (
		arenaCount * ARENA_MAX_BYTES <
		budgetUnits * UNIT_BYTES + (arenaCount - 1) * options.maxBlockBytes
	)
		arenaCount++;
	const totalUnits = budgetUnits + ((arenaCount - 1) * options.maxBlockBytes) / UNIT_BYTES;
	const arenaUnits = Array.from({ length: arenaCount }, (_, i) =>
		i < arenaCount - 1 ? ARENA_UNITS : totalUnits - (arenaCount - 1) * ARENA_UNITS
	);
	return {
		options,
		minShift,
		classCount,
		classBytes,
		overheadBytes,
		maxPayloadBytes: options.maxBlockBytes - overheadBytes,
		budgetUnits,
		maxBlocks,
		headIdBits,
		headIdMask: (1 << headIdBits) - 1,
		headTagMask: 2 ** (32 - headIdBits) - 1,
		arenaUnits,
		controlBytes: (TABLE_BASE + maxBlocks * TABLE_STRIDE) * 4
	};
}
