// One stage inside a worker: its kernel, its rings, what it holds, and where its time goes.
//
// Thread: only the worker hosting the stage touches a StageRunner. It is the single producer
// of its output rings and the single consumer of its input rings.
//
// A step never blocks. It first pushes what the kernel emitted earlier (the outbox); only when
// the outbox is empty may the kernel run again, so a stage holds at most one call's output.
// Blocks the stage holds are: the input batch the kernel answered 'blocked' on, and the
// outbox. `dispose()` releases both, so a cancelled or failed run leaves the pool whole.
import type { BlockHandle } from '../contracts';
import type { FrameWriter } from '../batch/writer';
import { readColumns } from '../batch/reader';
import type { RingChannel } from '../channel/ring';
import type { MetricsBlock } from '../metrics/block';
import type { InputBatch, Kernel, KernelContext, KernelStep, StagePool } from './kernel';
import { Outbox } from './outbox';
import type { StageSpec } from './spec';
import { WriterPool } from './writer-pool';
import type { FrameSchema } from '../batch/types';

/** Where a stage hands a sample of a popped batch when the page peeks at its edge. */
export interface PeekTap {
	/** Whether a peek at `edge` is requested now (cheap: called on every pop). */
	wanted(edge: number): boolean;
	/** Copies up to the requested rows of `batch` (read during the call, never retained). */
	take(edge: number, batch: InputBatch, schema: FrameSchema): void;
}

/** What held a stage back in its last step, for time accounting. */
export const HELD = {
	/** Ran or could run. */
	NONE: 0,
	/** Waiting for input on an empty ring. */
	INPUT: 1,
	/** Waiting for room on a full output ring. */
	OUTPUT: 2,
	/** Waiting for pool memory. */
	MEMORY: 3
} as const;
export type Held = (typeof HELD)[keyof typeof HELD];

/** What a stage uses of a ring: the shared RingChannel and the fallback's PortRing both fit. */
export type StageRing = Pick<
	RingChannel,
	'name' | 'capacity' | 'tryPush' | 'tryPop' | 'status' | 'error' | 'close' | 'size'
>;

/** What a stage writes of metrics: MetricsBlock and the fallback's LocalMetrics both fit. */
export type StageMetrics = Pick<
	MetricsBlock,
	'edgeBatch' | 'edgeOccupancy' | 'stageRows' | 'stageBytes'
>;

/** What a host charges each turn's wall time to (shared memory or the fallback's counters). */
export type TimeMetrics = Pick<
	MetricsBlock,
	'stageTime' | 'edgeProducerBlocked' | 'edgeConsumerWaiting'
>;

/**
 * Charges the wall time of one host loop turn (`from`..`to`, ms) to each stage: its kernel time
 * is busy; the rest is backpressured when the stage was held on a full output or on memory
 * (and charged to that edge's producer-blocked time), idle otherwise (charged to the awaited
 * input edge's consumer-waiting time). So busy + idle + backpressured covers the whole run.
 */
export function accountTurn(
	stages: readonly StageRunner[],
	metrics: TimeMetrics,
	from: number,
	to: number
): void {
	const turnNs = (to - from) * 1e6;
	for (const stage of stages) {
		const busy = Math.min(stage.busyThisTurn, turnNs);
		const rest = turnNs - busy;
		stage.busyThisTurn = 0;
		if (stage.done) {
			metrics.stageTime(stage.spec.index, busy, 0, 0);
			continue;
		}
		const blocked = stage.held === HELD.OUTPUT || stage.held === HELD.MEMORY;
		metrics.stageTime(stage.spec.index, busy, blocked ? 0 : rest, blocked ? rest : 0);
		if (stage.heldEdge >= 0) {
			if (stage.held === HELD.OUTPUT) metrics.edgeProducerBlocked(stage.heldEdge, rest);
			else if (stage.held === HELD.INPUT) metrics.edgeConsumerWaiting(stage.heldEdge, rest);
		}
	}
}

const PHASE = { RUN: 0, FINISH: 1, DRAIN: 2, DONE: 3 } as const;

export class StageFailed extends Error {
	constructor(
		readonly stage: string,
		message: string,
		readonly seq: number | null
	) {
		super(message);
	}
}

interface InputRing {
	ring: StageRing;
	port: number;
	edge: number;
	ended: boolean;
}

export class StageRunner implements KernelContext {
	readonly stageName: string;
	readonly inputSchemas;
	readonly outputSchemas;
	readonly instance: number;
	readonly instances: number;
	/** ns spent in the kernel during the current loop iteration. */
	busyThisTurn = 0;
	held: Held = HELD.NONE;
	/** Ring index held on (input or output), -1 for none. */
	heldEdge = -1;
	/** Whether kernel calls are timed (off when the run's counters are disabled). */
	timing = true;
	/** Copies a sample of a popped batch when the page asked to peek at its edge (peek.ts). */
	peekTap: PeekTap | null = null;

