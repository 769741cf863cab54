// Plain-text tables for a terminal: a header, a rule, aligned cells (numbers to the right).
// Wide cells are cut with an ellipsis so one long string does not push every row off screen.

/** Widest cell printed, in characters. */
export const MAX_CELL_CHARS = 40;

export interface TextColumn {
	header: string;
	/** Right-align the column (numbers). */
	right: boolean;
}

function cut(text: string): string {
	const oneLine = text.replace(/[\r\n\t]+/g, ' ');
	return oneLine.length > MAX_CELL_CHARS ? `${oneLine.slice(0, MAX_CELL_CHARS - 1)}…` : oneLine;
}

/** Lines of the table; every line has the same width (trailing spaces trimmed). */
export function textTable(columns: readonly TextColumn[], rows: readonly string[][]): string[] {
	const headers = columns.map((c) => cut(c.header));
	const cells = rows.map((row) => columns.map((_, i) => cut(row[i] ?? '')));
	const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
	const line = (values: string[]) =>
		values
			.map((v, i) => (columns[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
}

/** A cell's number: integers as they are (ids read badly with separators), other numbers with
 * at most 7 significant digits and 6 decimals. */
export function formatNumber(n: number): string {
	if (!Number.isFinite(n) || Number.isInteger(n)) return String(n);
	const abs = Math.abs(n);
	if (abs >= 1e15 || abs < 1e-4) return n.toExponential(4);
	return n.toLocaleString('en-US', {
		maximumSignificantDigits: 7,
		maximumFractionDigits: 6,
		useGrouping: false
	});
}

/** A count with separators: 1,234,567. */
export function formatCount(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}

/** Seconds with two decimals below a minute, else m:ss. */
export function formatElapsed(ms: number): string {
	if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
	const s = Math.floor(ms / 1000);
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} min`;
}
