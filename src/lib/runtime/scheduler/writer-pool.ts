// Frame writers of one output port, reused across batches, each bound to the pool block it
// writes into until the kernel emits or discards it. Single-threaded (the stage's worker).
import type { BlockHandle } from '../contracts';
import { NO_BLOCK } from '../contracts';
import { frameBytes } from '../batch/layout';
import type { FrameSchema } from '../batch/types';
import { FrameWriter } from '../batch/writer';
import type { StagePool } from './kernel';

export class WriterPool {
	private readonly free: FrameWriter[] = [];
	private readonly bound = new Map<FrameWriter, BlockHandle>();

	/** A writer reserves a validity bitmap for every column (any row may turn out null). */
	private readonly validity: boolean[];

	constructor(private readonly schema: FrameSchema) {
		this.validity = schema.types.map(() => true);
	}

	allocate(pool: StagePool, rows: number, utf8Bytes?: number[]): FrameWriter | null {
		const bytes = frameBytes(this.schema, rows, utf8Bytes, this.validity);
		const largest = pool.largestPayload();
		if (bytes > largest) {
			// Waiting would never help: no block of the pool is this big.
			throw new RangeError(
				`a batch of ${rows} rows needs ${bytes} bytes, more than the largest memory block ` +
					`(${largest} bytes): use fewer rows per batch or a larger memory budget`
			);
		}
		const block = pool.tryAcquire(bytes);
		if (block === NO_BLOCK) return null;
		const writer = this.free.pop() ?? new FrameWriter(this.schema);
		if (
			!writer.begin(
				pool.bufferOf(block),
				pool.offsetOf(block),
				pool.capacityOf(block),
				rows,
				utf8Bytes
			)
		) {
			pool.release(block);
			this.free.push(writer);
			throw new RangeError(`a frame of ${rows} rows (${bytes} bytes) does not fit its block`);
		}
		this.bound.set(writer, block);
		return writer;
	}

	/** The block a writer writes into; the caller takes over its reference. */
	blockOf(writer: FrameWriter): BlockHandle {
		const block = this.bound.get(writer);
		if (block === undefined) throw new Error('frame writer was not allocated by this stage');
		this.bound.delete(writer);
		this.free.push(writer);
		return block;
	}

	discard(pool: StagePool, writer: FrameWriter): void {
		const block = this.bound.get(writer);
		if (block === undefined) return;
		this.bound.delete(writer);
		this.free.push(writer);
		pool.release(block);
	}

	disposeAll(pool: StagePool): void {
		for (const block of this.bound.values()) pool.release(block);
		this.bound.clear();
	}
}