	private phase: number = PHASE.RUN;
	private readonly inputs: InputRing[];
	private readonly outputs: { ring: StageRing; edge: number }[][];
	private readonly outboxes: Outbox[];
	private pending: InputBatch | null = null;
	private nextInput = 0;
	private readonly slot = { block: 0, byteLength: 0, rows: 0, seq: 0, checksum: 0 };
	private batchesIn = 0;
	private rowsIn = 0;
	private batchesOut = 0;
	private rowsOut = 0;

	constructor(
		readonly spec: StageSpec,
		private readonly kernel: Kernel,
		readonly pool: StagePool,
		rings: StageRing[],
		ringEdge: number[],
		private readonly metrics: StageMetrics,
		readonly batchRows: number
	) {
		this.stageName = spec.name;
		this.inputSchemas = spec.inputSchemas;
		this.outputSchemas = spec.outputSchemas;
		this.instance = spec.instance;
		this.instances = spec.instances;
		this.inputs = spec.inputs.map(({ ring, port }) => ({
			ring: rings[ring],
			port,
			edge: ringEdge[ring],
			ended: false
		}));
		this.outputs = spec.outputs.map((port) =>
			port.map((ring) => ({ ring: rings[ring], edge: ringEdge[ring] }))
		);
		this.outboxes = this.outputs.flat().map(() => new Outbox());
		this.groups = spec.outputGroups.map((ids) => {
			const byId = new Map<number, number[]>();
			ids.forEach((id, position) => byId.set(id, [...(byId.get(id) ?? []), position]));
			return [...byId.values()];
		});
		this.turns = this.groups.map((groups) => groups.map(() => 0));
	}

	get done(): boolean {
		return this.phase === PHASE.DONE;
	}

	get isSource(): boolean {
		return this.inputs.length === 0;
	}

	/** One non-blocking step. True if anything moved (a batch pushed, popped or produced). */
	step(): boolean {
		this.held = HELD.NONE;
		this.heldEdge = -1;
		if (this.phase === PHASE.DONE) return false;
		const flushed = this.flush();
		if ((this.held as Held) === HELD.OUTPUT) return flushed;
		if (this.phase === PHASE.DRAIN) {
			for (const port of this.outputs) for (const { ring } of port) ring.close();
			this.phase = PHASE.DONE;
			this.writeRows();
			return true;
		}
		const step = this.runKernel();
		if (step === null) return flushed;
		if (step === 'blocked') {
			this.held = HELD.MEMORY;
			return flushed;
		}
		if (step === 'done' && (this.isSource || this.phase === PHASE.FINISH)) this.phase = PHASE.DRAIN;
		this.writeRows();
		return true;
	}

	/** Runs the kernel once if it has something to do; null when it is waiting for input. */
	private runKernel(): KernelStep | null {
		if (this.isSource || this.phase === PHASE.FINISH) {
			return this.timed(this.isSource ? 'produce' : 'finish', null);
		}
		if (!this.pending && !this.popInput()) {
			if (this.inputs.every((i) => i.ended)) {
				this.phase = PHASE.FINISH;
				return this.kernel.finish ? this.timed('finish', null) : 'done';
			}
			this.held = HELD.INPUT;
			return null;
		}
		const input = this.pending!;
		const step = this.timed('consume', input);
		if (step !== 'blocked') {
			this.pending = null;
			this.pool.release(input.block);
		}
		return step === 'done' ? 'more' : step;
	}

	private timed(call: 'produce' | 'consume' | 'finish', input: InputBatch | null): KernelStep {
		const kernel = this.kernel;
		const t0 = this.timing ? performance.now() : 0;
		try {
			if (call === 'produce') return kernel.produce ? kernel.produce(this) : 'done';
			if (call === 'finish') return kernel.finish ? kernel.finish(this) : 'done';
			return kernel.consume ? kernel.consume(input!, this) : 'more';
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			throw new StageFailed(this.stageName, message, input ? input.seq : null);
		} finally {
			if (this.timing) this.busyThisTurn += (performance.now() - t0) * 1e6;
		}
	}

	/** Pops the next batch from any input, round-robin; marks ended inputs. */
	private popInput(): boolean {
		const n = this.inputs.length;
		for (let k = 0; k < n; k++) {
			const i = (this.nextInput + k) % n;
			const input = this.inputs[i];
			if (input.ended) continue;
			if (this.kernel.wants && !this.kernel.wants(input.port)) continue;
			if (input.ring.tryPop(this.slot)) {
				this.nextInput = (i + 1) % n;
				const slot = this.slot;
				const schema = this.inputSchemas[input.port];
				const view = readColumns(
					schema,
					this.pool.bufferOf(slot.block),
					this.pool.offsetOf(slot.block),
					slot.byteLength
				);
				this.pending = {
					port: input.port,
					block: slot.block,
					byteLength: slot.byteLength,
					rows: slot.rows,
					seq: slot.seq,
					view,
					selection: null,
					count: slot.rows
				};
				this.batchesIn++;
				this.rowsIn += slot.rows;
				// One load of a shared cell per pop; the copy happens only when asked.
				if (this.peekTap !== null && this.peekTap.wanted(input.edge)) {
					this.peekTap.take(input.edge, this.pending, schema);
				}
				return true;
			}
			const status = input.ring.status();
			if (status === 1 /* RING.END */) {
				input.ended = true;
				const port = input.port;
				if (this.inputs.every((other) => other.port !== port || other.ended)) {
					this.kernel.inputEnded?.(port, this);
				}
			} else if (status !== 0) {
				throw new StageFailed(
					this.stageName,
					input.ring.error() ?? `input '${input.ring.name}' stopped`,
					null
				);
			}
		}
		if (!this.inputs.every((i) => i.ended)) {
			const waiting = this.inputs.find((i) => !i.ended)!;
			this.heldEdge = waiting.edge;
		}
		return false;
	}

