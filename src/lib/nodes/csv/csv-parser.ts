// Public face of the streaming CSV parser: bytes in (any chunking), Arrow-layout column
// batches out. See csv-scanner.ts for the grammar, csv-infer.ts for type inference and
// csv-columns.ts for the output layout.

import type { BatchView } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import { resolveCsvOptions, type CsvOptions, type CsvProblem } from './csv-options';
import { CsvReader } from './csv-reader';
import type { SourceReport } from '../../runtime/source-report';

export class CsvParser {
	private readonly reader: CsvReader;

	/** Throws TypeError/RangeError naming a bad option. */
	constructor(options?: CsvOptions) {
		this.reader = new CsvReader(resolveCsvOptions(options), false);
	}

	/**
	 * Feeds the next chunk (split anywhere: mid-field, mid-quote, mid-CRLF, mid-character) and
	 * returns the batches it completed. Under badRows 'fail' a bad row throws CsvError, and so
	 * does every later call.
	 */
	push(chunk: Uint8Array): BatchView[] {
		return this.reader.push(chunk);
	}

	/** End of input: returns the last batches. Throws CsvError under 'fail'. */
	finish(): BatchView[] {
		return this.reader.finish();
	}

	/** Column names and types once the sample is read (or at finish for short inputs). */
	schema(): FrameSchema | null {
		return this.reader.schema();
	}

	/** Rows skipped or nulled under 'skip'/'null': the first 100 (see problemCount). */
	problems(): CsvProblem[] {
		return this.reader.problems();
	}

	/**
	 * Rows skipped, nulled or truncated per reason, with the first lines of each, and an empty
	 * input's warning; null when there was nothing to say. Rows read = rows out + rows skipped.
	 */
	report(): SourceReport | null {
		return this.reader.report();
	}

	/** All problems met, including those beyond the first 100 kept by problems(). */
	problemCount(): number {
		return this.reader.problemCount();
	}

	/** Data records read so far: header and blank lines excluded, skipped rows included. */
	rowsRead(): number {
		return this.reader.rowsRead();
	}

	/** Bytes pushed so far. */
	bytesRead(): number {
		return this.reader.bytesRead();
	}

	/**
	 * Line breaks met inside quoted fields so far. Zero means every line break ended a record
	 * (or a blank line): what a reader splitting the file by bytes relies on.
	 */
	quotedLineBreaks(): number {
		return this.reader.quotedLineBreaks();
	}
}

/**
 * Schema from the first bytes of a file (for the compiler): reads up to sampleRows complete
 * records; a cut-off last record is ignored unless it is the only one. Never throws for bad rows.
 */
export function inferCsvSchema(sample: Uint8Array, options?: CsvOptions): FrameSchema {
	const reader = new CsvReader(resolveCsvOptions(options), true);
	reader.push(sample);
	return reader.sniffSchema();
}
