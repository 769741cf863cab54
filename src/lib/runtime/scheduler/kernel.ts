// The contract between the stage host and the code that does a stage's work.
//
// A kernel runs inside one worker and is called by that worker's host loop only, never
// concurrently. It never blocks: when it cannot get a pool block it answers 'blocked' and is
// called again with the same input later. Output goes through `ctx.emit`, which only queues:
// the host pushes queued batches when their rings have room, and calls the kernel again only
// once everything it emitted has been pushed (so a stage holds at most one call's output).
//
// Early termination: consume() answering 'done' says "I want no more input, on any port" (a
// limit that has its rows). The host abandons the stage's input rings, releases what is queued
// in them, and calls finish() next, as if every input had ended (inputEnded is not called:
// the kernel knows). Upstream stages see their output abandoned and, once all their outputs
// are, stop: their kernels are not called again and dispose() runs at once — so a source's
// dispose() must close its file, fetch or reader (it is also the cancel and failure path).
// A paced source sees stopRequested() turn true then, too. The stage's output still ends
// normally, so a kernel that needs every row (a count, a sort) simply never answers 'done'.
import type { BatchView, BlockHandle, BlockMemory } from '../contracts';
import type { FrameSchema } from '../batch/types';
import type { FrameWriter } from '../batch/writer';
import type { SourceReport } from '../source-report';

/**
 * The pool as stages and kernels use it: the shared-memory MemoryPool, or the fallback's
 * per-thread LocalPool when the page has no SharedArrayBuffer (see runtime/fallback).
 */
export interface StagePool extends BlockMemory {
	/** A block of at least `payloadBytes`, or NO_BLOCK when the budget is spent. */
	tryAcquire(payloadBytes: number): BlockHandle;
	/** Adds `count` references (default 1); false if the handle is stale. */
	retain(handle: BlockHandle, count?: number): boolean;
	/** Drops one reference; the last one frees (or, in the fallback, returns) the block. */
	release(handle: BlockHandle): boolean;
	/** Payload bytes of the largest block the pool can ever hand out. */
	largestPayload(): number;
}

export interface InputBatch {
	port: number;
	block: BlockHandle;
	byteLength: number;
	rows: number;
	seq: number;
	/** Raw column views over the block (zero copy). */
	view: BatchView;
	/** Live rows when a fused chain filtered the batch (ascending indices), else null: all rows. */
	selection: Uint32Array | null;
	/** Live rows: `selection.length` in use, or `rows`. */
	count: number;
}

/**
 * 'more': call again; 'done': finished (from consume(): wants no more input, see the header);
 * 'blocked': no pool memory now, retry the same call later.
 */
export type KernelStep = 'more' | 'done' | 'blocked';

export interface KernelContext {
	readonly stageName: string;
	readonly pool: StagePool;
	readonly inputSchemas: FrameSchema[];
	readonly outputSchemas: FrameSchema[];
	/** Rows per batch a source should aim for. */
	readonly batchRows: number;
	readonly instance: number;
	readonly instances: number;
	/**
	 * A writer over a fresh pool block big enough for `rows` rows of output `port` (with
	 * `utf8Bytes[i]` bytes for its i-th utf8 column), or null when the pool budget is exhausted.
	 * Call `emitWriter(port, writer, rows)` to send it, or `discardWriter(writer)`.
	 */
	allocate(port: number, rows: number, utf8Bytes?: number[]): FrameWriter | null;
	emitWriter(port: number, writer: FrameWriter, rows: number): void;
	discardWriter(writer: FrameWriter): void;
	/** Queue an already-written block (the kernel's reference moves to the host). */
	emit(port: number, block: BlockHandle, byteLength: number, rows: number): void;
	/** Forward an input batch unchanged, zero copy (the block is retained for the output). */
	forward(port: number, input: InputBatch): void;
	/**
	 * True once the run was cancelled or failed, or every consumer of this stage's output
	 * abandoned it (seen within one kernel call). A kernel that deliberately takes long (the
	 * debug `slow` node, a paced generator) checks it to return early.
	 */
	stopRequested?(): boolean;
	/**
	 * Sources: how far they have read — `bytesRead` so far (a running total) of `bytesTotal`
	 * (the file's size, a URL's Content-Length, or an instance's byte range; -1 when it cannot
	 * be known). Cheap but not free: call it per batch or every ~64 KiB, not per chunk of bytes.
	 * Shown as the source's progress bar; optional so test contexts need not provide it.
	 */
	reportProgress?(bytesRead: number, bytesTotal: number): void;
}

