// Group ids for the key tuples of a group-by: dense ids 0, 1, 2, ... in first-seen order.
//
// Thread: the one worker running the group-by stage; nothing here is shared. Memory is plain
// (non-shared) typed arrays, grown by doubling; nothing is allocated per row.
//
// Every group's key tuple is stored once, serialized into a byte arena:
//   per key column: a tag byte (0 = null, 1 = value) then, for a value,
//     numbers (8-32-bit ints, floats, date32): 8 bytes float64 (-0 stored as 0, one NaN);
//     int64, uint64, timestamp: the 8 raw bytes; bool: 1 byte; utf8: int32 length + bytes.
// A row's tuple is serialized into a scratch buffer the same way, hashed (FNV-1a, then a
// murmur3 finalizer) and looked up in an open-addressing table of group ids (linear probing,
// load <= 1/2); equal bytes means the same group, so SQL semantics hold: null keys form a
// group of their own, and -0 groups with 0.
//
// Fast path: one key column of an 8-32-bit int type (or date32). A direct cache `direct[k]`
// maps key k in 0..DIRECT_MAX-1 to its group id (-1 = not seen), grown to the largest key
// seen; a row costs one array load. Other keys of that column (negative, huge, null) take
// the general path; both paths agree because the cache only remembers what the table said.
import type { ColumnType, ColumnView } from '../../runtime/contracts';
import type { FrameWriter } from '../../runtime/batch/writer';

/** Largest key + 1 the direct cache covers (4 MiB of Int32 ids at most). */
const DIRECT_MAX = 1 << 20;
const TAG_NULL = 0;
const TAG_VALUE = 1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

type KeyKind = 'num' | 'big' | 'bool' | 'utf8';

export function keyKind(type: ColumnType): KeyKind {
	if (type === 'utf8') return 'utf8';
	if (type === 'bool') return 'bool';
	if (type === 'int64' || type === 'uint64' || type === 'timestamp') return 'big';
	return 'num';
}

const DIRECT_TYPES: readonly ColumnType[] = [
	'int8',
	'int16',
	'int32',
	'uint8',
	'uint16',
	'uint32',
	'date32'
];

export class GroupTable {
	/** Groups so far; a table without key columns has its one group from the start. */
	size = 0;
	/** Live rows `assign` saw per group. */
	rowCounts = new Float64Array(64);

	private readonly kinds: KeyKind[];
	private capacity = 64;
	private keyStart = new Int32Array(64);
	private keyLen = new Int32Array(64);
	private hashes = new Int32Array(64);
	/** Open-addressing slots: group id + 1, 0 = empty. */
	private slots = new Int32Array(256);
	private arena = new Uint8Array(4096);
	private arenaData = new DataView(this.arena.buffer);
	private arenaUsed = 0;
	private scratch = new Uint8Array(256);
	private scratchData = new DataView(this.scratch.buffer);
	/** Byte views of each key column's values for the batch being assigned. */
	private readonly colBytes: (Uint8Array | null)[];
	private readonly direct: boolean;
	private cache = new Int32Array(0);
	private nullGroup = -1;

	constructor(readonly keyTypes: readonly ColumnType[]) {
		this.kinds = keyTypes.map(keyKind);
		this.colBytes = keyTypes.map(() => null);
		this.direct = keyTypes.length === 1 && DIRECT_TYPES.includes(keyTypes[0]);
		if (keyTypes.length === 0) this.size = 1;
	}

	/** Bytes the table holds: its arrays, key arena and slots (what grows with the groups). */
	bytes(): number {
		return (
			this.rowCounts.byteLength +
			this.keyStart.byteLength +
			this.keyLen.byteLength +
			this.hashes.byteLength +
			this.slots.byteLength +
			this.arena.byteLength +
			this.scratch.byteLength +
			this.cache.byteLength
		);
	}

	/**
	 * Writes into `gids[i]` the group of live row i (row `sel[i]`, or i without a selection) of
	 * the key columns `cols`, creating groups for new keys, and counts the rows per group.
	 */
	assign(cols: ColumnView[], sel: Uint32Array | null, count: number, gids: Int32Array): void {
		if (this.kinds.length === 0) {
			gids.fill(0, 0, count);
			this.rowCounts[0] += count;
		} else if (this.direct) this.assignDirect(cols[0], sel, count, gids);
		else this.assignGeneral(cols, sel, count, gids);
	}

