// Parquet column chunks decoded straight into a frame column's typed arrays: no JS value per
// row, strings copied as UTF-8 bytes (a dictionary entry's bytes copied per row), so the source
// neither builds JS strings nor re-encodes them (hyparquet's path, the fallback, does both).
//
// Handled: flat columns (REQUIRED or OPTIONAL at the top level: definition levels 0..1, no
// repetition) of physical type BOOLEAN, INT32, INT64, FLOAT, DOUBLE and BYTE_ARRAY read as
// bool, int32/date32, int64, float32, float64 and utf8; data pages v1 and v2; values PLAIN,
// PLAIN_DICTIONARY / RLE_DICTIONARY (with the chunk's dictionary page), RLE for booleans,
// BYTE_STREAM_SPLIT for fixed-width numbers and DELTA_BINARY_PACKED for int32 and dates;
// definition levels in the RLE / bit-packed hybrid. Pages are decompressed by hyparquet's
// `decompressPage` with the codecs of parquet-codecs.ts. Page headers are read with hyparquet's
// `parquetHeader` (metadata, like the footer). Anything else throws `Unsupported`, and the
// source reads that column chunk the old way.
import type { ColumnMetaData, SchemaElement } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import type { ColumnType, ColumnView } from '../../runtime/contracts';
import { PARQUET_COMPRESSORS } from './parquet-codecs';

/** The chunk uses something the fast decoder does not read: read it with hyparquet instead. */
export class Unsupported extends Error {}

const PHYSICAL: Partial<Record<ColumnType, string>> = {
	bool: 'BOOLEAN',
	int32: 'INT32',
	date32: 'INT32',
	int64: 'INT64',
	float32: 'FLOAT',
	float64: 'DOUBLE',
	utf8: 'BYTE_ARRAY'
};

/** Whether the fast decoder can read a top-level leaf column `element` read as `type`. */
export function fastReadable(element: SchemaElement, type: ColumnType): boolean {
	if (PHYSICAL[type] !== element.type) return false;
	if (element.repetition_type === 'REPEATED') return false;
	if (type !== 'utf8') return true;
	// Text only (ENUM and the rest keep hyparquet's conversions).
	const logical = element.logical_type?.type;
	const converted = element.converted_type;
	return logical === 'STRING' || logical === 'JSON' || converted === 'UTF8' || converted === 'JSON';
}

/** Where a chunk's bytes start: its dictionary page when it has one. */
export function chunkRange(meta: ColumnMetaData): [start: number, end: number] {
	const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
	return [start, start + Number(meta.total_compressed_size)];
}

/** Fixed-width values of a frame column. */
type Fixed = Int32Array | BigInt64Array | Float32Array | Float64Array;

const WIDTH: Partial<Record<ColumnType, number>> = {
	int32: 4,
	date32: 4,
	int64: 8,
	float32: 4,
	float64: 8
};

function fixedArray(type: ColumnType, length: number): Fixed {
	switch (type) {
		case 'int64':
			return new BigInt64Array(length);
		case 'float32':
			return new Float32Array(length);
		case 'float64':
			return new Float64Array(length);
		default:
			return new Int32Array(length);
	}
}

function readVarInt(bytes: Uint8Array, at: { pos: number }): number {
	let result = 0;
	let shift = 0;
	for (;;) {
		if (at.pos >= bytes.length) throw new Error('a varint runs past the end of its page');
		const byte = bytes[at.pos++];
		result += (byte & 0x7f) * 2 ** shift;
		if (!(byte & 0x80)) return result;
		shift += 7;
		if (shift > 49) throw new Error('a varint is too long');
	}
}

/**
 * Decodes `count` values of the RLE / bit-packed hybrid of `width` bits from bytes[pos, end)
 * into out[0, count); returns the values read (fewer when the data ends early).
 */
