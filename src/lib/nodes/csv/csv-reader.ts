// The CSV reader behind CsvParser: takes records from the scanner, reads the header, keeps the
// first sampleRows rows to infer column types, then writes every row straight into column
// builders and cuts a batch each batchRows rows. Bad rows follow the badRows policy, and every
// row skipped, nulled or truncated is counted per reason in a SourceReport (rows in = rows out
// + rows skipped; under 'null' no row is lost). An empty input (no header, no rows: a 0-byte or
// BOM-only file) is a warning in the report.
// Allocation per batch: the fresh output arrays only; per row: nothing unless it is a problem.

import type { BatchView, ColumnType } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import { ColumnBuilder } from './csv-columns';
import { NullMatcher } from './csv-infer';
import { csvMessage } from './csv-messages';
import {
	BAD_ROWS_FAIL,
	BAD_ROWS_SKIP,
	CsvError,
	type CsvProblem,
	type ResolvedCsvOptions
} from './csv-options';
import { SampleRows } from './csv-sample';
import {
	BROKEN_UNCLOSED_QUOTE,
	CsvScanner,
	FIELD_ESCAPED,
	FIELD_MALFORMED,
	type CsvRecordSink
} from './csv-scanner';
import {
	SourceReportBuilder,
	type SourceAction,
	type SourceReason,
	type SourceReport
} from '../../runtime/source-report';

const PHASE_HEADER = 0;
const PHASE_SAMPLE = 1;
const PHASE_ROWS = 2;

/** Problems kept in full; later ones are only counted. */
export const MAX_PROBLEMS = 100;

const decoder = new TextDecoder();

/** Field text for names and messages (doubled quotes collapsed). */
function fieldText(buf: Uint8Array, start: number, end: number, flags: number, quote: number) {
	const text = decoder.decode(buf.subarray(start, end));
	if ((flags & FIELD_ESCAPED) === 0) return text;
	const q = String.fromCharCode(quote);
	return text.split(q + q).join(q);
}

/** Header names made usable: empty ones become column_i, repeats get _2, _3, ... */
export function uniqueNames(raw: string[]): string[] {
	const seen = new Set<string>();
	return raw.map((name, i) => {
		const base = name === '' ? `column_${i + 1}` : name;
		let unique = base;
		for (let k = 2; seen.has(unique); k++) unique = `${base}_${k}`;
		seen.add(unique);
		return unique;
	});
}

export class CsvReader implements CsvRecordSink {
	private readonly scanner: CsvScanner;
	private readonly nulls: NullMatcher;
	private phase: number;
	private names: string[] | null = null;
	private types: ColumnType[] | null = null;
	/** Per column: the date pattern it is read with (given or inferred), null for ISO. */
	private formats: (string | null)[] = [];
	private columns: ColumnBuilder[] = [];
	private sample: SampleRows | null = new SampleRows();
	private rows = 0;
	private readonly batchRows: number;
	private records = 0;
	private bytes = 0;
	private out: BatchView[] = [];
	private readonly kept: CsvProblem[] = [];
	private problemTotal = 0;
	private failure: CsvError | null = null;
	private readonly issues = new SourceReportBuilder();

	/** `inferOnly`: stop once the schema is known; never convert rows or fail on them. */
	constructor(
		private readonly options: ResolvedCsvOptions,
		private readonly inferOnly: boolean
	) {
		const midFile = options.columns !== null;
		this.scanner = new CsvScanner(
			options.delimiter,
			options.quote,
			this,
			!midFile,
			options.maxRecordBytes,
			options.startOffset
		);
		this.nulls = new NullMatcher(options.nullValues);
		this.phase = options.header && !midFile ? PHASE_HEADER : PHASE_SAMPLE;
		if (midFile) this.names = uniqueNames(options.columns!);
		this.batchRows = options.batchRows;
	}

	push(chunk: Uint8Array): BatchView[] {
		if (this.failure) throw this.failure;
		this.bytes += chunk.length;
		this.scanner.push(chunk);
		return this.take();
	}

	finish(): BatchView[] {
		if (this.failure) throw this.failure;
		this.scanner.finish();
		if (this.names === null && this.options.columns === null) {
			this.issues.add('empty-input', 'warning', { message: csvMessage.empty() });
		}
		if (this.phase !== PHASE_ROWS) this.startRows();
		if (this.rows > 0) this.emit();
		return this.take();
	}

	/** What was skipped, nulled or truncated, per reason (null: nothing). */
	report(): SourceReport | null {
		return this.issues.report();
	}