	private assignDirect(
		col: ColumnView,
		sel: Uint32Array | null,
		count: number,
		gids: Int32Array
	): void {
		const keys = col.values as Int32Array;
		const validity = col.nullCount > 0 ? col.validity : null;
		let cache = this.cache;
		let counts = this.rowCounts;
		for (let i = 0; i < count; i++) {
			const r = sel === null ? i : sel[i];
			let g = -1;
			if (validity === null || (validity[r >>> 3] & (1 << (r & 7))) !== 0) {
				const k = keys[r];
				if (k >= 0 && k < cache.length) g = cache[k];
			} else g = this.nullGroup;
			if (g < 0) {
				g = this.directMiss(col, r);
				cache = this.cache;
				counts = this.rowCounts;
			}
			gids[i] = g;
			counts[g]++;
		}
	}

	/** The group of a row the direct cache does not know yet; remembers it when it can. */
	private directMiss(col: ColumnView, r: number): number {
		this.colBytes[0] = null;
		const g = this.lookup(this.encode([col], r));
		if (col.validity !== null && (col.validity[r >>> 3] & (1 << (r & 7))) === 0) {
			this.nullGroup = g;
			return g;
		}
		const k = (col.values as Int32Array)[r];
		if (k < 0 || k >= DIRECT_MAX) return g;
		if (k >= this.cache.length) {
			let size = Math.max(1024, this.cache.length);
			while (size <= k) size *= 2;
			const grown = new Int32Array(Math.min(size, DIRECT_MAX)).fill(-1);
			grown.set(this.cache);
			this.cache = grown;
		}
		this.cache[k] = g;
		return g;
	}

	private assignGeneral(
		cols: ColumnView[],
		sel: Uint32Array | null,
		count: number,
		gids: Int32Array
	): void {
		for (let c = 0; c < cols.length; c++) {
			const v = cols[c].values;
			this.colBytes[c] =
				this.kinds[c] === 'big' ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : null;
		}
		for (let i = 0; i < count; i++) {
			const g = this.lookup(this.encode(cols, sel === null ? i : sel[i]));
			gids[i] = g;
			this.rowCounts[g]++;
		}
	}

	/** Serializes row `r`'s key tuple into the scratch buffer; returns its length. */
	private encode(cols: ColumnView[], r: number): number {
		let at = 0;
		for (let c = 0; c < cols.length; c++) {
			const col = cols[c];
			const kind = this.kinds[c];
			const extra = kind === 'utf8' ? 5 + col.offsets![r + 1] - col.offsets![r] : 9;
			if (at + extra > this.scratch.length) this.growScratch(at + extra);
			const out = this.scratch;
			if (col.validity !== null && (col.validity[r >>> 3] & (1 << (r & 7))) === 0) {
				out[at++] = TAG_NULL;
				continue;
			}
			out[at++] = TAG_VALUE;
			if (kind === 'num') {
				let v = (col.values as Float64Array)[r];
				if (v === 0) v = 0;
				else if (v !== v) v = NaN;
				this.scratchData.setFloat64(at, v, true);
				at += 8;
			} else if (kind === 'big') {
				let bytes = this.colBytes[c];
				if (bytes === null) {
					const v = col.values;
					bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
				}
				for (let b = r * 8, end = b + 8; b < end; b++) out[at++] = bytes[b];
			} else if (kind === 'bool') {
				out[at++] = ((col.values as Uint8Array)[r >>> 3] >>> (r & 7)) & 1;
			} else {
				const start = col.offsets![r];
				const end = col.offsets![r + 1];
				this.scratchData.setInt32(at, end - start, true);
				at += 4;
				out.set((col.values as Uint8Array).subarray(start, end), at);
				at += end - start;
			}
		}
		return at;
	}

	private growScratch(need: number): void {
		let size = this.scratch.length * 2;
		while (size < need) size *= 2;
		const grown = new Uint8Array(size);
		grown.set(this.scratch);
		this.scratch = grown;
		this.scratchData = new DataView(grown.buffer);
	}

	/** The group of the tuple in scratch[0..len), created when new. */
	private lookup(len: number): number {
		const key = this.scratch;
		let h = FNV_OFFSET;
		for (let i = 0; i < len; i++) h = Math.imul(h ^ key[i], FNV_PRIME);
		h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
		h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
		h ^= h >>> 16;
		const mask = this.slots.length - 1;
		for (let s = h & mask; ; s = (s + 1) & mask) {
			const slot = this.slots[s];
			if (slot === 0) return this.insert(s, h, len);
			const g = slot - 1;
			if (this.hashes[g] === h && this.keyLen[g] === len && this.sameKey(g, len)) return g;
		}
	}

