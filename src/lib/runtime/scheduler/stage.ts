// One stage inside a worker: its kernel, its rings, what it holds (time accounting:
// stage-accounting.ts).
//
// Thread: only the worker hosting the stage touches a StageRunner. It is the single producer
// of its output rings and the single consumer of its input rings.
//
// A step never blocks. It first pushes what the kernel emitted earlier (the outbox); only when
// the outbox is empty may the kernel run again, so a stage holds at most one call's output.
// Blocks the stage holds are: the input batch the kernel answered 'blocked' on, and the
// outbox. `dispose()` releases both, so a cancelled or failed run leaves the pool whole.
//
// Early termination (channel/ring.ts, "Abandon"): a kernel that wants no more input answers
// 'done' from consume(); the stage then abandons every input ring (ring.abandon(), which wakes
// a producer parked on it), releases each batch still queued there, and goes on to finish()
// and end of stream as usual. Downstream, a push refused because the consumer abandoned the
// ring is not backpressure: the stage releases that reference (for fan-out, one group's) and
// drops whatever that ring gets later. Once every output ring is abandoned (all consumer groups
// of every port; a sink has none, so never), the stage stops: it calls no kernel again,
// disposes the kernel (a source closes its file or fetch there), abandons its own inputs, and
// closes its outputs — so the stop travels upstream to the sources, one stage at a time. An
// abandoned input is drained again on each later step and at dispose(), for a push that raced
// the abandon; the run drains every ring at teardown for one made after that.
import type { BlockHandle } from '../contracts';
import type { FrameWriter } from '../batch/writer';
import { readColumns } from '../batch/reader';
import type { InputBatch, Kernel, KernelContext, KernelStep, StagePool } from './kernel';
import { Outbox } from './outbox';
import type { StageSpec } from './spec';
import type { SourceReport } from '../source-report';
import { WriterPool } from './writer-pool';
import {
	HELD,
	type Held,
	type PeekTap,
	type StageMetrics,
	type StageRing
} from './stage-accounting';

export {
	HELD,
	accountTurn,
	type Held,
	type PeekTap,
	type StageMetrics,
	type StageRing,
	type TimeMetrics
} from './stage-accounting';

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
	/** This stage abandoned the ring (ended by its own choice); drained on every step. */
	abandoned: boolean;
}

interface OutputRing {
	ring: StageRing;
	edge: number;
	/** Its consumer abandoned it: batches for it are released, never queued. */
	abandoned: boolean;
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
	private readonly outputs: OutputRing[][];
	/** Output rings in port order, beside `outboxes`. */
	private readonly outputList: OutputRing[];
	/** Output rings not abandoned by their consumers. */
	private liveOutputs: number;
	private abandonedInputs = 0;
	private kernelDisposed = false;
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
			ended: false,
			abandoned: false
		}));
		this.outputs = spec.outputs.map((port) =>
			port.map((ring) => ({ ring: rings[ring], edge: ringEdge[ring], abandoned: false }))
		);
		this.outputList = this.outputs.flat();
		this.liveOutputs = this.outputList.length;
		this.outboxes = this.outputList.map(() => new Outbox());
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
		if (this.abandonedInputs > 0) this.drainAbandoned();
		if (this.outputList.length > 0 && this.noticeAbandonedOutputs()) {
			this.stopEarly();
			return true;
		}
		const flushed = this.flush();
		if (this.outputList.length > 0 && this.liveOutputs === 0) {
			this.stopEarly(); // the flush found the last live output abandoned
			return true;
		}
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
		if (step !== 'done') return step;
		// The kernel wants no more input: end every input now; finish() runs next step.
		this.abandonInputs();
		return 'more';
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
			for (const output of port) {
				const { ring, edge } = output;
				const box = this.outboxes[k++];
				while (!box.empty) {
					if (!ring.tryPush(box.block, box.byteLength, box.rows)) {
						// Refused because its consumer wants no more: not backpressure.
						if (ring.abandoned()) {
							this.dropOutput(output, box);
							moved = true;
							break;
						}
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
			// An abandoned ring's consumer wants nothing more: its reference goes back at once.
			if (this.outputList[k + members[turn]].abandoned) this.pool.release(block);
			else this.outboxes[k + members[turn]].push(block, byteLength, rows);
		}
	}

	forward(port: number, input: InputBatch): void {
		this.pool.retain(input.block, 1);
		this.emit(port, input.block, input.byteLength, input.rows);
	}

	/** Set by the host: whether the run was stopped (cancel or a failure anywhere). */
	stopCheck: () => boolean = () => false;

	/** Also true once every output ring was abandoned (a paced source stops waiting). */
	stopRequested(): boolean {
		if (this.stopCheck()) return true;
		if (this.outputList.length === 0) return false;
		for (const output of this.outputList) {
			if (!output.abandoned && !output.ring.abandoned()) return false;
		}
		return true;
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
		if (this.abandonedInputs > 0) this.drainAbandoned();
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
		if (!this.kernelDisposed) {
			this.kernelDisposed = true;
			this.kernel.dispose?.(this.pool);
		}
	}

	// Early termination ------------------------------------------------------------------------

	/**
	 * Marks output rings whose consumers abandoned them since the last look (releasing what
	 * their outboxes hold); true once none is left live. One Atomics.load per live output.
	 */
	private noticeAbandonedOutputs(): boolean {
		if (this.liveOutputs === 0) return true;
		const list = this.outputList;
		for (let k = 0; k < list.length; k++) {
			const output = list[k];
			if (!output.abandoned && output.ring.abandoned()) this.dropOutput(output, this.outboxes[k]);
		}
		return this.liveOutputs === 0;
	}

	/** Its consumer abandoned `output`: release what waits for it, and take nothing more. */
	private dropOutput(output: OutputRing, box: Outbox): void {
		if (!output.abandoned) {
			output.abandoned = true;
			this.liveOutputs--;
			// The edge's fill gauge (this stage is its one writer): empty, not backed up.
			this.metrics.edgeOccupancy(output.edge, 0, output.ring.capacity);
		}
		while (!box.empty) {
			this.pool.release(box.block);
			box.shift();
		}
	}

	/** Abandons every input not ended yet and releases what is queued in it. */
	private abandonInputs(): void {
		for (const input of this.inputs) {
			if (input.abandoned) continue;
			input.abandoned = true;
			input.ended = true;
			this.abandonedInputs++;
			input.ring.abandon();
		}
		this.drainAbandoned();
	}

	/** Releases each batch queued in an abandoned input (also one pushed after the abandon). */
	private drainAbandoned(): void {
		const slot = this.slot;
		for (const input of this.inputs) {
			if (!input.abandoned) continue;
			while (input.ring.drainOne(slot)) this.pool.release(slot.block);
		}
	}

	/**
	 * Every output was abandoned: nobody wants what this stage would make. Stops for good:
	 * the kernel is not called again and is disposed now (sources close their files and
	 * fetches), the inputs are abandoned in turn, and the outputs are closed.
	 */
	private stopEarly(): void {
		this.abandonInputs();
		this.dispose();
		for (const port of this.outputs) for (const { ring } of port) ring.close();
		this.phase = PHASE.DONE;
		this.writeRows();
	}

	result(): unknown {
		return this.kernel.result?.();
	}

	/** The source's report (see Kernel.report), or null. */
	report(): SourceReport | null {
		return this.kernel.report?.() ?? null;
	}

	/** Batches this stage pushed so far (for outside-pool bytes per batch). */
	get batchesProduced(): number {
		return this.batchesOut;
	}
}