export function readHybrid(
	bytes: Uint8Array,
	pos: number,
	end: number,
	width: number,
	out: Int32Array | Uint8Array,
	count: number
): number {
	if (width > 24) throw new Unsupported(`bit width ${width}`);
	const at = { pos };
	const mask = width === 0 ? 0 : (1 << width) - 1;
	const valueBytes = (width + 7) >>> 3;
	let seen = 0;
	while (seen < count && at.pos < end) {
		const header = readVarInt(bytes, at);
		if (header & 1) {
			// Bit-packed: (header >> 1) groups of 8 values, LSB first.
			const values = Math.floor(header / 2) * 8;
			let p = at.pos;
			const stop = Math.min(end, p + Math.floor(header / 2) * width);
			let acc = 0;
			let bits = 0;
			const n = Math.min(values, count - seen);
			for (let i = 0; i < n; i++) {
				while (bits < width) {
					acc |= (p < stop ? bytes[p] : 0) << bits;
					p++;
					bits += 8;
				}
				out[seen++] = acc & mask;
				acc >>>= width;
				bits -= width;
			}
			at.pos += Math.floor(header / 2) * width;
		} else {
			const run = Math.floor(header / 2);
			let value = 0;
			for (let i = 0; i < valueBytes; i++) value |= bytes[at.pos++] << (8 * i);
			const n = Math.min(run, count - seen);
			out.fill(value, seen, seen + n);
			seen += n;
		}
	}
	return seen;
}

/** A chunk's dictionary: fixed values, or byte strings as offsets into `bytes`. */
interface Dictionary {
	fixed: Fixed | null;
	bools: Uint8Array | null;
	offsets: Int32Array | null;
	bytes: Uint8Array | null;
	size: number;
}

/** The growing output of one column chunk. */
class Output {
	readonly validity: Uint8Array;
	nullCount = 0;
	row = 0;
	readonly fixed: Fixed | null;
	readonly bools: Uint8Array | null;
	readonly offsets: Int32Array | null;
	bytes: Uint8Array;
	byteLength = 0;

	constructor(
		readonly type: ColumnType,
		readonly rows: number,
		byteHint: number
	) {
		this.validity = new Uint8Array((rows + 7) >>> 3).fill(0xff);
		this.fixed = WIDTH[type] ? fixedArray(type, rows) : null;
		this.bools = type === 'bool' ? new Uint8Array((rows + 7) >>> 3) : null;
		this.offsets = type === 'utf8' ? new Int32Array(rows + 1) : null;
		this.bytes = new Uint8Array(type === 'utf8' ? Math.max(64, byteHint) : 0);
	}

	/** Room for `more` string bytes. */
	reserve(more: number): void {
		const need = this.byteLength + more;
		if (need <= this.bytes.length) return;
		if (need > 0x7fffffff) throw new Unsupported('more than 2 GiB of text in one chunk');
		const grown = new Uint8Array(Math.min(0x7fffffff, Math.max(need, this.bytes.length * 2)));
		grown.set(this.bytes.subarray(0, this.byteLength));
		this.bytes = grown;
	}

	view(): ColumnView {
		const validity = this.nullCount > 0 ? this.validity : null;
		const { type, rows, nullCount } = this;
		if (this.offsets)
			return {
				type,
				length: rows,
				nullCount,
				validity,
				offsets: this.offsets,
				values: this.bytes.subarray(0, this.byteLength)
			};
		const values = (this.fixed ?? this.bools)!;
		return { type, length: rows, nullCount, validity, offsets: null, values };
	}
}

/** Scratch arrays reused across pages. */
class Scratch {
	levels = new Uint8Array(0);
	indices = new Int32Array(0);

	levelsFor(n: number): Uint8Array {
		if (this.levels.length < n) this.levels = new Uint8Array(n);
		return this.levels;
	}

	indicesFor(n: number): Int32Array {
		if (this.indices.length < n) this.indices = new Int32Array(n);
		return this.indices;
	}
}

function int32At(bytes: Uint8Array, pos: number): number {
	return (
		(bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16) | (bytes[pos + 3] << 24)) >>> 0
	);
}

/** PLAIN fixed-width values as a typed array over a copy (pages may be unaligned). */
function plainFixed(type: ColumnType, bytes: Uint8Array, pos: number, count: number): Fixed {
	const width = WIDTH[type]!;
	if (pos + count * width > bytes.length) throw new Error('a page ends inside its values');
	const out = fixedArray(type, count);
	new Uint8Array(out.buffer).set(bytes.subarray(pos, pos + count * width));
	return out;
}

/** PLAIN byte arrays: offsets into a copy of their bytes. */
function plainStrings(
	bytes: Uint8Array,
	pos: number,
	count: number
): { offsets: Int32Array; bytes: Uint8Array } {
	const offsets = new Int32Array(count + 1);
	const data = new Uint8Array(bytes.length - pos);
	let length = 0;
	for (let i = 0; i < count; i++) {
		if (pos + 4 > bytes.length) throw new Error('a page ends inside its strings');
		const n = int32At(bytes, pos);
		pos += 4;
		if (pos + n > bytes.length) throw new Error('a page ends inside its strings');
		// Short strings byte by byte: a subarray per value would be a JS object per row.
		if (n < 32) for (let j = 0; j < n; j++) data[length + j] = bytes[pos + j];
		else data.set(bytes.subarray(pos, pos + n), length);
		pos += n;
		length += n;
		offsets[i + 1] = length;
	}
	return { offsets, bytes: data.subarray(0, length) };
}