	/** Pushes queued output; sets held = OUTPUT when a ring is full. True if anything moved. */
	private flush(): boolean {
		let moved = false;
		let k = 0;
		for (const port of this.outputs) {
			for (const { ring, edge } of port) {
				const box = this.outboxes[k++];
				while (!box.empty) {
					if (!ring.tryPush(box.block, box.byteLength, box.rows)) {
						this.held = HELD.OUTPUT;
						this.heldEdge = edge;
						this.metrics.edgeOccupancy(edge, ring.size(), ring.capacity);
						break;
					}
					this.metrics.edgeBatch(edge, box.rows, box.byteLength);
					this.batchesOut++;
					this.rowsOut += box.rows;
					box.shift();
					moved = true;
				}
			}
		}
		return moved;
	}

	// KernelContext ----------------------------------------------------------------------------

	allocate(port: number, rows: number, utf8Bytes?: number[]): FrameWriter | null {
		return this.writers(port).allocate(this.pool, rows, utf8Bytes);
	}

	emitWriter(port: number, writer: FrameWriter, rows: number): void {
		const byteLength = writer.finish(rows);
		this.emit(port, this.writers(port).blockOf(writer), byteLength, rows);
	}

	discardWriter(writer: FrameWriter): void {
		for (const w of this.writerPools) w?.discard(this.pool, writer);
	}

	emit(port: number, block: BlockHandle, byteLength: number, rows: number): void {
		const rings = this.outputs[port];
		if (!rings) throw new RangeError(`stage '${this.stageName}' has no output port ${port}`);
		if (rings.length === 0) {
			this.pool.release(block);
			return;
		}
		let k = 0;
		for (let p = 0; p < port; p++) k += this.outputs[p].length;
		const groups = this.groups[port];
		// Fan-out: one reference per consumer group, dropped by that group's reader.
		if (groups.length > 1) this.pool.retain(block, groups.length - 1);
		for (let g = 0; g < groups.length; g++) {
			const members = groups[g];
			// Partitioned consumer: its instances take batches in turn.
			const turn = this.turns[port][g];
			this.turns[port][g] = (turn + 1) % members.length;
			this.outboxes[k + members[turn]].push(block, byteLength, rows);
		}
	}

	forward(port: number, input: InputBatch): void {
		this.pool.retain(input.block, 1);
		this.emit(port, input.block, input.byteLength, input.rows);
	}

	/** Set by the host: whether the run was stopped (cancel or a failure anywhere). */
	stopCheck: () => boolean = () => false;

	stopRequested(): boolean {
		return this.stopCheck();
	}

	reportProgress(bytesRead: number, bytesTotal: number): void {
		this.metrics.stageBytes(this.spec.index, bytesRead, bytesTotal);
	}

	private writerPools: (WriterPool | undefined)[] = [];
	/** Per port: consumer groups as lists of ring positions within the port. */
	private readonly groups: number[][][];
	/** Per port and group: which member takes the next batch. */
	private readonly turns: number[][];

	private writers(port: number) {
		let w = this.writerPools[port];
		if (!w) {
			const schema = this.outputSchemas[port];
			if (!schema) throw new RangeError(`stage '${this.stageName}' has no output port ${port}`);
			w = this.writerPools[port] = new WriterPool(schema);
		}
		return w;
	}

	// Accounting and teardown ----------------------------------------------------------------

	private writeRows(): void {
		this.metrics.stageRows(
			this.spec.index,
			this.batchesIn,
			this.rowsIn,
			this.batchesOut,
			this.rowsOut
		);
	}

	/** Releases every block the stage holds. Safe to call more than once. */
	dispose(): void {
		if (this.pending) {
			this.pool.release(this.pending.block);
			this.pending = null;
		}
		for (const box of this.outboxes) {
			while (!box.empty) {
				this.pool.release(box.block);
				box.shift();
			}
		}
		for (const w of this.writerPools) w?.disposeAll(this.pool);
		this.kernel.dispose?.(this.pool);
	}

	result(): unknown {
		return this.kernel.result?.();
	}

	/** Batches this stage pushed so far (for outside-pool bytes per batch). */
	get batchesProduced(): number {
		return this.batchesOut;
	}
}
