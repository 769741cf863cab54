// A question's answer as plain columns, and the check that two engines gave the same one: rows
// sorted by the key columns, keys and integers equal, floats within 1e-9 relative.
export type Value = string | number | null;
export type Answer = Record<string, Value[]>;

/** Plain JS value of an engine's cell: bigints (64/128-bit sums and counts) become numbers. */
export function plain(value: unknown): Value {
	if (value === null || value === undefined) return null;
	if (typeof value === 'bigint') return Number(value);
	if (typeof value === 'number' || typeof value === 'string') return value;
	return String(value);
}

function sortedRows(answer: Answer, keys: string[]): number[] {
	const n = answer[keys[0]].length;
	const order = Array.from({ length: n }, (_, i) => i);
	const cols = keys.map((k) => answer[k]);
	return order.sort((a, b) => {
		for (const col of cols) {
			const x = col[a]!;
			const y = col[b]!;
			if (x < y) return -1;
			if (x > y) return 1;
		}
		return 0;
	});
}

function same(x: Value, y: Value): boolean {
	if (typeof x === 'number' && typeof y === 'number') {
		if (Number.isInteger(x) && Number.isInteger(y)) return x === y;
		return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
	}
	return x === y;
}

/** Null when `ours` equals `theirs` on `columns`; else what differs, in one line. */
export function difference(ours: Answer, theirs: Answer, keys: string[], columns: string[]) {
	for (const c of columns) {
		if (!(c in ours)) return `column ${c} is missing`;
	}
	const rows = ours[keys[0]].length;
	if (rows !== theirs[keys[0]].length) return `${rows} rows, expected ${theirs[keys[0]].length}`;
	const a = sortedRows(ours, keys);
	const b = sortedRows(theirs, keys);
	for (let i = 0; i < rows; i++) {
		for (const c of columns) {
			const x = ours[c][a[i]];
			const y = theirs[c][b[i]];
			if (!same(x, y)) {
				const key = keys.map((k) => theirs[k][b[i]]).join(', ');
				return `group (${key}) column ${c}: ${x}, expected ${y}`;
			}
		}
	}
	return null;
}
