// JSON records as columns: flattening nested objects, and the schema inferred from a sample.
//
// Flattening, up to `depth` levels (default 1): {"a": {"b": 1, "c": {"d": 2}}, "e": [1, 2]}
// gives columns a.b = 1, a.c = '{"d":2}', e = '[1,2]' at depth 1; at depth 0 every object
// value is one JSON text column (a = '{"b":1,"c":{"d":2}}'); at depth 2, a.c.d = 2. Arrays are
// always kept as JSON text.
//
// Types, from the non-null values a column has in the sample (predictable, nothing clever):
// all true/false -> bool; all whole numbers -> int64; all numbers -> float64; all text in ISO
// date form (2024-05-01) -> date32; all text in ISO date-time form (2024-05-01T10:00:00Z,
// a time without a zone read as UTC) -> timestamp; all text in one of the other common date
// forms of formats/date-formats.ts (2001/01/01 00:47, Jun 12 1998, 12/06/1998: month first
// unless a value proves day first) -> date32 or timestamp read in that form (schema.formats);
// other text, arrays and deeper objects -> utf8.
// Mixed whole and fractional numbers widen to float64; any other mix widens to utf8; a column
// with only nulls is utf8. Columns appear in the order they are first met; a column that first
// appears after the sample is not read.
import type { ColumnType } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import { parseIsoMs } from '../formats/column-build';
import { INFERRED_FORMATS, matchingTextFormats, parsed } from '../formats/date-formats';

const ALL_FORMATS = (1 << INFERRED_FORMATS.length) - 1;
import { JsonError, JsonSplitter, describeAt, type JsonText } from './json-split';
import { untrusted } from '../formats/untrusted-text';

/** Longest text of JSON.parse's message quoted into an error. */
const MAX_REASON_CHARS = 120;

export const DEFAULT_JSON_DEPTH = 1;
/** Records read to infer a schema. */
export const SAMPLE_RECORDS = 1000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `put(column, value)` for each flattened field of `record`. */
export function flattenRecord(
	record: Record<string, unknown>,
	depth: number,
	put: (column: string, value: unknown) => void,
	prefix = ''
): void {
	for (const key of Object.keys(record)) {
		const value = record[key];
		if (isPlainObject(value) && depth > 0) flattenRecord(value, depth - 1, put, `${prefix}${key}.`);
		else put(prefix + key, value);
	}
}

/** The record of a text, or a JsonError naming where it is and what is wrong. */
export function parseRecord(item: JsonText, layout: 'ndjson' | 'array'): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(item.text);
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		// V8 quotes the record's text in its message: cut it and escape control bytes.
		const quoted = untrusted(why, MAX_REASON_CHARS);
		throw new JsonError(`${describeAt(layout, item.at, item.offset)}: bad JSON: ${quoted}`);
	}
	if (!isPlainObject(value))
		throw new JsonError(
			`${describeAt(layout, item.at, item.offset)}: expected an object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`
		);
	return value;
}

type Seen = 'bool' | 'int' | 'float' | 'date' | 'datetime' | 'text';

function kindOf(value: unknown): Seen {
	if (typeof value === 'boolean') return 'bool';
	if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
	if (typeof value === 'string' && !Number.isNaN(parseIsoMs(value)))
		return DATE_ONLY.test(value) ? 'date' : 'datetime';
	return 'text';
}

function widen(a: Seen | undefined, b: Seen): Seen {
	if (a === undefined || a === b) return b;
	if ((a === 'int' && b === 'float') || (a === 'float' && b === 'int')) return 'float';
	return 'text';
}

const TYPE_OF: Record<Seen, ColumnType> = {
	bool: 'bool',
	int: 'int64',
	float: 'float64',
	date: 'date32',
	datetime: 'timestamp',
	text: 'utf8'
};

/** Schema of the records in `sample` (the first bytes of the input; `complete` if all of it). */
export function inferJsonSchema(
	sample: Uint8Array,
	complete: boolean,
	depth = DEFAULT_JSON_DEPTH
): FrameSchema {
	const splitter = new JsonSplitter();
	let items = splitter.push(sample);
	if (complete) items = items.concat(splitter.finish());
	const seen = new Map<string, Seen | undefined>();
	/** Per column: the date patterns every string so far parses with (0 once a non-string came). */
	const dates = new Map<string, { mask: number; time: boolean }>();
	// A record that is not JSON tells nothing of the columns: it is left to the reading kernel,
	// which fails on it or, under badRows 'skip', skips and counts it. Only a sample with no
	// readable record at all is the probe's own error.
	let unreadable: unknown = null;
	let readable = 0;
	for (const item of items.slice(0, SAMPLE_RECORDS)) {
		let record: Record<string, unknown>;
		try {
			record = parseRecord(item, splitter.layout!);
		} catch (error) {
			if (!(error instanceof JsonError)) throw error;
			unreadable ??= error;
			continue;
		}
		readable++;
		flattenRecord(record, depth, (column, value) => {
			const before = seen.get(column);
			if (value === null || value === undefined) {
				if (!seen.has(column)) seen.set(column, undefined);
				return;
			}
			seen.set(column, widen(before, kindOf(value)));
			const d = dates.get(column) ?? { mask: ALL_FORMATS, time: false };
			if (typeof value !== 'string') d.mask = 0;
			else if (d.mask !== 0) {
				d.mask = matchingTextFormats(value, d.mask);
				d.time ||= parsed.hasTime;
			}
			dates.set(column, d);
		});
	}
	if (readable === 0 && unreadable !== null) throw unreadable;
	const names = [...seen.keys()];
	const types = names.map((n) => TYPE_OF[seen.get(n) ?? 'text']);
	const formats = names.map((n, i) => {
		const d = dates.get(n);
		if (types[i] !== 'utf8' || seen.get(n) === undefined || !d || d.mask === 0) return null;
		types[i] = d.time ? 'timestamp' : 'date32';
		return INFERRED_FORMATS[31 - Math.clz32(d.mask & -d.mask)].pattern;
	});
	return formats.some((f) => f !== null) ? { names, types, formats } : { names, types };
}
