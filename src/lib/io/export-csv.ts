// CSV export, streamed: one chunk of UTF-8 bytes per batch. RFC 4180: fields separated by the
// delimiter, records by CRLF, a field quoted when it holds the delimiter, a quote, CR or LF
// (quotes doubled inside). Nulls are empty fields; an empty string is "" so it stays apart from
// a null, and so is every string the CSV reader would take for null ("NA", "null", "N/A", ...:
// its default null tokens; a quoted field is always text). A one-column record whose value is
// null would be a blank line, which readers skip, so it is written as the token NA. Dates are
// ISO (2024-05-01, +012000-01-01 outside years 0000-9999), timestamps ISO in UTC
// (2024-05-01T10:00:00.000Z), int64 and uint64 exact, floats as the shortest text that reads
// back to the same value (-0 included): runtime/batch/value-text.ts, shared by every text
// output; bools
// true/false. Types are not carried: strings that look like numbers or dates are written as
// they are, and read back as strings when the reader is given the column's type (`types`).
import type { ColumnView } from '../runtime/contracts';
import { valueAt } from '../runtime/batch/values';
import { valueText } from '../runtime/batch/value-text';
import { DEFAULT_NULL_VALUES } from '../nodes/csv';
import type { ExportInput } from './export-input';

export interface CsvExportOptions {
	delimiter?: string;
	/** Write the column names as the first record (default true). */
	header?: boolean;
}

const NULL_TOKENS = new Set(DEFAULT_NULL_VALUES);

/** What a null is written as in a one-column record (an empty line would be skipped). */
const LONE_NULL = 'NA';

function quoted(text: string, delimiter: string): string {
	const needs = NULL_TOKENS.has(text) || text.includes(delimiter) || /["\r\n]/.test(text);
	return needs ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One field of a CSV record. */
export function csvField(col: ColumnView, row: number, delimiter: string): string {
	const value = valueAt(col, row);
	if (value === null) return '';
	switch (col.type) {
		case 'utf8':
			return quoted(value as string, delimiter);
		default:
			return valueText(col.type, value);
	}
}

export async function* exportCsv(
	input: ExportInput,
	options: CsvExportOptions = {}
): AsyncGenerator<Uint8Array> {
	const delimiter = options.delimiter ?? ',';
	const encoder = new TextEncoder();
	if (options.header ?? true)
		yield encoder.encode(
			input.schema.names.map((n) => quoted(n, delimiter)).join(delimiter) + '\r\n'
		);
	for await (const batch of input.batches) {
		const lines: string[] = new Array(batch.length);
		const fields: string[] = new Array(batch.columns.length);
		for (let r = 0; r < batch.length; r++) {
			for (let c = 0; c < fields.length; c++) fields[c] = csvField(batch.columns[c], r, delimiter);
			lines[r] = fields.length === 1 && fields[0] === '' ? LONE_NULL : fields.join(delimiter);
		}
		if (lines.length > 0) yield encoder.encode(lines.join('\r\n') + '\r\n');
	}
}
