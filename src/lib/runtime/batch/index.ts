// Batch frames: record batches laid out in shared memory (layout.ts), written by kernels
// (FrameWriter) or copied from existing batches (writeBatch), read as raw views (readColumns)
// or as apache-arrow RecordBatches over the same bytes (readRecordBatch).
export { frameBytes, FRAME_MAGIC, FRAME_VERSION, HEADER_BYTES, DIR_ENTRY_BYTES } from './layout';
export { FrameError, readColumns } from './reader';
export { readRecordBatch, textDecoderAcceptsShared } from './record-batch';
export type { ReadRecordBatchOptions, Utf8Mode } from './record-batch';
export {
	COLUMN_TYPES,
	elementBytes,
	fromArrowSchema,
	fromArrowType,
	toArrowSchema,
	toArrowType
} from './types';
export type { FrameSchema } from './types';
export { isNullAt, stringAt, valueAt } from './values';
export { measureBatch, writeBatch } from './write-batch';
export { FrameWriter } from './writer';