function readDictionary(type: ColumnType, page: Uint8Array, count: number): Dictionary {
	if (type === 'utf8') {
		const { offsets, bytes } = plainStrings(page, 0, count);
		return { fixed: null, bools: null, offsets, bytes, size: count };
	}
	if (type === 'bool') {
		if (page.length * 8 < count) throw new Error('a dictionary page is too short');
		return { fixed: null, bools: page, offsets: null, bytes: null, size: count };
	}
	return {
		fixed: plainFixed(type, page, 0, count),
		bools: null,
		offsets: null,
		bytes: null,
		size: count
	};
}

/**
 * Writes the page's `nonNull` values (decoded into a source of one of three kinds) to the rows
 * whose level says valid. `levels` null: every row of the page is valid.
 */
interface PageValues {
	/** Fixed values in a typed array, one per non-null row. */
	fixed?: Fixed;
	/** Booleans bit-packed, LSB first, one per non-null row. */
	bits?: Uint8Array;
	/** Booleans one per byte. */
	boolBytes?: Uint8Array;
	/** Strings: offsets into bytes. */
	offsets?: Int32Array;
	bytes?: Uint8Array;
	/** Dictionary indices (with the chunk's dictionary). */
	indices?: Int32Array;
}

function scatter(
	out: Output,
	levels: Uint8Array | null,
	rows: number,
	src: PageValues,
	dict: Dictionary | null
): void {
	const start = out.row;
	const fixed = out.fixed;
	const strings = out.offsets !== null;
	let k = 0;
	if (src.indices) {
		if (!dict) throw new Error('a dictionary-encoded page comes without a dictionary page');
		const indices = src.indices;
		const size = dict.size;
		if (fixed && dict.fixed) {
			const d = dict.fixed as Int32Array;
			const f = fixed as Int32Array;
			for (let r = 0; r < rows; r++) {
				if (levels && levels[r] === 0) continue;
				const i = indices[k++];
				if (i >= size) throw new Error(`a dictionary index (${i}) is past the dictionary's end`);
				f[start + r] = d[i];
			}
		} else if (strings) {
			const dOff = dict.offsets!;
			const dBytes = dict.bytes!;
			const offsets = out.offsets!;
			for (let r = 0; r < rows; r++) {
				if (!(levels && levels[r] === 0)) {
					const i = indices[k++];
					if (i >= size) throw new Error(`a dictionary index (${i}) is past the dictionary's end`);
					const a = dOff[i];
					const n = dOff[i + 1] - a;
					if (out.byteLength + n > out.bytes.length) out.reserve(n);
					const target = out.bytes;
					const at = out.byteLength;
					if (n < 32) for (let j = 0; j < n; j++) target[at + j] = dBytes[a + j];
					else target.set(dBytes.subarray(a, a + n), at);
					out.byteLength = at + n;
				}
				offsets[start + r + 1] = out.byteLength;
			}
		} else {
			const bits = dict.bools!;
			for (let r = 0; r < rows; r++) {
				if (levels && levels[r] === 0) continue;
				const i = indices[k++];
				if (i >= size) throw new Error(`a dictionary index (${i}) is past the dictionary's end`);
				if ((bits[i >>> 3] >>> (i & 7)) & 1) setBit(out.bools!, start + r);
			}
		}
	} else if (src.fixed) {
		const v = src.fixed as Int32Array;
		const f = fixed as Int32Array;
		if (!levels) f.set(v, start);
		else for (let r = 0; r < rows; r++) if (levels[r] !== 0) f[start + r] = v[k++];
	} else if (src.offsets) {
		const sOff = src.offsets;
		const offsets = out.offsets!;
		const sBytes = src.bytes!;
		out.reserve(sBytes.length);
		out.bytes.set(sBytes, out.byteLength);
		const base = out.byteLength;
		for (let r = 0; r < rows; r++) {
			if (!(levels && levels[r] === 0)) k++;
			offsets[start + r + 1] = base + sOff[k];
		}
		out.byteLength = base + sBytes.length;
	} else if (src.bits) {
		const bits = src.bits;
		for (let r = 0; r < rows; r++) {
			if (levels && levels[r] === 0) continue;
			if ((bits[k >>> 3] >>> (k & 7)) & 1) setBit(out.bools!, start + r);
			k++;
		}
	} else if (src.boolBytes) {
		const b = src.boolBytes;
		for (let r = 0; r < rows; r++) {
			if (levels && levels[r] === 0) continue;
			if (b[k++]) setBit(out.bools!, start + r);
		}
	}
	if (levels)
		for (let r = 0; r < rows; r++)
			if (levels[r] === 0) {
				const row = start + r;
				out.validity[row >>> 3] &= ~(1 << (row & 7));
				out.nullCount++;
			}
	out.row = start + rows;
}

