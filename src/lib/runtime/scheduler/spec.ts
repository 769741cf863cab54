// What a run is made of, as the main thread sends it to each worker once at start.
// Everything here is structured-cloneable: SharedArrayBuffers, numbers, strings, JSON params.
import type { FrameSchema } from '../batch/types';
import type { RingDescriptor } from '../channel/ring';
import type { KernelName } from './kernel';
import type { PoolDescriptor } from '../memory/pool';
import type { MetricsDescriptor } from '../metrics/block';
import type { SourceReport } from '../source-report';

export interface StageSpec {
	/** Index of the stage in the run (also its metrics slot). */
	index: number;
	/** Shown to users in errors and metrics: a node name, or "a → b" for a fused chain. */
	name: string;
	/** Key in the worker's kernel table. */
	kernel: KernelName;
	params: unknown;
	/** Rings this stage consumes and the input port each feeds (a port may have several). */
	inputs: { ring: number; port: number }[];
	/** Per output port, the rings fed by it (one per consumer: fan-out). */
	outputs: number[][];
	/**
	 * Per output port, the consumer group of each ring in `outputs[port]`. A batch goes to every
	 * group (fan-out) and, within a group, to one ring in turn (the instances of one partitioned
	 * consumer share a group). By default every ring is its own group: plain fan-out.
	 */
	outputGroups: number[][];
	inputSchemas: FrameSchema[];
	outputSchemas: FrameSchema[];
	/** Which pool worker hosts the stage. */
	worker: number;
	/** Which instance this is, and how many run in parallel (partitioned stages). */
	instance: number;
	instances: number;
	/**
	 * Two of its inputs are fed, by different paths, from one upstream stage (a self-join): a
	 * kernel that reads one input to its end first must buffer the others meanwhile, or that
	 * upstream waits for room on their rings forever.
	 */
	sharedUpstream?: boolean;
}

export interface RunSpec {
	runId: number;
	pool: PoolDescriptor;
	rings: RingDescriptor[];
	/** Ring index -> metrics edge slot. */
	ringEdge: number[];
	metrics: MetricsDescriptor;
	/** Run control cells: see CONTROL in control.ts. */
	control: SharedArrayBuffer;
	/** One doorbell per worker (index = worker) plus one for the main thread (index = workers). */
	bells: SharedArrayBuffer;
	stages: StageSpec[];
	/** Rows per batch sources should aim for. */
	batchRows: number;
	/** The run's peek region (metrics/peek.ts); absent: peeks are never answered. */
	peek?: SharedArrayBuffer;
}

/** What a worker sends back when its stages are done: each sink's result, by stage index. */
export interface HostResult {
	/** Each stage's sink result, and its source report when it has one. */
	results: { stage: number; value: unknown; report?: SourceReport }[];
	/** Bytes the worker's heap grew by during the run (GC pressure indicator). */
	heapGrowth: number;
}

/** A stage failure, as the main thread reports it. */
export interface StageFailure {
	stage: string;
	message: string;
	/** Sequence number of the batch being processed, when there was one. */
	seq: number | null;
}