	private sameKey(g: number, len: number): boolean {
		const arena = this.arena;
		const key = this.scratch;
		const start = this.keyStart[g];
		for (let i = 0; i < len; i++) if (arena[start + i] !== key[i]) return false;
		return true;
	}

	private insert(slot: number, hash: number, len: number): number {
		const g = this.size++;
		if (g >= this.capacity) this.growGroups();
		if (this.arenaUsed + len > this.arena.length) {
			let size = this.arena.length * 2;
			while (size < this.arenaUsed + len) size *= 2;
			const grown = new Uint8Array(size);
			grown.set(this.arena.subarray(0, this.arenaUsed));
			this.arena = grown;
			this.arenaData = new DataView(grown.buffer);
		}
		this.arena.set(this.scratch.subarray(0, len), this.arenaUsed);
		this.keyStart[g] = this.arenaUsed;
		this.keyLen[g] = len;
		this.hashes[g] = hash;
		this.arenaUsed += len;
		this.slots[slot] = g + 1;
		if (this.size * 2 > this.slots.length) this.rehash();
		return g;
	}

	private growGroups(): void {
		const capacity = this.capacity * 2;
		const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
			const b = make(capacity);
			b.set(a);
			return b;
		};
		this.keyStart = grow(this.keyStart, (n) => new Int32Array(n));
		this.keyLen = grow(this.keyLen, (n) => new Int32Array(n));
		this.hashes = grow(this.hashes, (n) => new Int32Array(n));
		this.rowCounts = grow(this.rowCounts, (n) => new Float64Array(n));
		this.capacity = capacity;
	}

	private rehash(): void {
		const slots = new Int32Array(this.slots.length * 2);
		const mask = slots.length - 1;
		for (let g = 0; g < this.size; g++) {
			let s = this.hashes[g] & mask;
			while (slots[s] !== 0) s = (s + 1) & mask;
			slots[s] = g + 1;
		}
		this.slots = slots;
	}

	/** Upper bound of the utf8 key bytes of group g (its serialized tuple's length). */
	keyBytesBound(g: number): number {
		return this.kinds.length === 0 ? 0 : this.keyLen[g];
	}

	/** UTF-8 bytes each key column needs for the groups `groups[0..n)`, by key column. */
	utf8Bytes(groups: Int32Array, n: number): number[] {
		const bytes = this.kinds.map(() => 0);
		if (!this.kinds.includes('utf8')) return bytes;
		for (let i = 0; i < n; i++)
			this.walk(groups[i], (c, at) => {
				if (at >= 0 && this.kinds[c] === 'utf8') bytes[c] += this.arenaData.getInt32(at, true);
			});
		return bytes;
	}

	/** Writes the keys of `groups[0..n)` into writer columns first..first+keys-1, row i = group i. */
	writeKeys(writer: FrameWriter, first: number, groups: Int32Array, n: number): void {
		const data = this.arenaData;
		for (let i = 0; i < n; i++) {
			this.walk(groups[i], (c, at) => {
				const out = writer.column(first + c);
				const kind = this.kinds[c];
				if (at < 0) {
					writer.setNull(first + c, i);
					if (kind === 'utf8') out.offsets![i + 1] = out.offsets![i];
				} else if (kind === 'num') (out.values as Float64Array)[i] = data.getFloat64(at, true);
				else if (kind === 'big')
					(out.values as BigInt64Array)[i] =
						this.keyTypes[c] === 'uint64'
							? data.getBigUint64(at, true)
							: data.getBigInt64(at, true);
				else if (kind === 'bool') {
					if (this.arena[at] === 1) (out.values as Uint8Array)[i >>> 3] |= 1 << (i & 7);
				} else {
					const len = data.getInt32(at, true);
					const to = out.offsets![i];
					(out.values as Uint8Array).set(this.arena.subarray(at + 4, at + 4 + len), to);
					out.offsets![i + 1] = to + len;
				}
			});
		}
	}

	/** Calls `visit(column, at)` per key column of group g: `at` is the value's offset, -1 for null. */
	private walk(g: number, visit: (c: number, at: number) => void): void {
		let at = this.keyStart[g];
		for (let c = 0; c < this.kinds.length; c++) {
			if (this.arena[at++] === TAG_NULL) {
				visit(c, -1);
				continue;
			}
			visit(c, at);
			const kind = this.kinds[c];
			at += kind === 'bool' ? 1 : kind === 'utf8' ? 4 + this.arenaData.getInt32(at, true) : 8;
		}
	}
}
