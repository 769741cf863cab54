// What a source did not pass on as it was: rows it skipped, rows it kept with nulls for bad
// fields, fields it cut off, columns it could not read, and warnings (an empty file). Every
// source kernel (CSV, JSON, Arrow, Parquet) fills one SourceReportBuilder and hands the report
// back with the run's results (Kernel.report); the instances of a split source are merged by
// `mergeReports`. The editor (node card, preview header, run history), the CLI and the metrics
// report all show this one structure, so their figures cannot disagree.
//
// Counts are of rows (a row with two bad values under 'null' counts once per reason), except
// for 'dropped' (columns), 'not-read' (Parquet row groups) and 'warning' (occurrences). Samples are the first few in input
// order, so "line 7, line 12" is what the user sees first (every dropped column, up to 32, is
// named). Plain data: structured-cloneable.

/** What happened to the affected rows, columns or input. */
export type SourceAction = 'skipped' | 'nulled' | 'truncated' | 'dropped' | 'warning' | 'not-read';

/** Why: a stable key per problem kind (shown through the message catalogue). */
export type SourceReason =
	| 'ragged'
	| 'bad-value'
	| 'text-after-quote'
	| 'unclosed-quote'
	| 'too-long'
	| 'bad-line'
	| 'unsupported-column'
	| 'empty-input'
	/** Row groups whose statistics rule out a filter downstream ('not-read': counts groups). */
	| 'statistics';

export interface SourceSample {
	/** 1-based line where the record starts (CSV, NDJSON). */
	line?: number;
	/** Byte offset into the file, where no line applies. */
	offset?: number;
	column?: string;
	/** One line, already safe to print (see nodes/formats/untrusted-text.ts). */
	message: string;
}

export interface SourceIssue {
	reason: SourceReason;
	action: SourceAction;
	count: number;
	samples: SourceSample[];
}

export interface SourceReport {
	issues: SourceIssue[];
}

/** Samples kept per issue. */
export const MAX_SAMPLES = 5;
/** Samples kept of dropped columns: few, and each one is worth naming. */
export const MAX_DROPPED_SAMPLES = 32;

function samplesKept(action: SourceAction): number {
	return action === 'dropped' ? MAX_DROPPED_SAMPLES : MAX_SAMPLES;
}

/** Rows the report says were skipped (rows in = rows out + this). */
export function skippedRows(report: SourceReport | null | undefined): number {
	let n = 0;
	for (const issue of report?.issues ?? []) if (issue.action === 'skipped') n += issue.count;
	return n;
}

function byPosition(a: SourceSample, b: SourceSample): number {
	return (a.line ?? a.offset ?? 0) - (b.line ?? b.offset ?? 0);
}

/** One report from the reports of a source's instances (counts added, samples in order). */
export function mergeReports(reports: readonly SourceReport[]): SourceReport {
	const merged = new Map<string, SourceIssue>();
	for (const report of reports) {
		for (const issue of report.issues) {
			const key = `${issue.reason}/${issue.action}`;
			const into = merged.get(key);
			if (!into) {
				merged.set(key, { ...issue, samples: [...issue.samples] });
				continue;
			}
			into.count += issue.count;
			into.samples = [...into.samples, ...issue.samples]
				.sort(byPosition)
				.slice(0, samplesKept(issue.action));
		}
	}
	return { issues: [...merged.values()] };
}

/** Collects a source's issues; cheap enough per bad row (nothing per good row). */
export class SourceReportBuilder {
	private readonly issues = new Map<string, SourceIssue>();
	/** Last record counted per issue, so several problems in one row count it once. */
	private readonly lastRecord = new Map<string, number>();

	/**
	 * Counts one affected row (or column, or warning). `record` identifies the row (e.g. its
	 * line); a second call with the same record for the same issue adds nothing.
	 */
	add(reason: SourceReason, action: SourceAction, sample: SourceSample, record?: number): void {
		const key = `${reason}/${action}`;
		if (record !== undefined) {
			if (this.lastRecord.get(key) === record) return;
			this.lastRecord.set(key, record);
		}
		let issue = this.issues.get(key);
		if (!issue) {
			issue = { reason, action, count: 0, samples: [] };
			this.issues.set(key, issue);
		}
		issue.count++;
		if (issue.samples.length < samplesKept(action)) {
			const kept: SourceSample = { message: sample.message };
			if (sample.line !== undefined) kept.line = sample.line;
			if (sample.offset !== undefined) kept.offset = sample.offset;
			if (sample.column !== undefined) kept.column = sample.column;
			issue.samples.push(kept);
		}
	}

	get empty(): boolean {
		return this.issues.size === 0;
	}

	/** A copy of what was collected, or null when nothing was. */
	report(): SourceReport | null {
		if (this.issues.size === 0) return null;
		return {
			issues: [...this.issues.values()].map((i) => ({ ...i, samples: [...i.samples] }))
		};
	}
}
