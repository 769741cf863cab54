// CSV parser options: the public shape, defaults, validation, and the resolved byte-level form
// the scanner and column builders use. Validation runs once per parser; errors name the option.

import { COLUMN_TYPES } from '../../runtime/batch/types';
import type { ColumnType } from '../../runtime/contracts';
import { compileDateFormat, type DateFormat } from '../formats/date-formats';
import { csvOptionError } from './csv-messages';
import { MAX_RECORD_BYTES } from './csv-scanner';

export interface CsvOptions {
	/** Field separator, one ASCII character: ',' (default), '\t', ';', '|', ... */
	delimiter?: string;
	/** First record holds the column names (default true); otherwise names are column_1..n. */
	header?: boolean;
	/** Quote character (default '"'); a doubled quote inside quotes is a literal quote; '' = none. */
	quote?: string;
	/** Unquoted field texts read as null (default ['', 'NA', 'null', 'NULL', 'N/A']). */
	nullValues?: string[];
	/** Explicit column types by column name; they win over inference. */
	types?: Record<string, ColumnType>;
	/**
	 * The text form of date32/timestamp columns by name (formats/date-formats.ts patterns, e.g.
	 * '%d/%m/%Y'); they win over inference. Columns not named are ISO or inferred.
	 */
	formats?: Record<string, string>;
	/** Data rows read before the column types are inferred (default 1000). */
	sampleRows?: number;
	/**
	 * Ragged rows and values that do not parse as their column's type (default 'fail'): 'fail'
	 * throws CsvError naming line and column; 'skip' drops the row; 'null' stores null for the
	 * bad value or missing fields and drops extra fields (the row is kept: 'null' never loses
	 * one). A broken record (an unclosed quote, a record past maxRecordBytes: see
	 * csv-scanner.ts) is skipped, or kept with the fields before the break and nulls after.
	 * Skipped, nulled and truncated rows are counted per reason by CsvParser.report().
	 */
	badRows?: 'fail' | 'skip' | 'null';
	/** Cap on one record's bytes (default 16 MiB): a longer record is a bad row. */
	maxRecordBytes?: number;
	/** With `columns`: the input's byte offset in the file, for offsets in messages. */
	startOffset?: number;
	/** Rows per emitted batch (default 16384). */
	batchRows?: number;
	/**
	 * Set when the input is a piece of a larger file that starts at a record boundary after its
	 * header (one worker's byte range): the column names. No header line is read (whatever
	 * `header` says) and no byte-order mark is skipped; the first record is data.
	 */
	columns?: string[];
}

/** A row the parser skipped, nulled or stopped at. */
export interface CsvProblem {
	/** 1-based physical line where the record starts. */
	line: number;
	column?: string;
	message: string;
}

/** Thrown by `push`/`finish` under `badRows: 'fail'`; `problem` says where and why. */
export class CsvError extends Error {
	readonly problem: CsvProblem;
	constructor(problem: CsvProblem) {
		super(problem.message);
		this.name = 'CsvError';
		this.problem = problem;
	}
}

export { COLUMN_TYPES };

/** Field texts the reader takes for null unless told otherwise (CsvOptions.nullValues). */
export const DEFAULT_NULL_VALUES: readonly string[] = ['', 'NA', 'null', 'NULL', 'N/A'];

export const BAD_ROWS_FAIL = 0;
export const BAD_ROWS_SKIP = 1;
export const BAD_ROWS_NULL = 2;

/** Upper bound for batchRows and sampleRows: keeps int32 offsets and scratch sizes sane. */
const MAX_ROWS = 1 << 24;

export interface ResolvedCsvOptions {
	delimiter: number;
	/** Quote byte, or -1 when quoting is off (no byte equals -1). */
	quote: number;
	header: boolean;
	nullValues: string[];
	types: ReadonlyMap<string, ColumnType>;
	formats: ReadonlyMap<string, DateFormat>;
	sampleRows: number;
	badRows: number;
	batchRows: number;
	/** Column names of an input that starts mid-file (see CsvOptions.columns), else null. */
	columns: string[] | null;
	maxRecordBytes: number;
	startOffset: number;
}

function singleAscii(text: unknown): number {
	if (typeof text !== 'string' || text.length !== 1) return -1;
	const code = text.charCodeAt(0);
	return code < 128 && code !== 10 && code !== 13 ? code : -1;
}

function rowCount(name: string, value: unknown, fallback: number, max = MAX_ROWS): number {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
		throw csvOptionError.positiveInt(name, value, max);
	}
	return value;
}

/** Checks options and turns them into bytes and codes; throws TypeError/RangeError naming one. */
export function resolveCsvOptions(options: CsvOptions = {}): ResolvedCsvOptions {
	if (typeof options !== 'object' || options === null) throw csvOptionError.notObject();
	const delimiter = singleAscii(options.delimiter ?? ',');
	const quoteText = options.quote ?? '"';
	const quote = quoteText === '' ? -1 : singleAscii(quoteText);
	if (delimiter < 0 || delimiter === quote) throw csvOptionError.delimiter(options.delimiter);
	if (quote < 0 && quoteText !== '') throw csvOptionError.quote(options.quote);
	const header = options.header ?? true;
	if (typeof header !== 'boolean') throw csvOptionError.notBoolean('header', header);
	const nullValues = options.nullValues ?? DEFAULT_NULL_VALUES;
	if (!Array.isArray(nullValues) || nullValues.some((v) => typeof v !== 'string')) {
		throw csvOptionError.nullValues();
	}
	const types = new Map<string, ColumnType>();
	for (const [name, type] of Object.entries(options.types ?? {})) {
		if (!COLUMN_TYPES.includes(type)) throw csvOptionError.types(name, type, COLUMN_TYPES);
		types.set(name, type);
	}
	const formats = new Map<string, DateFormat>();
	for (const [name, pattern] of Object.entries(options.formats ?? {}))
		formats.set(name, compileDateFormat(pattern));
	const columns = options.columns ?? null;
	if (
		columns !== null &&
		(!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
	)
		throw csvOptionError.columns();
	const policy = options.badRows ?? 'fail';
	const badRows = ['fail', 'skip', 'null'].indexOf(policy);
	if (badRows < 0) throw csvOptionError.badRows(policy);
	return {
		delimiter,
		quote,
		header,
		nullValues: [...nullValues],
		types,
		formats,
		sampleRows: rowCount('sampleRows', options.sampleRows, 1000),
		badRows,
		batchRows: rowCount('batchRows', options.batchRows, 16384),
		columns: columns === null ? null : [...columns],
		maxRecordBytes: rowCount('maxRecordBytes', options.maxRecordBytes, MAX_RECORD_BYTES, 1 << 30),
		startOffset: options.startOffset ?? 0
	};
}
