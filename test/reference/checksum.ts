// Row identity for comparing an engine's sink rows with the reference's: a canonical text per
// row (floats exactly: JS number-to-string round-trips every double; -0 and 0 are one value,
// every NaN is one value), a 32-bit FNV-1a hash of it, and an order-independent checksum
// (count + sum and xor of the hashes), so "exactly once" holds however instances interleave.

export type Cell = number | string | boolean | bigint | null;

function cellText(v: Cell): string {
	if (v === null) return '∅';
	if (typeof v === 'string') return JSON.stringify(v);
	if (typeof v === 'boolean') return v ? 'T' : 'F';
	if (typeof v === 'bigint') return String(v);
	if (Number.isNaN(v)) return 'NaN';
	return String(v === 0 ? 0 : v);
}

export function rowText(row: readonly Cell[]): string {
	return row.map(cellText).join('|');
}

/** FNV-1a over the UTF-16 code units of `text`. */
export function hash32(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

export interface Checksum {
	rows: number;
	/** Sum of row hashes mod 2^32. */
	sum: number;
	/** Xor of row hashes. */
	xor: number;
}

export function checksum(rows: readonly (readonly Cell[])[]): Checksum {
	let sum = 0;
	let xor = 0;
	for (const row of rows) {
		const h = hash32(rowText(row));
		sum = (sum + h) >>> 0;
		xor = (xor ^ h) >>> 0;
	}
	return { rows: rows.length, sum, xor };
}

/**
 * Rows in one list and not the other (as multisets), up to `max` of each: what a failure
 * message shows when checksums differ.
 */
export function rowDifference(
	got: readonly (readonly Cell[])[],
	want: readonly (readonly Cell[])[],
	max = 5
): { extra: string[]; missing: string[] } {
	const counts = new Map<string, number>();
	for (const r of want) {
		const k = rowText(r);
		counts.set(k, (counts.get(k) ?? 0) + 1);
	}
	const extra: string[] = [];
	for (const r of got) {
		const k = rowText(r);
		const n = counts.get(k) ?? 0;
		if (n > 0) counts.set(k, n - 1);
		else if (extra.length < max) extra.push(k);
	}
	const missing: string[] = [];
	for (const [k, n] of counts) {
		for (let i = 0; i < n && missing.length < max; i++) missing.push(k);
	}
	return { extra, missing };
}
