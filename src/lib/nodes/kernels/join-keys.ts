// Join keys: which column types may be joined, how a key is hashed and compared, and the hash
// table over the build side.
//
// Key modes (a left/right column pair): 'number' for any two of the int/float widths (int64
// and uint64 read as numbers, exact below 2^53) and date32 with date32; 'bits64' for int64,
// uint64 or timestamp with the same type (exact, compared as two int32 words); 'utf8' (bytes);
// 'bool'. Equal values hash equally in every mode: a number's hash depends only on its value,
// not its column's width. SQL semantics: a null key never matches, nor does NaN.
//
// BuildTable: bucket heads (a power of two, at least twice the rows) and a `next` chain per
// build row, threaded so each chain lists rows in build order (rows with equal keys come out
// in the order they arrived). Built once, after the build side ended; read-only afterwards.
import type { ColumnType, ColumnView } from '../../runtime/contracts';

export type KeyMode = 'number' | 'bits64' | 'utf8' | 'bool';

const NUMBER_TYPES: readonly ColumnType[] = [
	'int8',
	'int16',
	'int32',
	'int64',
	'uint8',
	'uint16',
	'uint32',
	'uint64',
	'float32',
	'float64'
];

/** How a left column of type `a` joins a right column of type `b`, or null if they cannot. */
export function keyMode(a: ColumnType, b: ColumnType): KeyMode | null {
	if (a === b) {
		if (a === 'utf8') return 'utf8';
		if (a === 'bool') return 'bool';
		if (a === 'int64' || a === 'uint64' || a === 'timestamp') return 'bits64';
		if (a === 'date32') return 'number';
	}
	if (NUMBER_TYPES.includes(a) && NUMBER_TYPES.includes(b)) return 'number';
	return null;
}

/** murmur3's 32-bit finalizer: spreads the bits of an int32. */
function fmix(h: number): number {
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return h ^ (h >>> 16);
}

const FLOAT = new Float64Array(1);
const FLOAT_WORDS = new Int32Array(FLOAT.buffer);

function hashNumber(x: number): number {
	// Integers that fit int32 (the common key) hash as themselves; -0 becomes 0 here too.
	if ((x | 0) === x) return fmix(x);
	FLOAT[0] = x;
	return fmix(FLOAT_WORDS[0] ^ fmix(FLOAT_WORDS[1]));
}

/** The key columns of one side of a join, ready to hash and compare row by row. */
export class JoinKeys {
	/** For 'bits64' columns: the values as int32 words (low word first); else null. */
	private readonly words: (Int32Array | null)[];

	constructor(
		readonly modes: readonly KeyMode[],
		readonly columns: readonly ColumnView[]
	) {
		this.words = columns.map((col, k) => {
			if (modes[k] !== 'bits64') return null;
			const v = col.values;
			return new Int32Array(v.buffer, v.byteOffset, v.length * 2);
		});
	}

	/** Whether any key of `row` is null (or NaN): such a row matches nothing. */
	isNull(row: number): boolean {
		for (let k = 0; k < this.columns.length; k++) {
			const col = this.columns[k];
			if (col.nullCount > 0 && !((col.validity![row >>> 3] >>> (row & 7)) & 1)) return true;
			if (this.modes[k] === 'number') {
				const x = Number(col.values[row]);
				if (x !== x) return true;
			}
		}
		return false;
	}

	/** Hash of `row`'s keys (an int32); call only for rows that are not null. */
	hash(row: number): number {
		let h = 0x9747b28c;
		for (let k = 0; k < this.columns.length; k++) {
			const col = this.columns[k];
			let part: number;
			switch (this.modes[k]) {
				case 'number':
					part = hashNumber(Number(col.values[row]));
					break;
				case 'bits64': {
					const w = this.words[k]!;
					part = fmix(w[2 * row] ^ fmix(w[2 * row + 1]));
					break;
				}
				case 'bool':
					part = ((col.values as Uint8Array)[row >>> 3] >>> (row & 7)) & 1;
					break;
				case 'utf8': {
					// FNV-1a over the bytes.
					const bytes = col.values as Uint8Array;
					const end = col.offsets![row + 1];
					part = 0x811c9dc5;
					for (let i = col.offsets![row]; i < end; i++)
						part = Math.imul(part ^ bytes[i], 0x01000193);
					break;
				}
			}
			h = fmix(Math.imul(h, 31) + part);
		}
		return h;
	}

	/** Whether `row`'s keys equal row `other` of `keys` (the other side, same modes). */
	equals(row: number, keys: JoinKeys, other: number): boolean {
		for (let k = 0; k < this.columns.length; k++) {
			const a = this.columns[k];
			const b = keys.columns[k];
			switch (this.modes[k]) {
				case 'number':
					if (Number(a.values[row]) !== Number(b.values[other])) return false;
					break;
				case 'bits64': {
					const wa = this.words[k]!;
					const wb = keys.words[k]!;
					if (wa[2 * row] !== wb[2 * other] || wa[2 * row + 1] !== wb[2 * other + 1]) return false;
					break;
				}
				case 'bool': {
					const x = ((a.values as Uint8Array)[row >>> 3] >>> (row & 7)) & 1;
					const y = ((b.values as Uint8Array)[other >>> 3] >>> (other & 7)) & 1;
					if (x !== y) return false;
					break;
				}
				case 'utf8': {
					const ao = a.offsets!;
					const bo = b.offsets!;
					const start = ao[row];
					const length = ao[row + 1] - start;
					const otherStart = bo[other];
					if (bo[other + 1] - otherStart !== length) return false;
					const av = a.values as Uint8Array;
					const bv = b.values as Uint8Array;
					for (let i = 0; i < length; i++) if (av[start + i] !== bv[otherStart + i]) return false;
					break;
				}
			}
		}
		return true;
	}
}

/** Hash chains over the build side's rows; rows with a null key are left out. */
export class BuildTable {
	readonly mask: number;
	/** First build row of each bucket, -1 for none. */
	readonly heads: Int32Array;
	/** Next build row in the same bucket, -1 at the end. */
	readonly next: Int32Array;
	/** Each build row's key hash (compared before the keys themselves). */
	readonly hashes: Int32Array;

	constructor(
		readonly keys: JoinKeys,
		rows: number
	) {
		let buckets = 16;
		while (buckets < rows * 2) buckets *= 2;
		this.mask = buckets - 1;
		this.heads = new Int32Array(buckets).fill(-1);
		this.next = new Int32Array(rows).fill(-1);
		this.hashes = new Int32Array(rows);
		// Last row first, each prepended, so every chain runs in build order.
		for (let r = rows - 1; r >= 0; r--) {
			if (keys.isNull(r)) continue;
			const h = keys.hash(r);
			const b = h & this.mask;
			this.hashes[r] = h;
			this.next[r] = this.heads[b];
			this.heads[b] = r;
		}
	}

	/** Bytes of the table's own arrays. */
	static bytesFor(rows: number): number {
		let buckets = 16;
		while (buckets < rows * 2) buckets *= 2;
		return 4 * buckets + 8 * rows;
	}
}
