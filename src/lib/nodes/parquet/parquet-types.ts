// Parquet columns as frame columns: the ColumnType each top-level Parquet column is read as, and
// the hyparquet parsers that make its values what `coerce` expects (timestamps as bigint
// milliseconds, dates as day numbers, JSON as text).
//
// INT32 -> int32 (or int8/int16/uint8/uint16/uint32 by its integer annotation), DATE -> date32;
// INT64 -> int64 (UINT_64 -> uint64), TIMESTAMP of any unit and INT96 -> timestamp (ms, UTC);
// FLOAT -> float32, DOUBLE -> float64, DECIMAL -> float64; BOOLEAN -> bool; BYTE_ARRAY text,
// JSON, ENUM and UUID -> utf8. Nested columns (lists, maps, structs), BSON, intervals, times,
// geometry and plain binary are left out of the source's schema (`unreadableColumns` names
// them, and the source's report counts them as dropped); a file with no readable column is refused with a message naming its columns' types.
import type { FileMetaData, ParquetParsers, SchemaElement } from 'hyparquet';
import { parquetSchema } from 'hyparquet';
import type { ColumnType } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import { microsToMs, nanosToMs } from '../formats/time-units';
import { quoteUntrusted, untrusted } from '../formats/untrusted-text';

const decoder = new TextDecoder();

export const PARQUET_PARSERS: Partial<ParquetParsers> = {
	timestampFromMilliseconds: (ms: bigint) => ms,
	// Floored, not truncated: pre-1970 times keep their millisecond (formats/time-units.ts).
	timestampFromMicroseconds: microsToMs,
	timestampFromNanoseconds: nanosToMs,
	dateFromDays: (days: number) => days,
	jsonFromBytes: (bytes: Uint8Array) => bytes && decoder.decode(bytes)
};

const INTEGER: Record<string, ColumnType> = {
	INT_8: 'int8',
	INT_16: 'int16',
	INT_32: 'int32',
	INT_64: 'int64',
	UINT_8: 'uint8',
	UINT_16: 'uint16',
	UINT_32: 'uint32',
	UINT_64: 'uint64'
};

function describe(e: SchemaElement): string {
	const parts = [e.type ?? 'group'];
	if (e.logical_type) parts.push(e.logical_type.type);
	else if (e.converted_type) parts.push(e.converted_type);
	return parts.join(' ');
}

/** What a group column is: "list", "map" or "struct". */
function describeGroup(e: SchemaElement): string {
	const kind = e.logical_type?.type ?? e.converted_type;
	if (kind === 'LIST') return 'list';
	if (kind === 'MAP' || kind === 'MAP_KEY_VALUE') return 'map';
	return 'struct';
}

/** The frame type of a leaf column, or null when Sluice cannot read it. */
export function columnTypeOf(e: SchemaElement): ColumnType | null {
	const logical = e.logical_type;
	const converted = e.converted_type;
	if (logical?.type === 'INTEGER') {
		const name = `${logical.isSigned ? 'INT' : 'UINT'}_${logical.bitWidth}`;
		return INTEGER[name] ?? null;
	}
	if (converted && converted in INTEGER) return INTEGER[converted];
	if (converted === 'DECIMAL' || logical?.type === 'DECIMAL') return 'float64';
	if (converted === 'DATE' || logical?.type === 'DATE') return 'date32';
	if (
		logical?.type === 'TIMESTAMP' ||
		converted === 'TIMESTAMP_MILLIS' ||
		converted === 'TIMESTAMP_MICROS'
	)
		return 'timestamp';
	if (logical?.type === 'UUID') return 'utf8';
	if (logical?.type === 'FLOAT16') return 'float32';
	if (logical || (converted && !['UTF8', 'JSON', 'ENUM'].includes(converted))) {
		const text = ['STRING', 'JSON', 'ENUM'].includes(logical?.type ?? '');
		return text ? 'utf8' : null;
	}
	switch (e.type) {
		case 'BOOLEAN':
			return 'bool';
		case 'INT32':
			return 'int32';
		case 'INT64':
			return 'int64';
		case 'INT96':
			return 'timestamp';
		case 'FLOAT':
			return 'float32';
		case 'DOUBLE':
			return 'float64';
		case 'BYTE_ARRAY':
			return converted ? 'utf8' : null;
		default:
			return null;
	}
}

/** A top-level column Sluice cannot read: its name and Parquet type ("list", "INT64 TIME"). */
export interface UnreadableColumn {
	name: string;
	type: string;
}

/** Top-level columns Sluice cannot read, in file order. */
export function unreadableColumns(metadata: FileMetaData): UnreadableColumn[] {
	return parquetSchema(metadata)
		.children.filter((c) => c.children.length > 0 || columnTypeOf(c.element) === null)
		.map((c) => ({
			name: c.element.name,
			type: c.children.length > 0 ? describeGroup(c.element) : describe(c.element)
		}));
}

/** The frame schema of a Parquet file's readable columns; an Error if it has none. */
export function parquetFrameSchema(metadata: FileMetaData, source: string): FrameSchema {
	const names: string[] = [];
	const types: ColumnType[] = [];
	for (const child of parquetSchema(metadata).children) {
		const type = child.children.length > 0 ? null : columnTypeOf(child.element);
		if (type === null) continue;
		names.push(child.element.name);
		types.push(type);
	}
	if (names.length === 0) throw new Error(parquetMessages.noReadableColumn(source, metadata));
	return { names, types };
}

/** "'tags' (list)", its name quoted safely (it comes from the file). */
export function unreadableText(column: UnreadableColumn): string {
	return `${quoteUntrusted(column.name)} (${untrusted(column.type)})`;
}

/** The Parquet source's messages that quote the file (names, types, a decoder's words). */
export const parquetMessages = {
	empty: (source: string) => `'${source}' is empty (0 bytes): it is not a Parquet file`,
	noReadableColumn: (source: string, metadata: FileMetaData) => {
		const all = unreadableColumns(metadata);
		const shown = all.slice(0, 8).map(unreadableText).join(', ');
		const more = all.length > 8 ? ` and ${all.length - 8} more` : '';
		return (
			`'${source}' has no column Sluice can read: ${shown}${more} ` +
			'(nested, binary, interval and time columns are not supported)'
		);
	},
	/** A row group not read: its statistics prove `condition` (already safe text) holds for no row. */
	groupSkipped: (group: number, rows: number, condition: string) =>
		`row group ${group} (${rows.toLocaleString('en-US')} rows): no row can have ${condition}, by its min/max statistics`,
	/** The sample message of a column left out of the source's output. */
	dropped: (column: UnreadableColumn) =>
		`${unreadableText(column)}: Sluice cannot read this type, so the column is left out`
};
