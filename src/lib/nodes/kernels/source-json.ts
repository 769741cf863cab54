// The kernel that reads a JSON source (NDJSON or an array of objects) into frames: bytes from a
// ChunkSource, split into records by JsonSplitter, each JSON.parse'd, flattened (json-infer.ts)
// and appended to column builders; every `batchRows` records become a batch, copied into a pool
// block by PendingBatches.
//
// One worker thread, produce() never blocks: each call writes one waiting batch, or feeds up to
// CHUNKS_PER_CALL chunks until a batch is complete, answering 'blocked' while bytes are on their
// way (as the CSV kernel does). Only instance 0 reads; other instances produce nothing.
//
// Progress: the bytes taken from the ChunkSource against its total (source-progress.ts).
//
// Errors name the source, the line (NDJSON) or element and byte offset (array), the column and
// what is wrong; with badRows 'skip' a record that cannot be read is dropped instead, and
// counted with its line (or element and byte offset) in the source's report
// (runtime/source-report.ts): rows in = rows out + rows the report says were skipped.
import type { FrameSchema } from '../../runtime/batch/types';
import type { Kernel, KernelSetup } from '../../runtime/scheduler/kernel';
import { SourceReportBuilder, type SourceReason } from '../../runtime/source-report';
import { quoteUntrusted, untrusted } from '../formats/untrusted-text';
import { BatchBuilder, coerce } from '../formats/column-build';
import { compileDateFormat, parseTextWithFormat } from '../formats/date-formats';
import { flattenRecord, parseRecord } from '../json/json-infer';
import { JsonError, JsonSplitter, describeAt, type JsonText } from '../json/json-split';
import { openChunks, type ChunkSource } from './source-bytes';
import { frameLimit, PendingBatches } from './source-emit';
import { locateSource } from './source-locate';
import { ByteProgress } from './source-progress';

const CHUNKS_PER_CALL = 8;

export interface JsonReadSpec {
	source: string;
	schema: FrameSchema;
	depth: number;
	badRows: 'fail' | 'skip';
}

export function jsonReadKernel(spec: JsonReadSpec, setup: KernelSetup): Kernel {
	const { source, schema, depth } = spec;
	const pending = new PendingBatches(schema, frameLimit(setup.budgetBytes), source);
	const index = new Map(schema.names.map((n, i) => [n, i]));
	const row: unknown[] = new Array(schema.names.length);
	// Date columns in another text form than ISO (the probe's or the `types` override's).
	const formats = schema.names.map((_, i) => {
		const pattern = schema.formats?.[i];
		return pattern ? compileDateFormat(pattern) : null;
	});
	const splitter = new JsonSplitter();
	let builder: BatchBuilder | null = null;
	let chunks: ChunkSource | null = null;
	let inputDone = setup.instance > 0;
	const progress = new ByteProgress();
	const report = new SourceReportBuilder();

	/** Counts `item` as skipped under 'skip', `message` saying where and why; false under 'fail'. */
	function skipped(
		item: JsonText,
		reason: SourceReason,
		message: string,
		column?: string
	): boolean {
		if (spec.badRows !== 'skip') return false;
		const at = splitter.layout === 'ndjson' ? { line: item.at } : { offset: item.offset };
		report.add(reason, 'skipped', { ...at, column, message: untrusted(message) });
		return true;
	}

	function fail(message: string): never {
		throw new Error(`'${source}' ${message}`);
	}

	function append(item: JsonText): void {
		const b = builder!;
		let record: Record<string, unknown>;
		try {
			record = parseRecord(item, splitter.layout!);
		} catch (error) {
			// parseRecord's JsonError already says where ("line 7: bad JSON: …").
			const why = error instanceof Error ? error.message : String(error);
			if (skipped(item, 'bad-line', why)) return;
			throw error;
		}
		row.fill(undefined);
		flattenRecord(record, depth, (column, value) => {
			const i = index.get(column);
			if (i !== undefined) row[i] = value;
		});
		// Coerce every column before appending any, so a skipped record leaves no partial row.
		for (let i = 0; i < row.length; i++) {
			const format = formats[i];
			if (format && typeof row[i] === 'string') {
				const n = parseTextWithFormat(format, row[i] as string, schema.types[i] === 'timestamp');
				if (n === n) row[i] = n;
			}
			const v = coerce(schema.types[i], row[i]);
			if (v === null || typeof v !== 'object') {
				row[i] = v;
				continue;
			}
			const where = describeAt(splitter.layout!, item.at, item.offset);
			const name = quoteUntrusted(schema.names[i]);
			const why = `${where}: column ${name} is ${schema.types[i]} but ${v.refused}`;
			if (skipped(item, 'bad-value', why, schema.names[i])) return;
			fail(
				`${why}: set its type in types, e.g. { ${JSON.stringify(untrusted(schema.names[i]))}: "utf8" }`
			);
		}
		for (let i = 0; i < row.length; i++)
			b.columns[i].append(row[i] as number | bigint | boolean | string | null);
		if (b.length >= b.capacity) pending.push(b.take());
	}

	function feed(items: JsonText[]): void {
		for (const item of items) append(item);
	}

	function guarded(step: () => void): void {
		try {
			step();
		} catch (error) {
			if (error instanceof JsonError) fail(error.message);
			throw error;
		}
	}

	return {
		produce(ctx) {
			if (pending.length > 0) return pending.writeNext(ctx);
			if (inputDone) return 'done';
			if (chunks === null) {
				chunks = openChunks(locateSource(source));
				builder = new BatchBuilder(schema, ctx.batchRows);
			}
			for (let k = 0; k < CHUNKS_PER_CALL && pending.length === 0; k++) {
				const chunk = chunks.poll();
				if (chunk !== null) {
					progress.add(chunk.length);
					guarded(() => feed(splitter.push(chunk)));
					continue;
				}
				if (!chunks.ended) {
					progress.report(ctx, chunks.totalBytes);
					return 'blocked';
				}
				guarded(() => feed(splitter.finish()));
				if (builder!.length > 0) pending.push(builder!.take());
				inputDone = true;
				progress.report(ctx, chunks.totalBytes, true);
				chunks.close();
				break;
			}
			if (!inputDone) progress.report(ctx, chunks.totalBytes);
			if (pending.length > 0) return pending.writeNext(ctx);
			return inputDone ? 'done' : 'more';
		},
		report() {
			return report.report();
		},
		dispose() {
			chunks?.close();
			pending.clear();
		}
	};
}
