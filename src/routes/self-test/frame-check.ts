// Self-test check: a batch frame written into a pool block and read back on this page is a
// view of the pool's SharedArrayBuffer (zero copy), both as raw columns (readColumns) and as an
// Arrow RecordBatch (readRecordBatch). Runs on the main thread; no worker involved.
import {
	readColumns,
	readRecordBatch,
	stringAt,
	textDecoderAcceptsShared
} from '$lib/runtime/batch';
import { writeBatch } from '$lib/runtime/batch';
import type { FrameSchema } from '$lib/runtime/batch';
import type { BatchView } from '$lib/runtime/contracts';
import { MemoryPool } from '$lib/runtime/memory/pool';
import type { EngineCheck } from './checks';
import { MiB, expectEqual, expectTrue } from './plans';

const SCHEMA: FrameSchema = { names: ['id', 'name'], types: ['int32', 'utf8'] };
const NAMES = ['alpha', '', 'γάμμα ✓'];

function sampleBatch(): BatchView {
	const encoder = new TextEncoder();
	const parts = NAMES.map((s) => encoder.encode(s));
	const offsets = new Int32Array(parts.length + 1);
	parts.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.length));
	const values = new Uint8Array(offsets[parts.length]);
	parts.forEach((p, i) => values.set(p, offsets[i]));
	const base = { length: NAMES.length, nullCount: 0, validity: null };
	return {
		length: NAMES.length,
		columns: [
			{ ...base, type: 'int32', offsets: null, values: Int32Array.of(10, 20, 30) },
			{ ...base, type: 'utf8', offsets, values }
		]
	};
}

export const frameCheck: EngineCheck = {
	name: 'A frame read back is a view of the shared memory, not a copy (on this page)',
	needsSharedMemory: true,
	async run() {
		const pool = MemoryPool.create({ budgetBytes: MiB, maxBlockBytes: 64 * 1024 });
		const block = pool.tryAcquire(4096);
		expectTrue(block >= 0, 'could not acquire a 4 KiB block');
		const sab = pool.bufferOf(block);
		const at = pool.offsetOf(block);
		expectTrue(sab instanceof SharedArrayBuffer, 'the pool block is not in a SharedArrayBuffer');
		const length = writeBatch(sampleBatch(), SCHEMA, sab, at, pool.capacityOf(block));
		expectTrue(length > 0, `writeBatch returned ${length}`);

		const view = readColumns(SCHEMA, sab, at, length);
		const [ids, names] = view.columns;
		expectTrue(
			ids.values.buffer === sab && names.values.buffer === sab && names.offsets?.buffer === sab,
			'readColumns returned views of some other buffer'
		);
		const arrow = readRecordBatch(SCHEMA, sab, at, length);
		const arrowIds = arrow.getChildAt(0)!;
		expectTrue(
			arrowIds.data[0].values.buffer === sab,
			'the Arrow int32 column is not over the pool'
		);

		// Write through a separate view of the same bytes: every reader must see it at once.
		new Int32Array(sab, ids.values.byteOffset, 1)[0] = 99;
		expectEqual([ids.values[0], arrowIds.get(0)], [99, 99], 'id 0 after writing the shared bytes');
		const strings = [0, 1, 2].map((r) => stringAt(names, r));
		expectEqual(strings, NAMES, 'strings read with stringAt');
		expectEqual(arrow.get(2)?.toJSON().name, NAMES[2], 'string read through Arrow');

		pool.release(block);
		expectEqual(pool.stats().blocksInUse, 0, 'blocks in use after release');
		const decoder = textDecoderAcceptsShared() ? 'accepts' : 'rejects (strings are copied)';
		return `${length} B frame; int32, offsets and utf8 bytes are views of the pool's buffer; TextDecoder ${decoder} shared views`;
	}
};