function setBit(bits: Uint8Array, row: number): void {
	bits[row >>> 3] |= 1 << (row & 7);
}

/** Decodes a page's values section (bytes[pos..]) of `count` non-null values. */
function pageValues(
	type: ColumnType,
	encoding: string,
	bytes: Uint8Array,
	pos: number,
	count: number,
	scratch: Scratch
): PageValues {
	if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
		if (count === 0) return { indices: new Int32Array(0) };
		if (pos >= bytes.length) throw new Error('a dictionary-encoded page has no values');
		const width = bytes[pos];
		const indices = scratch.indicesFor(count);
		const got = readHybrid(bytes, pos + 1, bytes.length, width, indices, count);
		if (got < count) throw new Error(`a page holds ${got} of its ${count} values`);
		return { indices };
	}
	if (encoding === 'PLAIN') {
		if (type === 'utf8') return plainStrings(bytes, pos, count);
		if (type === 'bool') {
			if ((bytes.length - pos) * 8 < count) throw new Error('a page ends inside its values');
			return { bits: bytes.subarray(pos) };
		}
		return { fixed: plainFixed(type, bytes, pos, count) };
	}
	if (encoding === 'BYTE_STREAM_SPLIT' && WIDTH[type]) {
		const width = WIDTH[type]!;
		if (pos + count * width > bytes.length) throw new Error('a page ends inside its values');
		const out = fixedArray(type, count);
		const target = new Uint8Array(out.buffer);
		for (let b = 0; b < width; b++) {
			const stream = pos + b * count;
			for (let i = 0; i < count; i++) target[i * width + b] = bytes[stream + i];
		}
		return { fixed: out };
	}
	if (encoding === 'DELTA_BINARY_PACKED' && (type === 'int32' || type === 'date32'))
		return { fixed: deltaInt32(bytes, pos, count) };
	if (encoding === 'RLE' && type === 'bool') {
		const length = int32At(bytes, pos);
		const out = new Uint8Array(count);
		const got = readHybrid(bytes, pos + 4, Math.min(bytes.length, pos + 4 + length), 1, out, count);
		if (got < count) throw new Error(`a page holds ${got} of its ${count} values`);
		return { boolBytes: out };
	}
	throw new Unsupported(`encoding ${encoding}`);
}

