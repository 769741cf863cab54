import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/prng';
import { readColumns } from './reader';
import { checksumCells, checksumView, columnViewOf, randomCells } from './testing/fixtures';
import type { FrameWorkerData, FrameWorkerReply } from './testing/frame-worker';
import { COLUMN_TYPES, type FrameSchema } from './types';
import { measureBatch, writeBatch } from './write-batch';

const BOOTSTRAP = new URL('../../../workers/node-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./testing/frame-worker.ts', import.meta.url).href;

function runWorker(data: FrameWorkerData): Promise<FrameWorkerReply> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, ...data } });
		worker.once('message', (reply: FrameWorkerReply) => {
			resolve(reply);
			void worker.terminate();
		});
		worker.once('error', reject);
		worker.once('exit', (code) =>
			reject(new Error(`frame worker exited with code ${code} before replying`))
		);
	});
}

describe('a frame read on another thread', () => {
	it('checksums equal on both sides, raw and through Arrow, and a frame written there reads back here', async () => {
		const seed = 0x7a11;
		const prng = mulberry32(seed);
		const rows = 5000;
		const schema: FrameSchema = {
			names: COLUMN_TYPES.map((t) => `c_${t}`),
			types: [...COLUMN_TYPES]
		};
		const cells = schema.types.map((t) =>
			randomCells(prng, t, rows, prng.pick(['none', 'random', 'all'] as const))
		);
		const batch = { length: rows, columns: cells.map((c, i) => columnViewOf(schema.types[i], c)) };
		const need = measureBatch(batch, schema);
		const echoOffset = Math.ceil((40 + need) / 8) * 8;
		const sab = new SharedArrayBuffer(echoOffset + need);
		const byteLength = writeBatch(batch, schema, sab, 40, need);
		const expected = checksumCells(cells);

		const reply = await runWorker({
			sab,
			schema,
			byteOffset: 40,
			byteLength,
			echoOffset,
			echoCapacity: need
		});

		const context = `seed ${seed}`;
		expect(reply.rows, context).toBe(rows);
		expect(reply.rawChecksum, context).toBe(expected);
		expect(reply.arrowChecksum, context).toBe(expected);
		expect(reply.arrowValuesShared, context).toBe(true);
		expect(reply.echoLength, context).toBe(byteLength);
		expect(checksumView(readColumns(schema, sab, echoOffset, reply.echoLength)), context).toBe(
			expected
		);
	});
});
