// Which bytes of a CSV source each instance of a partitioned CSV source reads.
//
// The compiler runs a CSV source as n instances when its consumer is a partitioned chain.
// A local file (Node) whose size is known is split by bytes: instance k owns the records that
// START in [B(k), B(k+1)), B(k) = floor(k * size / n) (at least 1 for k > 0, so the header
// line always stays with instance 0). It reads [S(k), S(k+1)) where S(b) is the first record
// start at or after B (just after a line break, see csv/csv-split.ts): instances other than 0
// skip the tail of the record straddling their start, and every instance reads past its end
// to finish the record straddling that. Both sides compute S(k+1) from the same bytes, so each
// record is read exactly once, whatever the boundary falls on (a CR, the LF of a CRLF, the
// middle of a UTF-8 character: line-break bytes never occur inside one).
//
// That holds only while no quoted field contains a line break. So a file is not split when its
// first SPLIT_SAMPLE_BYTES hold one (instance 0 reads it all, the others nothing), and the
// kernel fails the run if a split instance meets one later (source-csv.ts).
//
// Anything else (a URL, a browser, `parallel: false`) is read whole by instance 0; the other
// instances produce nothing. Every instance reaches the same decision from the same bytes.
import type * as Fs from 'node:fs';
import { LineCounter, recordStartAfter } from '../csv';
import { FILE_CHUNK_BYTES, type ChunkSource } from './source-bytes';
import { nodeFs, type ByteLocation } from './source-locate';

/** Bytes at the start of a file checked for quoted line breaks before splitting it. */
export const SPLIT_SAMPLE_BYTES = 64 * 1024;

/** The CSV syntax the split must agree with (the source's parser options). */
export interface SplitSyntax {
	delimiter?: string;
	quote?: string;
}

/** What one instance reads. */
export type CsvShare =
	| { kind: 'all' }
	| { kind: 'nothing' }
	| { kind: 'range'; path: string; start: number; end: number; size: number; chunks: ChunkSource };

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Reads [position, position + into.length) of `fd` (fewer bytes at the end of the file). */
function reader(fs: typeof Fs, fd: number) {
	return (position: number, into: Uint8Array): number =>
		fs.readSync(fd, into, 0, into.length, position);
}

/**
 * The share of instance `instance` of `instances` for a source at `location`. Opens the file
 * (the range's chunks own it); throws an Error naming the path when it cannot be read.
 */
export function planShare(
	location: ByteLocation,
	instance: number,
	instances: number,
	parallel: boolean,
	syntax: SplitSyntax
): CsvShare {
	const whole: CsvShare = instance === 0 ? { kind: 'all' } : { kind: 'nothing' };
	if (instances <= 1 || !parallel || location.kind !== 'file') return whole;
	const fs = nodeFs();
	if (!fs) return whole;
	const path = location.path;
	let fd = -1;
	try {
		fd = fs.openSync(path, 'r');
		const size = fs.fstatSync(fd).size;
		const read = reader(fs, fd);
		const sample = new Uint8Array(Math.min(size, SPLIT_SAMPLE_BYTES));
		const counter = new LineCounter(syntax);
		counter.push(sample.subarray(0, read(0, sample)));
		if (counter.quotedLineBreaks() > 0) {
			fs.closeSync(fd);
			return whole;
		}
		const scratch = new Uint8Array(FILE_CHUNK_BYTES);
		const boundary = (k: number) =>
			k === 0 ? 0 : k >= instances ? size : Math.max(1, Math.floor((k * size) / instances));
		const start = recordStartAfter(boundary(instance), size, read, scratch);
		const end = recordStartAfter(boundary(instance + 1), size, read, scratch);
		return {
			kind: 'range',
			path,
			start,
			end,
			size,
			chunks: new FileRange(fs, fd, path, start, end)
		};
	} catch (error) {
		if (fd >= 0) fs.closeSync(fd);
		throw new Error(`cannot read '${path}': ${describe(error)}`, { cause: error });
	}
}

/** Bytes [start, end) of an open file, chunk by chunk; closes the file at the end. */
class FileRange implements ChunkSource {
	ended = false;
	/** This instance's share: the bytes of its range (the ranges add up to the file). */
	readonly totalBytes: number;
	private position: number;
	private readonly buffer = new Uint8Array(FILE_CHUNK_BYTES);

	constructor(
		private readonly fs: typeof Fs,
		private fd: number,
		private readonly path: string,
		start: number,
		private readonly end: number
	) {
		this.position = start;
		this.totalBytes = end - start;
	}

	poll(): Uint8Array | null {
		if (this.ended) return null;
		const want = Math.min(this.buffer.length, this.end - this.position);
		let n = 0;
		try {
			if (want > 0) n = this.fs.readSync(this.fd, this.buffer, 0, want, this.position);
		} catch (error) {
			this.close();
			throw new Error(`cannot read '${this.path}': ${describe(error)}`, { cause: error });
		}
		if (n > 0) {
			this.position += n;
			return this.buffer.subarray(0, n);
		}
		this.close();
		this.ended = true;
		return null;
	}

	close(): void {
		if (this.fd >= 0) this.fs.closeSync(this.fd);
		this.fd = -1;
	}
}

/**
 * Line breaks in the first `end` bytes of the file, and whether `end` is a true record start
 * (no quoted field holds a line break before it). Reads the prefix again: error paths only.
 */
export function linesBefore(
	path: string,
	end: number,
	syntax: SplitSyntax
): { lines: number; aligned: boolean } {
	const fs = nodeFs()!;
	const fd = fs.openSync(path, 'r');
	try {
		const read = reader(fs, fd);
		const buffer = new Uint8Array(FILE_CHUNK_BYTES);
		const counter = new LineCounter(syntax);
		for (let position = 0; position < end;) {
			const n = read(position, buffer.subarray(0, Math.min(buffer.length, end - position)));
			if (n <= 0) break;
			counter.push(buffer.subarray(0, n));
			position += n;
		}
		counter.finish();
		return { lines: counter.lineBreaks, aligned: counter.quotedLineBreaks() === 0 };
	} finally {
		fs.closeSync(fd);
	}
}
