// Every message the expression language shows the user, built here so wording stays consistent
// and tests can compare against the same builders.

import { INT64_MAX, INT64_MIN } from './int64';

const quote = (text: string): string => `'${text}'`;

export const exprMessages = {
	empty: () => 'the expression is empty',
	unterminatedString: (q: string) => `unterminated string: add a closing ${q}`,
	unterminatedName: () => 'unterminated `name`: add a closing backquote',
	badEscape: (esc: string) => `unknown escape '\\${esc}' in string (use \\\\ for a backslash)`,
	unexpectedChar: (ch: string) => `unexpected character ${quote(ch)}`,
	singleEquals: () => "'=' is not an operator: use '==' to test equality",
	notEqualsSql: () => "'<>' is not an operator: use '!=' for not-equal",
	singleAmpersand: () => "'&' is not an operator: use '&&' or 'and'",
	singlePipe: () => "'|' is not an operator: use '||' or 'or'",
	expected: (what: string, found: string) => `expected ${what} but found ${found}`,
	endsEarly: (what: string) => `the expression ends early: expected ${what}`,
	keywordAsValue: (word: string) =>
		`${quote(word)} is a keyword; to use a column with that name, write \`${word}\``,
	chainedComparison: () => "comparisons can't be chained: write 'a < b and b < c'",
	tooDeep: (limit: number) => `the expression nests too deeply (more than ${limit} levels)`,
	unknownColumn: (name: string, suggestion?: string) =>
		`unknown column ${quote(name)}` + (suggestion ? ` — did you mean ${quote(suggestion)}?` : ''),
	unknownFunction: (name: string, suggestion?: string) =>
		`unknown function ${quote(name)}` +
		(suggestion ? ` — did you mean ${quote(suggestion)}?` : ' (see the function list)'),
	arity: (fn: string, expected: string, got: number) => `${fn}() takes ${expected}, but got ${got}`,
	argumentType: (fn: string, position: number, expected: string, what: string, got: string) =>
		`${fn}() needs ${expected} as argument ${position}, but ${what} is ${got}`,
	operandType: (op: string, expected: string, what: string, got: string) =>
		`${quote(op)} needs ${expected}, but ${what} is ${got}`,
	stringPlus: () => "'+' does not join strings: use concat(a, b)",
	compareTypes: (op: string, left: string, right: string) =>
		`cannot compare ${left} with ${right} using ${quote(op)}`,
	numberInQuotes: (text: string) => ` — remove the quotes around "${text}" to compare numbers`,
	orderBools: (op: string) => `bools can only be compared with '==' or '!=', not ${quote(op)}`,
	compareNull: (op: string) =>
		`${quote(op + ' null')} is never true: use 'is null' or 'is not null'`,
	intLiteralRange: (digits: string) =>
		`${digits} is too large for an int (int64 holds ${INT64_MIN} to ${INT64_MAX}): write ${digits}.0 for a float`,
	intOverflow: (what: string) =>
		`integer overflow: ${what} is outside int64 (${INT64_MIN} to ${INT64_MAX})`,
	overflowRow: (detail: string, row: string) => `${detail}, in the row where ${row}`,
	constantTooLarge: (bytes: number, rows: number) =>
		`a ${bytes.toLocaleString('en-US')}-byte string repeated over ${rows.toLocaleString('en-US')} rows ` +
		`passes the 2 GiB a string column of one batch can hold: use fewer rows per batch or a shorter string`,
	nullInList: () => "null in an 'in' list never matches: use 'x is null or x in (...)'",
	mixedTypes: (fn: string, a: string, b: string) =>
		`${fn} mixes ${a} and ${b}; all its values must have one type`,
	badDate: (text: string, type: string) =>
		`"${text}" is not a valid ${type}: write it as ` +
		(type === 'date' ? 'YYYY-MM-DD' : 'YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.sss]][Z]'),
	evaluateFilterType: (type: string) =>
		`evaluateFilter needs a bool expression, but this one is ${type}`,
	batchColumnType: (index: number, name: string, got: string, want: string) =>
		`batch column ${index} (${quote(name)}) is ${got}, but the expression was checked against ${want}`,
	batchColumnMissing: (index: number, name: string) =>
		`batch has no column ${index} (${quote(name)}); columns must be in the fields' order`
};

/** How a message refers to an operand: a column by name, anything else by its source text. */
export function describeOperand(
	node: { kind: string; start: number; end: number; name?: string },
	source: string
): string {
	if (node.kind === 'column') return `column ${quote(node.name!)}`;
	const text = source.slice(node.start, node.end);
	return quote(text.length > 30 ? text.slice(0, 27) + '...' : text);
}