	/** The schema from the rows seen so far, even before the sample is full (inferCsvSchema). */
	sniffSchema(): FrameSchema {
		if (this.phase !== PHASE_ROWS) {
			// Use a trailing record without a newline only when nothing complete was read.
			if ((this.sample?.rows ?? 0) === 0) this.scanner.finish();
			this.startRows();
		}
		return this.schema() ?? { names: [], types: [] };
	}

	schema(): FrameSchema | null {
		if (this.names === null || this.types === null) return null;
		const schema: FrameSchema = { names: [...this.names], types: [...this.types] };
		if (this.formats.some((f) => f !== null)) schema.formats = [...this.formats];
		return schema;
	}

	problems(): CsvProblem[] {
		return this.kept.map((p) => ({ ...p }));
	}

	problemCount(): number {
		return this.problemTotal;
	}

	rowsRead(): number {
		return this.records;
	}

	bytesRead(): number {
		return this.bytes;
	}

	quotedLineBreaks(): number {
		return this.scanner.quotedLineBreaks;
	}

	/** Scanner callback: one complete record. */
	record(buf: Uint8Array, count: number, line: number): boolean {
		const { starts, ends, flags } = this.scanner;
		if (this.phase === PHASE_ROWS) {
			this.records++;
			this.writeRow(buf, starts, ends, flags, 0, count, line);
			return true;
		}
		if (this.phase === PHASE_HEADER) {
			const raw: string[] = [];
			for (let i = 0; i < count; i++) {
				raw.push(fieldText(buf, starts[i], ends[i], flags[i], this.options.quote));
			}
			this.names = uniqueNames(raw);
			this.phase = PHASE_SAMPLE;
			return true;
		}
		this.records++;
		this.names ??= Array.from({ length: count }, (_, i) => `column_${i + 1}`);
		const sample = this.sample!;
		sample.add(buf, starts, ends, flags, count, line);
		if (sample.rows < this.options.sampleRows) return true;
		this.startRows();
		return !this.inferOnly;
	}

	/** Scanner callback: a record that cannot be read whole (fields < count are complete). */
	broken(buf: Uint8Array, count: number, line: number, reason: number, at: number): boolean {
		if (this.phase === PHASE_HEADER) {
			const problem = this.brokenMessage(line, count, reason, at);
			this.failure = new CsvError({ line, message: csvMessage.badHeader(problem) });
			throw this.failure;
		}
		if (this.inferOnly) return true; // a cut-off or broken record does not vote
		if (this.phase === PHASE_ROWS || this.options.badRows === BAD_ROWS_FAIL) {
			// (Under 'fail' at once, even in the sample: an endless line must not wait for more.)
			this.records++;
			this.writeBroken(
				buf,
				this.scanner.starts,
				this.scanner.ends,
				this.scanner.flags,
				0,
				count,
				line,
				reason,
				at
			);
			return true;
		}
		this.records++;
		this.names ??= Array.from({ length: count }, (_, i) => `column_${i + 1}`);
		const sample = this.sample!;
		const { starts, ends, flags } = this.scanner;
		sample.add(buf, starts, ends, flags, count, line, reason, at);
		if (sample.rows < this.options.sampleRows) return true;
		this.startRows();
		return true;
	}

	private brokenMessage(line: number, count: number, reason: number, at: number): string {
		if (reason !== BROKEN_UNCLOSED_QUOTE)
			return csvMessage.tooLong(line, this.options.maxRecordBytes, at);
		const column = this.phase === PHASE_HEADER ? undefined : this.names?.[count];
		return csvMessage.unterminated(line, column, at);
	}

	/** A broken record: skipped, or kept with its complete fields and nulls for the rest. */
	private writeBroken(
		buf: Uint8Array,
		starts: Int32Array,
		ends: Int32Array,
		flags: Uint8Array,
		base: number,
		count: number,
		line: number,
		reason: number,
		at: number
	): void {
		const message = this.brokenMessage(line, count, reason, at);
		const why: SourceReason = reason === BROKEN_UNCLOSED_QUOTE ? 'unclosed-quote' : 'too-long';
		const column = this.names?.[count];
		if (!this.problem({ line, column, message }, why)) return;
		const width = this.columns.length;
		this.writeRow(buf, starts, ends, flags, base, Math.min(count, width), line, width);
	}

