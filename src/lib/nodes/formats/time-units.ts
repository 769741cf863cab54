// Times in other units as Sluice's timestamps (milliseconds since the epoch, UTC), for every
// source that meets them (Parquet, Arrow IPC, JSON numbers, casts). The rule: a time is
// converted to the millisecond it falls in, so division floors — toward the past, never toward
// zero. 1969-12-31T23:59:59.9995 (−500 µs) is −1 ms, 23:59:59.999, not 0 (1970-01-01): BigInt's
// `/` truncates toward zero, which moves every pre-1970 time with a sub-millisecond part one
// millisecond later, across midnight and New Year's Eve when it sits just before one.

/** a / b rounded toward −∞ (b > 0). */
export function floorDiv(a: bigint, b: bigint): bigint {
	const q = a / b;
	return a % b < 0n ? q - 1n : q;
}

export const MICROS_PER_MS = 1000n;
export const NANOS_PER_MS = 1_000_000n;

/** Microseconds since the epoch as milliseconds (floored). */
export const microsToMs = (us: bigint): bigint => floorDiv(us, MICROS_PER_MS);

/** Nanoseconds since the epoch as milliseconds (floored). */
export const nanosToMs = (ns: bigint): bigint => floorDiv(ns, NANOS_PER_MS);

/** A millisecond count with a fraction (from a reader that divides), floored to whole ms. */
export const msFloor = (ms: number): bigint => BigInt(Math.floor(ms));
