// Turns expression text into tokens. Never throws: a bad character or an unterminated string
// comes back as an ExprError with its position.

import { exprMessages as msg } from './messages';
import type { ExprError } from './types';

export type TokenKind = 'number' | 'string' | 'name' | 'quotedName' | 'op' | 'end';

export interface Token {
	kind: TokenKind;
	/** The source text of the token. */
	text: string;
	/** Decoded value: the number, the string's characters, or the (unquoted) name. */
	value: number | string;
	/** For numbers: written with '.' or an exponent. */
	isFloat: boolean;
	start: number;
	end: number;
}

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!'];
const PUNCTUATION = '(),';
const ESCAPES: Record<string, string> = {
	n: '\n',
	t: '\t',
	r: '\r',
	'0': '\0',
	'\\': '\\',
	"'": "'",
	'"': '"',
	'`': '`'
};

function token(
	kind: TokenKind,
	source: string,
	start: number,
	end: number,
	value: number | string,
	isFloat = false
): Token {
	return { kind, text: source.slice(start, end), value, isFloat, start, end };
}

/** Reads a quoted string or backquoted name starting at `start` (the opening quote). */
function readQuoted(source: string, start: number): { value: string; end: number } | ExprError {
	const q = source[start];
	let value = '';
	let i = start + 1;
	while (i < source.length) {
		const ch = source[i];
		if (ch === q) return { value, end: i + 1 };
		if (ch === '\\' && q !== '`') {
			const esc = source[i + 1];
			if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
				value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
				i += 6;
				continue;
			}
			if (esc === undefined || !(esc in ESCAPES)) {
				return { message: msg.badEscape(esc ?? ''), start: i, end: Math.min(i + 2, source.length) };
			}
			value += ESCAPES[esc];
			i += 2;
			continue;
		}
		value += ch;
		i++;
	}
	const message = q === '`' ? msg.unterminatedName() : msg.unterminatedString(q);
	return { message, start, end: source.length };
}

/** The token starting at or after `pos` (whitespace skipped), or an error. */
export function nextToken(source: string, pos: number): Token | ExprError {
	let i = pos;
	while (i < source.length && /\s/.test(source[i])) i++;
	if (i >= source.length) return token('end', source, i, i, '');
	const ch = source[i];
	NUMBER.lastIndex = i;
	const number = NUMBER.exec(source);
	if (number) {
		const text = number[0];
		return token('number', source, i, i + text.length, Number(text), /[.eE]/.test(text));
	}
	NAME.lastIndex = i;
	const name = NAME.exec(source);
	if (name) return token('name', source, i, i + name[0].length, name[0]);
	if (ch === '"' || ch === "'" || ch === '`') {
		const read = readQuoted(source, i);
		if ('message' in read) return read;
		return token(ch === '`' ? 'quotedName' : 'string', source, i, read.end, read.value);
	}
	const two = source.slice(i, i + 2);
	if (two === '<>') return { message: msg.notEqualsSql(), start: i, end: i + 2 };
	for (const op of OPERATORS) {
		if (source.startsWith(op, i)) return token('op', source, i, i + op.length, op);
	}
	if (PUNCTUATION.includes(ch)) return token('op', source, i, i + 1, ch);
	if (ch === '=') return { message: msg.singleEquals(), start: i, end: i + 1 };
	if (ch === '&') return { message: msg.singleAmpersand(), start: i, end: i + 1 };
	if (ch === '|') return { message: msg.singlePipe(), start: i, end: i + 1 };
	const cp = String.fromCodePoint(source.codePointAt(i)!);
	return { message: msg.unexpectedChar(cp), start: i, end: i + cp.length };
}

export function isError(t: Token | ExprError): t is ExprError {
	return 'message' in t;
}