export interface Kernel {
	/** Sources: produce at most a batch or so per call. */
	produce?(ctx: KernelContext): KernelStep;
	/**
	 * Transforms and sinks: one input batch; the host releases the input block afterwards.
	 * 'done' means no more input is wanted (early termination, see the header).
	 */
	consume?(input: InputBatch, ctx: KernelContext): KernelStep;
	/** After every input ended: flush state, called until it returns 'done'. */
	finish?(ctx: KernelContext): KernelStep;
	/** Whether the stage should pop from input `port` now (a join reads its build side first). */
	wants?(port: number): boolean;
	/** Input `port` ended (every ring feeding it is drained and closed). */
	inputEnded?(port: number, ctx: KernelContext): void;
	/** A sink's result, sent to the main thread when the run ends (structured-cloneable). */
	result?(): unknown;
	/**
	 * A source's report of what it skipped, nulled, cut or could not read (null: nothing), sent
	 * with the results when the run ends. Called after dispose() too, so keep the counts.
	 */
	report?(): SourceReport | null;
	/**
	 * Release anything the kernel holds (blocks, buffers) and close what it opened (files,
	 * fetches, readers); called once, on success, failure, cancel, or when the stage stops
	 * early because nobody wants its output any more.
	 */
	dispose?(pool: StagePool): void;
}

export interface KernelSetup {
	params: unknown;
	/** The kernel table of this worker, for kernels that host others (fused chains). */
	kernels: KernelTable;
	/** The run's pool budget, for kernels that must refuse state that cannot fit. */
	budgetBytes: number;
	stageName: string;
	inputSchemas: FrameSchema[];
	outputSchemas: FrameSchema[];
	instance: number;
	instances: number;
	/** Inputs share an upstream stage (StageSpec.sharedUpstream); false when absent. */
	sharedUpstream?: boolean;
}

export type KernelFactory = (setup: KernelSetup) => Kernel;

declare const KERNEL_NAME: unique symbol;

/**
 * A kernel's key in a worker's kernel table. `kernelName` is the only maker, and the families
 * build theirs from typed parts: node kernels from their definition (nodes/kernel-name.ts),
 * the engine's test kernels as TEST_KERNEL.<id>. A stage naming a kernel by a free or
 * misspelt string is a TypeScript error, not a worker's "unknown kernel".
 */
export type KernelName = string & { readonly [KERNEL_NAME]: true };

/** The name of kernel `id` of `family` (e.g. 'node', 'group-by:merge'). */
export function kernelName(family: string, id: string): KernelName {
	return `${family}:${id}` as KernelName;
}

/** Kernel table of a worker: kernel name -> factory. */
export type KernelTable = ReadonlyMap<KernelName, KernelFactory>;

/** A table of these kernels, refusing a name given twice (with a message that says how to fix it). */
export function kernelTable(entries: Iterable<readonly [KernelName, KernelFactory]>): KernelTable {
	const table = new Map<KernelName, KernelFactory>();
	for (const [name, factory] of entries) {
		if (table.has(name)) {
			throw new TypeError(`kernel '${name}' is defined twice: give one of them another name`);
		}
		table.set(name, factory);
	}
	return table;
}

/** Combines kernel tables, refusing a name defined in two of them. */
export function mergeKernelTables(...tables: KernelTable[]): KernelTable {
	return kernelTable(tables.flatMap((t) => [...t]));
}
