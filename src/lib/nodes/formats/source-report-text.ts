// Words for a source report (runtime/source-report.ts), shared by the node card, the preview
// header, run history and `sluice run`, so every place says the same thing the same way.
import type { SourceIssue, SourceReport } from '../../runtime/source-report';
import { quoteUntrusted } from './untrusted-text';

const REASONS: Record<SourceIssue['reason'], string> = {
	ragged: 'wrong number of fields',
	'bad-value': 'value not of the column type',
	'text-after-quote': 'text after a closing quote',
	'unclosed-quote': 'quote never closed',
	'too-long': 'record over the size limit',
	'bad-line': 'line is not a JSON record',
	'unsupported-column': 'type Sluice cannot read',
	'empty-input': 'empty file',
	statistics: 'their min/max statistics rule out the filter'
};

function plural(n: number, word: string): string {
	return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 rows skipped", "1 row kept with nulls", "3 columns dropped", or the warning itself. */
export function issueCount(issue: SourceIssue): string {
	switch (issue.action) {
		case 'skipped':
			return `${plural(issue.count, 'row')} skipped`;
		case 'nulled':
			return `${plural(issue.count, 'row')} kept with nulls`;
		case 'truncated':
			return `${plural(issue.count, 'row')} cut to the header's width`;
		case 'dropped':
			return `${plural(issue.count, 'column')} dropped`;
		case 'warning':
			return issue.samples[0]?.message ?? REASONS[issue.reason];
		case 'not-read':
			return `${plural(issue.count, 'row group')} not read`;
	}
}

/** Whether a report says only what the source saved work on (row groups not read), no problem. */
export function onlyNotes(report: SourceReport): boolean {
	return report.issues.every((issue) => issue.action === 'not-read');
}

/** Where: "line 7, line 12 …" (… when there are more than the samples). */
function where(issue: SourceIssue): string {
	const at = issue.samples.map((s) =>
		s.line !== undefined ? `line ${s.line}` : s.column !== undefined ? quoteUntrusted(s.column) : ''
	);
	const shown = at.filter((a) => a !== '').join(', ');
	return issue.count > issue.samples.length && shown !== '' ? `${shown} …` : shown;
}

/** One issue in a line: "2 rows skipped (wrong number of fields): line 5, line 12". */
export function issueLine(issue: SourceIssue): string {
	if (issue.action === 'warning') return issueCount(issue);
	const at = where(issue);
	return `${issueCount(issue)} (${REASONS[issue.reason]})${at ? `: ${at}` : ''}`;
}

/** The whole report in one short line for a card: "2 rows skipped · 1 row kept with nulls". */
export function reportBadge(report: SourceReport): string {
	return report.issues.map(issueCount).join(' · ');
}

/** Every issue's line, then its sample messages indented (for "show" and the CLI). */
export function reportDetail(report: SourceReport): string[] {
	return report.issues.flatMap((issue) => [
		issueLine(issue),
		...(issue.action === 'warning' ? [] : issue.samples.map((s) => `  ${s.message}`))
	]);
}
