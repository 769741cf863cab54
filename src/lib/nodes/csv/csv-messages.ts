// The CSV parser's messages, in one place so wording stays consistent and testable.
// Only setup and problem paths call these: they build strings, so never per value.

// Values and column names come from the file: quoted through untrusted-text.ts (cut, and
// control characters escaped).
import { quoteUntrusted } from '../formats/untrusted-text';

function where(line: number, column?: string): string {
	return column === undefined ? `line ${line}` : `line ${line}, column ${quoteUntrusted(column)}`;
}

function mib(bytes: number): string {
	return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

export const csvMessage = {
	/** "line 10452, column 'price': 'abc' is not a float64" */
	badValue: (line: number, column: string, text: string, type: string) =>
		`${where(line, column)}: ${quoteUntrusted(text)} is not a ${type}`,
	ragged: (line: number, expected: number, found: number) =>
		`${where(line)}: expected ${expected} field${expected === 1 ? '' : 's'}, found ${found}`,
	textAfterQuote: (line: number, column: string) =>
		`${where(line, column)}: unexpected text after a closing quote`,
	unterminated: (line: number, column: string | undefined, openedOn: number) =>
		`${where(line, column)}: quoted field opened on line ${openedOn} is never closed`,
	tooLong: (line: number, cap: number, offset: number) =>
		`${where(line)}: record longer than the ${mib(cap)} limit (at byte ${offset}); ` +
		`a file with no line breaks, or a stray quote, does this`,
	/** The header record itself is broken: nothing can be read. */
	badHeader: (problem: string) => `the header cannot be read: ${problem}`,
	empty: () => 'the file is empty: no header and no rows'
};

export const csvOptionError = {
	notObject: () => new TypeError("CSV options must be an object like { delimiter: ',' }"),
	delimiter: (value: unknown) =>
		new TypeError(
			`delimiter must be one ASCII character other than a quote, CR or LF, got ${JSON.stringify(value)}`
		),
	quote: (value: unknown) =>
		new TypeError(
			`quote must be one ASCII character other than the delimiter, CR or LF, or '' for none, got ${JSON.stringify(value)}`
		),
	notBoolean: (name: string, value: unknown) =>
		new TypeError(`${name} must be a boolean, got ${typeof value}`),
	nullValues: () => new TypeError('nullValues must be an array of strings'),
	columns: () => new TypeError('columns must be a non-empty array of column names'),
	types: (name: string, value: unknown, allowed: readonly string[]) =>
		new TypeError(
			`types.${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`
		),
	positiveInt: (name: string, value: unknown, max: number) =>
		new RangeError(`${name} must be an integer from 1 to ${max}, got ${String(value)}`),
	badRows: (value: unknown) =>
		new TypeError(`badRows must be 'fail', 'skip' or 'null', got ${JSON.stringify(value)}`)
};
