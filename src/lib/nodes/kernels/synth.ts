// Deterministic synthetic values: the value of (seed, column, row) never depends on batch size,
// worker count or instance, so any split of the rows yields the same table. Integer hashing
// (a 32-bit finalizer in the style of murmur3's fmix) with Math.imul: no allocation.
export function mix(seed: number, column: number, row: number): number {
	let h = (seed ^ Math.imul(column + 1, 0x9e3779b1) ^ Math.imul(row, 0x85ebca6b)) >>> 0;
	h ^= Math.floor(row / 4294967296);
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform float in [0, 1) for (seed, column, row). */
export function unit(seed: number, column: number, row: number): number {
	return mix(seed, column, row) / 4294967296;
}
