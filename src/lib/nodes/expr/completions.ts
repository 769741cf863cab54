// Editor completions: the column names, functions and keywords that match the word at the
// cursor. Names that are not plain identifiers (spaces, symbols, keywords, function names) are
// offered in backquotes.

import { FUNCTIONS } from './functions';
import type { ExprField } from './types';

export interface Completion {
	label: string;
	detail: string;
}

const KEYWORDS = ['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false'];
const RESERVED = new Set([...KEYWORDS, ...FUNCTIONS.map((f) => f.name)]);
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Where the cursor is: in a string, in a backquoted name (from its backquote), or in code. */
function contextAt(
	source: string,
	cursor: number
): { kind: 'code' | 'string' | 'name'; start: number } {
	let quote = '';
	let start = 0;
	for (let i = 0; i < cursor; i++) {
		const ch = source[i];
		if (quote) {
			if (ch === '\\' && quote !== '`') i++;
			else if (ch === quote) quote = '';
		} else if (ch === '"' || ch === "'" || ch === '`') {
			quote = ch;
			start = i;
		}
	}
	if (quote === '`') return { kind: 'name', start };
	return { kind: quote ? 'string' : 'code', start };
}

export function columnLabel(name: string): string {
	return PLAIN_NAME.test(name) && !RESERVED.has(name.toLowerCase()) ? name : '`' + name + '`';
}

/** Options for the word around `cursor`, best first: prefix matches, then other matches. */
export function completions(
	source: string,
	cursor: number,
	fields: ExprField[]
): { from: number; to: number; options: Completion[] } {
	const at = Math.max(0, Math.min(cursor, source.length));
	const context = contextAt(source, at);
	if (context.kind === 'string') return { from: at, to: at, options: [] };
	let from = at;
	let to = at;
	let candidates: Completion[];
	if (context.kind === 'name') {
		from = context.start;
		while (to < source.length && source[to] !== '`') to++;
		if (to < source.length) to++;
		candidates = fields.map((f) => ({ label: '`' + f.name + '`', detail: `${f.type} column` }));
	} else {
		while (from > 0 && WORD_CHAR.test(source[from - 1])) from--;
		while (to < source.length && WORD_CHAR.test(source[to])) to++;
		if (/^\d/.test(source.slice(from, at))) return { from: at, to: at, options: [] };
		candidates = [
			...fields.map((f) => ({ label: columnLabel(f.name), detail: `${f.type} column` })),
			...FUNCTIONS.map((f) => ({ label: f.name, detail: f.detail })),
			...KEYWORDS.map((k) => ({ label: k, detail: 'keyword' }))
		];
	}
	const typed = source.slice(from, at).replace(/^`/, '').toLowerCase();
	const bare = (c: Completion) => c.label.replace(/^`|`$/g, '').toLowerCase();
	const prefix = candidates.filter((c) => bare(c).startsWith(typed));
	const inner = typed
		? candidates.filter((c) => !bare(c).startsWith(typed) && bare(c).includes(typed))
		: [];
	return { from, to, options: [...prefix, ...inner] };
}
