// readRecordBatch: a frame as an apache-arrow RecordBatch whose Data buffers are the frame's
// own bytes (validity, offsets and values typed arrays over the same (Shared)ArrayBuffer).
// Threads, ordering and validation: as readColumns (reader.ts), which this builds on.
//
// Strings in browsers. apache-arrow decodes utf8 values in `Vector.get`, `toArray`, iteration
// and `RecordBatch.get(i)` rows with one TextDecoder, and Chromium's TextDecoder.decode throws
// on views of a SharedArrayBuffer. So the `utf8` option decides what a utf8 column's values
// buffer is:
//   'shared' - the frame's bytes, zero copy. Where the platform rejects shared views, Arrow's
//              own string getters throw there: read strings with stringAt/valueAt instead.
//   'copy'   - a non-shared copy of that column's UTF-8 bytes (one allocation of exactly the
//              string bytes per utf8 column); its offsets and validity stay zero copy, and every
//              other column too. Arrow's getters then work everywhere.
//   'auto'   - (default) 'shared' when the buffer is not shared or this platform's TextDecoder
//              accepts shared views (Node, probed once per thread), else 'copy'. So in Node
//              every buffer is the SharedArrayBuffer; in Chromium utf8 value bytes are copied.
// Column names come from the FrameSchema as JS strings, so no decoding happens for them.
//
// Allocates the Arrow objects (Data, RecordBatch and the typed-array views); the Arrow Schema
// is built once per FrameSchema object.
import { Data, makeData, RecordBatch, Schema, Struct, type DataType } from 'apache-arrow';
import { isShared } from './bits';
import { readColumns } from './reader';
import { toArrowSchema, type FrameSchema } from './types';

export type Utf8Mode = 'auto' | 'shared' | 'copy';

export interface ReadRecordBatchOptions {
	/** How utf8 value bytes reach Arrow (see the file header). Default 'auto'. */
	utf8?: Utf8Mode;
}

let sharedDecodeWorks: boolean | undefined;

/** Whether this thread's TextDecoder decodes views of a SharedArrayBuffer (probed once). */
export function textDecoderAcceptsShared(): boolean {
	if (sharedDecodeWorks === undefined) {
		if (typeof SharedArrayBuffer === 'undefined') sharedDecodeWorks = true;
		else {
			try {
				new TextDecoder().decode(new Uint8Array(new SharedArrayBuffer(1)));
				sharedDecodeWorks = true;
			} catch {
				sharedDecodeWorks = false;
			}
		}
	}
	return sharedDecodeWorks;
}

const arrowSchemas = new WeakMap<
	FrameSchema,
	{ schema: Schema; types: DataType[]; struct: Struct }
>();

function arrowSchemaOf(schema: FrameSchema) {
	let cached = arrowSchemas.get(schema);
	if (cached === undefined) {
		const arrow = toArrowSchema(schema);
		cached = {
			schema: arrow,
			types: arrow.fields.map((f) => f.type),
			struct: new Struct(arrow.fields)
		};
		arrowSchemas.set(schema, cached);
	}
	return cached;
}

/** The frame as an Arrow RecordBatch over the frame's bytes (utf8 values: see `options.utf8`). */
export function readRecordBatch(
	schema: FrameSchema,
	buffer: ArrayBufferLike,
	byteOffset: number,
	byteLength: number,
	options: ReadRecordBatchOptions = {}
): RecordBatch {
	const batch = readColumns(schema, buffer, byteOffset, byteLength);
	const arrow = arrowSchemaOf(schema);
	const mode = options.utf8 ?? 'auto';
	const copyUtf8 =
		mode === 'copy' || (mode === 'auto' && isShared(buffer) && !textDecoderAcceptsShared());
	const children = batch.columns.map((col, i) => {
		const values =
			col.type === 'utf8' && copyUtf8 ? (col.values as Uint8Array).slice() : col.values;
		return new Data(arrow.types[i], 0, col.length, col.nullCount, {
			0: col.offsets ?? undefined,
			1: values,
			2: col.validity ?? new Uint8Array(0)
		});
	});
	const data = makeData({ type: arrow.struct, length: batch.length, nullCount: 0, children });
	return new RecordBatch(arrow.schema, data);
}
