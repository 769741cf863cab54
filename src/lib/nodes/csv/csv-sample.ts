// The first rows of a file, kept as raw field bytes until the column types are inferred, then
// replayed through the same row writer as every later row (so the sample obeys the same rules).

import type { ColumnType } from '../../runtime/contracts';
import { NullMatcher, TYPE_ANY, pickType, trimEnd, trimStart, valueTypes } from './csv-infer';
import { FIELD_MALFORMED } from './csv-scanner';
import { INFERRED_FORMATS, matchingFormats, parsed } from '../formats/date-formats';

/** Every inferred date pattern still possible. */
const ALL_FORMATS = (1 << INFERRED_FORMATS.length) - 1;

export class SampleRows {
	bytes = new Uint8Array(64 * 1024);
	starts = new Int32Array(1024);
	ends = new Int32Array(1024);
	flags = new Uint8Array(1024);
	/** Per row: index of its first field in starts/ends/flags, its field count and its line. */
	readonly rowBase: number[] = [];
	readonly rowCount: number[] = [];
	readonly rowLine: number[] = [];
	/** Per row: 0, or the scanner's BROKEN_* reason and its line or offset (see CsvRecordSink). */
	readonly rowBroken: number[] = [];
	readonly rowAt: number[] = [];
	private byteLength = 0;
	private fieldCount = 0;

	get rows(): number {
		return this.rowBase.length;
	}

	/** Copies one record's fields (as the scanner reported them). */
	add(
		buf: Uint8Array,
		starts: Int32Array,
		ends: Int32Array,
		flags: Uint8Array,
		n: number,
		line: number,
		broken = 0,
		at = 0
	) {
		let bytes = 0;
		for (let i = 0; i < n; i++) bytes += ends[i] - starts[i];
		this.reserve(n, bytes);
		this.rowBase.push(this.fieldCount);
		this.rowCount.push(n);
		this.rowLine.push(line);
		this.rowBroken.push(broken);
		this.rowAt.push(at);
		for (let i = 0; i < n; i++) {
			const f = this.fieldCount++;
			this.starts[f] = this.byteLength;
			this.bytes.set(buf.subarray(starts[i], ends[i]), this.byteLength);
			this.byteLength += ends[i] - starts[i];
			this.ends[f] = this.byteLength;
			this.flags[f] = flags[i];
		}
	}

	/**
	 * Inferred type of each of `width` columns, and the date pattern of those read as dates in
	 * another form than ISO (formats/date-formats.ts; null for the rest); nulls and malformed
	 * fields do not vote.
	 */
	inferTypes(
		width: number,
		nulls: NullMatcher
	): { types: ColumnType[]; formats: (string | null)[] } {
		const types: ColumnType[] = [];
		const formats: (string | null)[] = [];
		for (let column = 0; column < width; column++) {
			let mask = TYPE_ANY;
			let voted = false;
			let dates = ALL_FORMATS;
			let hasTime = false;
			for (let row = 0; row < this.rows && (mask !== 0 || dates !== 0); row++) {
				if (column >= this.rowCount[row]) continue;
				const f = this.rowBase[row] + column;
				if (this.flags[f] & FIELD_MALFORMED) continue;
				const start = trimStart(this.bytes, this.starts[f], this.ends[f]);
				const end = trimEnd(this.bytes, start, this.ends[f]);
				if (nulls.matches(this.bytes, start, end)) continue;
				mask &= valueTypes(this.bytes, start, end);
				if (dates !== 0) {
					dates = matchingFormats(this.bytes, start, end, dates);
					hasTime ||= parsed.hasTime;
				}
				voted = true;
			}
			const type = pickType(mask, voted);
			if (type === 'utf8' && voted && dates !== 0) {
				types.push(hasTime ? 'timestamp' : 'date32');
				formats.push(INFERRED_FORMATS[31 - Math.clz32(dates & -dates)].pattern);
			} else {
				types.push(type);
				formats.push(null);
			}
		}
		return { types, formats };
	}

	private reserve(fields: number, bytes: number): void {
		if (this.fieldCount + fields > this.starts.length) {
			const size = Math.max(this.fieldCount + fields, this.starts.length * 2);
			this.starts = grow(this.starts, new Int32Array(size));
			this.ends = grow(this.ends, new Int32Array(size));
			this.flags = grow(this.flags, new Uint8Array(size));
		}
		if (this.byteLength + bytes > this.bytes.length) {
			const size = Math.max(this.byteLength + bytes, this.bytes.length * 2);
			this.bytes = grow(this.bytes, new Uint8Array(size));
		}
	}
}

function grow<T extends Int32Array | Uint8Array>(from: T, to: T): T {
	to.set(from);
	return to;
}