/** A zigzag varint as a number (exact to 2^53). */
function readZigZag(bytes: Uint8Array, at: { pos: number }): number {
	const n = readVarInt(bytes, at);
	return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

/**
 * DELTA_BINARY_PACKED int32 values: a header (values per block, miniblocks per block, total
 * count, first value), then blocks of a minimum delta, one bit width per miniblock and the
 * miniblocks' deltas bit-packed LSB first; arithmetic wraps at 32 bits.
 */
function deltaInt32(bytes: Uint8Array, pos: number, count: number): Int32Array {
	const at = { pos };
	const blockSize = readVarInt(bytes, at);
	const miniblocks = readVarInt(bytes, at);
	const total = readVarInt(bytes, at);
	let value = readZigZag(bytes, at) | 0;
	const out = new Int32Array(count);
	if (total < count) throw new Error(`a page holds ${total} of its ${count} values`);
	if (count === 0) return out;
	if (miniblocks === 0 || blockSize % miniblocks !== 0 || (blockSize / miniblocks) % 8 !== 0)
		throw new Error('a delta-encoded page has a malformed header');
	const perMini = blockSize / miniblocks;
	out[0] = value;
	let seen = 1;
	while (seen < count) {
		const minDelta = readZigZag(bytes, at) | 0;
		const widthsAt = at.pos;
		at.pos += miniblocks;
		for (let m = 0; m < miniblocks && seen < count; m++) {
			const width = bytes[widthsAt + m];
			if (width > 32) throw new Error(`a delta bit width (${width}) is over 32`);
			let bit = at.pos * 8;
			const n = Math.min(perMini, count - seen);
			for (let i = 0; i < n; i++) {
				let packed = 0;
				for (let got = 0; got < width;) {
					const byte = bytes[bit >>> 3] ?? 0;
					const off = bit & 7;
					const take = Math.min(8 - off, width - got);
					packed += ((byte >>> off) & ((1 << take) - 1)) * 2 ** got;
					got += take;
					bit += take;
				}
				value = (value + minDelta + packed) | 0;
				out[seen++] = value;
			}
			at.pos += (perMini * width) / 8;
		}
	}
	return out;
}

/** Definition levels (0 null, 1 valid) of `rows` rows; the number of valid rows. */
function countValid(levels: Uint8Array, rows: number): number {
	let valid = 0;
	for (let r = 0; r < rows; r++) valid += levels[r];
	return valid;
}

/**
 * Decodes the column chunk `chunk` (its bytes from `chunkRange`) of `rows` rows into a frame
 * column of `type`. Throws Unsupported for what it does not read, an Error for damaged data.
 */
export function decodeChunk(
	chunk: Uint8Array,
	meta: ColumnMetaData,
	element: SchemaElement,
	type: ColumnType,
	rows: number
): ColumnView {
	const optional = element.repetition_type === 'OPTIONAL';
	const out = new Output(type, rows, Number(meta.total_uncompressed_size));
	const scratch = new Scratch();
	const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	const reader = { view, offset: 0 };
	let dict: Dictionary | null = null;
	while (out.row < rows) {
		if (reader.offset >= chunk.length)
			throw new Error(`the column chunk ends after ${out.row} of its ${rows} rows`);
		const header = parquetHeader(reader);
		const start = reader.offset;
		const size = header.compressed_page_size;
		reader.offset += size;
		if (reader.offset > chunk.length) throw new Error('a page runs past its column chunk');
		const raw = chunk.subarray(start, start + size);
		if (header.type === 'DICTIONARY_PAGE') {
			const page = decompressPage(
				raw,
				header.uncompressed_page_size,
				meta.codec,
				PARQUET_COMPRESSORS
			);
			dict = readDictionary(type, page, header.dictionary_page_header!.num_values);
			continue;
		}
		let page: Uint8Array;
		let pageRows: number;
		let levels: Uint8Array | null = null;
		let valuesAt: number;
		let encoding: string;
		if (header.type === 'DATA_PAGE') {
			const h = header.data_page_header!;
			pageRows = h.num_values;
			encoding = h.encoding;
			page = decompressPage(raw, header.uncompressed_page_size, meta.codec, PARQUET_COMPRESSORS);
			valuesAt = 0;
			if (optional) {
				if (h.definition_level_encoding !== 'RLE')
					throw new Unsupported(`definition levels in ${h.definition_level_encoding}`);
				const length = int32At(page, 0);
				levels = scratch.levelsFor(pageRows);
				const got = readHybrid(page, 4, Math.min(page.length, 4 + length), 1, levels, pageRows);
				if (got < pageRows) throw new Error('a page holds fewer definition levels than values');
				valuesAt = 4 + length;
			}
		} else if (header.type === 'DATA_PAGE_V2') {
			const h = header.data_page_header_v2!;
			pageRows = h.num_values;
			encoding = h.encoding;
			if (h.repetition_levels_byte_length > 0) throw new Unsupported('repetition levels');
			const levelBytes = h.definition_levels_byte_length;
			if (optional && levelBytes > 0) {
				levels = scratch.levelsFor(pageRows);
				const got = readHybrid(raw, 0, levelBytes, 1, levels, pageRows);
				if (got < pageRows) throw new Error('a page holds fewer definition levels than values');
			}
			const body = raw.subarray(levelBytes);
			page =
				h.is_compressed === false
					? body
					: decompressPage(
							body,
							header.uncompressed_page_size - levelBytes,
							meta.codec,
							PARQUET_COMPRESSORS
						);
			valuesAt = 0;
		} else continue; // index pages
		if (out.row + pageRows > rows) throw new Error('the column chunk holds more values than rows');
		const valid = levels ? countValid(levels, pageRows) : pageRows;
		const values = pageValues(type, encoding, page, valuesAt, valid, scratch);
		scatter(out, levels && valid < pageRows ? levels : null, pageRows, values, dict);
	}
	return out.view();
}
