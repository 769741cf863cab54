// Quoting text that came from an input file (values, column names, headers) into a message.
// Such text may be megabytes long or hold terminal control sequences (ESC ] 0;… BEL retitles a
// terminal; a bidi override reorders what is shown), so every message builder that quotes file
// content goes through these: control and bidi characters become visible escapes (\x1b,
// \u202e), and the text is cut to a length, ending in '…'. Only problem paths call them.

/** Longest text quoted by default, in characters (code points). */
export const MAX_QUOTED_CHARS = 40;

// C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(ch: string): string {
	const named = NAMED[ch];
	if (named) return named;
	const code = ch.charCodeAt(0);
	return code < 0x100
		? `\\x${code.toString(16).padStart(2, '0')}`
		: `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` safe to print on one line: escaped, and cut to `max` characters with '…'. */
export function untrusted(text: string, max = MAX_QUOTED_CHARS): string {
	// Cut before escaping (a cut escape would read wrong), on code points (no lone surrogate).
	let cut = text;
	if (text.length > max) {
		const points = Array.from(text.slice(0, max * 2));
		cut = points.length > max ? points.slice(0, max).join('') + '…' : text;
	}
	return cut.replace(UNSAFE, escape);
}

/** `'text'`, made safe by `untrusted`. */
export function quoteUntrusted(text: string, max = MAX_QUOTED_CHARS): string {
	return `'${untrusted(text, max)}'`;
}

/** Names for a message: 'a', 'b', … at most `maxNames` of them, then "and N more". */
export function untrustedList(names: readonly string[], maxNames = 8): string {
	const shown = names.slice(0, maxNames).map((n) => quoteUntrusted(n));
	const more = names.length - shown.length;
	return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