	/** Sample complete (or input ended): fix the schema, make builders, replay the sample. */
	private startRows(): void {
		const names = (this.names ??= []);
		const sample = this.sample!;
		const inferred = sample.inferTypes(names.length, this.nulls);
		const given = this.options.types;
		const types = names.map((name, i) => given.get(name) ?? inferred.types[i]);
		// A given pattern wins; an inferred one holds only while the type is the inferred one.
		const formats = names.map((name, i) =>
			types[i] !== 'date32' && types[i] !== 'timestamp'
				? null
				: (this.options.formats.get(name)?.pattern ??
					(given.has(name) ? null : inferred.formats[i]))
		);
		this.types = types;
		this.formats = formats;
		this.phase = PHASE_ROWS;
		this.sample = null;
		if (this.inferOnly) return;
		const { batchRows, quote } = this.options;
		this.columns = names.map(
			(name, i) => new ColumnBuilder(name, types[i], batchRows, this.nulls, quote, formats[i])
		);
		for (let row = 0; row < sample.rows; row++) {
			const { bytes, starts, ends, flags } = sample;
			const base = sample.rowBase[row];
			const [n, line, broken] = [sample.rowCount[row], sample.rowLine[row], sample.rowBroken[row]];
			if (broken === 0) this.writeRow(bytes, starts, ends, flags, base, n, line);
			else this.writeBroken(bytes, starts, ends, flags, base, n, line, broken, sample.rowAt[row]);
		}
	}

	/**
	 * Hot path: parse fields base..base+n into the batch's next row. `expected`: the field count
	 * that is not ragged (a broken record's complete fields are not ragged: pass the width).
	 */
	private writeRow(
		buf: Uint8Array,
		starts: Int32Array,
		ends: Int32Array,
		flags: Uint8Array,
		base: number,
		n: number,
		line: number,
		expected = n
	): void {
		const columns = this.columns;
		const width = columns.length;
		const row = this.rows;
		if (n !== width && expected !== width && !this.ragged(line, width, n)) return;
		for (let c = 0; c < width; c++) {
			const column = columns[c];
			if (c >= n) {
				column.appendNull(row);
				continue;
			}
			const i = base + c;
			const f = flags[i];
			if ((f & FIELD_MALFORMED) === 0 && column.append(buf, starts[i], ends[i], f, row)) continue;
			if (!this.badValue(column, buf, starts[i], ends[i], f, line)) {
				for (let k = 0; k < c; k++) columns[k].rollback(row);
				return;
			}
			column.appendNull(row);
		}
		if (++this.rows === this.batchRows) this.emit();
	}

	/** A row with the wrong field count; true = keep it (missing fields null, extras dropped). */
	private ragged(line: number, width: number, found: number): boolean {
		const message = csvMessage.ragged(line, width, found);
		return this.problem({ line, message }, 'ragged', found > width ? 'truncated' : 'nulled');
	}

	/** A value that is not of its column's type; true = store null and keep the row. */
	private badValue(
		column: ColumnBuilder,
		buf: Uint8Array,
		start: number,
		end: number,
		flags: number,
		line: number
	): boolean {
		const message =
			flags & FIELD_MALFORMED
				? csvMessage.textAfterQuote(line, column.name)
				: csvMessage.badValue(
						line,
						column.name,
						fieldText(buf, start, end, flags, this.options.quote),
						column.type
					);
		const why = flags & FIELD_MALFORMED ? 'text-after-quote' : 'bad-value';
		return this.problem({ line, column: column.name, message }, why);
	}

	/**
	 * Records a problem and counts its row in the report; under 'fail' it ends the parse with a
	 * CsvError. True = keep the row ('null'), false = skip it. `kept`: what keeping does to it.
	 */
	private problem(
		problem: CsvProblem,
		reason: SourceReason,
		kept: SourceAction = 'nulled'
	): boolean {
		if (problem.column === undefined) delete problem.column;
		if (this.options.badRows === BAD_ROWS_FAIL) {
			this.failure = new CsvError(problem);
			throw this.failure;
		}
		this.problemTotal++;
		if (this.kept.length < MAX_PROBLEMS) this.kept.push(problem);
		const skip = this.options.badRows === BAD_ROWS_SKIP;
		this.issues.add(reason, skip ? 'skipped' : kept, problem, problem.line);
		return !skip;
	}

	private emit(): void {
		const n = this.rows;
		this.out.push({ length: n, columns: this.columns.map((column) => column.takeBatch(n)) });
		this.rows = 0;
	}

	private take(): BatchView[] {
		const out = this.out;
		this.out = [];
		return out;
	}
}
