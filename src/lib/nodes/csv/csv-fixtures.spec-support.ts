// Test helpers for the CSV parser: feed text in chosen chunks, read batches back as plain values.

import type { BatchView, ColumnView } from '../../runtime/contracts';
import type { CsvOptions } from './csv-options';
import { CsvParser } from './csv-parser';

export type Cell = string | number | bigint | boolean | null;

const decoder = new TextDecoder();

function bit(bits: Uint8Array, i: number): boolean {
	return (bits[i >> 3] & (1 << (i & 7))) !== 0;
}

/** A column as JS values: numbers, bigints (int64/uint64/timestamp), booleans, strings, null. */
export function cells(column: ColumnView): Cell[] {
	const out: Cell[] = [];
	for (let i = 0; i < column.length; i++) {
		if (column.validity && !bit(column.validity, i)) out.push(null);
		else if (column.type === 'bool') out.push(bit(column.values as Uint8Array, i));
		else if (column.type === 'utf8') {
			const offsets = column.offsets!;
			out.push(decoder.decode(column.values.subarray(offsets[i], offsets[i + 1]) as Uint8Array));
		} else out.push(column.values[i] as number | bigint);
	}
	return out;
}

/** All batches as rows of cells. */
export function rowsOf(batches: BatchView[]): Cell[][] {
	const rows: Cell[][] = [];
	for (const batch of batches) {
		const columns = batch.columns.map(cells);
		for (let r = 0; r < batch.length; r++) rows.push(columns.map((c) => c[r]));
	}
	return rows;
}

/** Splits bytes at the given sorted cut points. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
	const chunks: Uint8Array[] = [];
	let from = 0;
	for (const cut of [...cuts, bytes.length]) {
		chunks.push(bytes.subarray(from, cut));
		from = cut;
	}
	return chunks;
}

export interface ParseResult {
	parser: CsvParser;
	batches: BatchView[];
	rows: Cell[][];
}

/** Parses text (or bytes) fed as the given chunks (whole input by default). */
export function parse(
	input: string | Uint8Array,
	options?: CsvOptions,
	cuts: number[] = []
): ParseResult {
	const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
	const parser = new CsvParser(options);
	const batches: BatchView[] = [];
	for (const chunk of splitAt(bytes, cuts)) batches.push(...parser.push(chunk));
	batches.push(...parser.finish());
	return { parser, batches, rows: rowsOf(batches) };
}

/** Every single cut point of a byte string (feeds it as two chunks each way). */
export function everySplit(bytes: Uint8Array): number[][] {
	return Array.from({ length: bytes.length + 1 }, (_, i) => [i]);
}
