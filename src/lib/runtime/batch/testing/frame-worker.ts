// Node worker_thread entry for frame-thread.spec.ts (test-only; started through
// src/workers/node-bootstrap.mjs, never by app code). Reads the frame the main thread wrote,
// checksums it raw and through Arrow, copies it into a second region of the same
// SharedArrayBuffer with writeBatch, and posts the results back.
import { parentPort, workerData } from 'node:worker_threads';
import { readColumns } from '../reader';
import { readRecordBatch } from '../record-batch';
import type { FrameSchema } from '../types';
import { writeBatch } from '../write-batch';
import { checksumArrow, checksumView } from './fixtures';

export interface FrameWorkerData {
	sab: SharedArrayBuffer;
	schema: FrameSchema;
	byteOffset: number;
	byteLength: number;
	echoOffset: number;
	echoCapacity: number;
}

export interface FrameWorkerReply {
	rows: number;
	rawChecksum: number;
	arrowChecksum: number;
	arrowValuesShared: boolean;
	echoLength: number;
}

const data = workerData as FrameWorkerData;
const view = readColumns(data.schema, data.sab, data.byteOffset, data.byteLength);
const arrow = readRecordBatch(data.schema, data.sab, data.byteOffset, data.byteLength);
const reply: FrameWorkerReply = {
	rows: view.length,
	rawChecksum: checksumView(view),
	arrowChecksum: checksumArrow(data.schema, arrow),
	arrowValuesShared: arrow.data.children.every((child) => child.values.buffer === data.sab),
	echoLength: writeBatch(view, data.schema, data.sab, data.echoOffset, data.echoCapacity)
};
parentPort?.postMessage(reply);
