// What a reader that splits one CSV file between workers by byte ranges needs to know about
// the bytes, kept here with the rest of the CSV grammar:
// - where the first record at or after a byte offset starts (`recordStartAfter`): just after
//   the first line break that ends at or after the offset (LF, CRLF or a lone CR, as the
//   scanner counts them). That is only a record start when no quoted field holds a line break,
//   so the reader checks `CsvParser.quotedLineBreaks()` as it goes;
// - how many physical lines precede a byte offset, and whether a quoted field spans that
//   offset's line break (`LineCounter`): used only when a later range fails, to turn the line
//   number inside the range into the file's line number.
import { resolveCsvOptions, type CsvOptions } from './csv-options';
import { CsvScanner, type CsvRecordSink } from './csv-scanner';

const LF = 10;
const CR = 13;

const IGNORE_RECORDS: CsvRecordSink = { record: () => true, broken: () => true };

/**
 * Where the first record starting at or after `offset` begins, reading bytes through
 * `read(position, into)` (answers how many bytes it put in `into`; 0 at the end). A record
 * starts at 0 or right after a line break; a CRLF is one break, so a position between its CR
 * and LF is not a record start. Returns `size` when no line break follows.
 */
export function recordStartAfter(
	offset: number,
	size: number,
	read: (position: number, into: Uint8Array) => number,
	scratch: Uint8Array
): number {
	if (offset <= 0) return 0;
	if (offset >= size) return size;
	// A record starts at `offset` exactly when byte offset-1 ends a line break: scan from there.
	let position = offset - 1;
	let afterCr = false;
	while (position < size) {
		const n = read(position, scratch);
		if (n <= 0) break;
		for (let i = 0; i < n; i++) {
			const c = scratch[i];
			if (afterCr) return c === LF ? position + i + 1 : position + i;
			if (c === LF) return position + i + 1;
			if (c === CR) afterCr = true;
		}
		position += n;
	}
	return size;
}

/**
 * Counts the physical lines of a file's first bytes (fed in any chunking) the way the CSV
 * scanner numbers them, and the line breaks inside quoted fields among them.
 */
export class LineCounter {
	/** Line breaks seen (LF, CRLF, lone CR each count one). */
	lineBreaks = 0;
	private pendingCr = false;
	private readonly scanner: CsvScanner;

	constructor(options: CsvOptions = {}) {
		const resolved = resolveCsvOptions(options);
		this.scanner = new CsvScanner(resolved.delimiter, resolved.quote, IGNORE_RECORDS);
	}

	push(chunk: Uint8Array): void {
		let breaks = 0;
		let pendingCr = this.pendingCr;
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk[i];
			if (c === LF) {
				if (!pendingCr) breaks++;
				pendingCr = false;
			} else if (c === CR) {
				breaks++;
				pendingCr = true;
			} else pendingCr = false;
		}
		this.pendingCr = pendingCr;
		this.lineBreaks += breaks;
		this.scanner.push(chunk);
	}

	/**
	 * Line breaks inside quoted fields among the bytes pushed so far; call `finish` first when
	 * the bytes pushed end with a CR (the scanner waits for the byte after it).
	 */
	quotedLineBreaks(): number {
		return this.quotedAtFinish ?? this.scanner.quotedLineBreaks;
	}

	/** Set by `finish`: what `quotedLineBreaks` answers from then on. */
	private quotedAtFinish: number | null = null;

	/**
	 * No more bytes: settles a trailing CR. The bytes pushed are a prefix of the file, not all
	 * of it: a quoted field still open at its end goes on past it, so it counts as (at least)
	 * one quoted line break, and the breaks counted inside it stay counted — the scanner's own
	 * finish would take that field for an unclosed quote and give them back.
	 */
	finish(): void {
		const open = this.scanner.inQuotedField;
		const counted = this.scanner.quotedLineBreaks;
		this.scanner.finish();
		this.quotedAtFinish = Math.max(counted, this.scanner.quotedLineBreaks, open ? 1 : 0);
	}
}

/**
 * A problem message with its leading "line N" (and an "opened on line N") moved down by
 * `lines`: a range that starts after `lines` line breaks numbers its first line 1.
 */
export function shiftLines(message: string, lines: number): string {
	const shift = (_: string, prefix: string, n: string) => `${prefix}${Number(n) + lines}`;
	return message
		.replace(/^(line )(\d+)/, shift)
		.replace(/(quoted field opened on line )(\d+)/, shift);
}
