// What a node kind is: one file per kind exports a `NodeDefinition`, and `catalogue.ts` lists
// them in a table. A definition serves three readers:
// - the editor: title, category, ports, `fields` (the inspector form) and `summary`;
// - the compiler: `params` (a valibot schema, checked on every load), `inferSchema`, `traits`;
// - the engine: `kernel` (a stage kernel run by a worker) or, for stateless transforms,
//   `step` (a batch-to-batch function the compiler may fuse with its neighbours into one stage).
import type * as v from 'valibot';
import type { BatchView, ColumnType } from '../runtime/contracts';
import type { FrameSchema } from '../runtime/batch/types';
import type { KernelFactory } from '../runtime/scheduler/kernel';
import type { ColumnUse } from './used-columns';
import type { ColumnCondition } from './row-conditions';

export type Category = 'source' | 'transform' | 'sink';

export interface PortSpec {
	name: string;
	label?: string;
}

/** One control of the inspector form, in display order. */
export interface ParamField {
	name: string;
	label: string;
	control:
		| 'text'
		| 'number'
		| 'integer'
		| 'boolean'
		| 'select'
		| 'expression'
		| 'column'
		| 'columns'
		| 'json';
	/** Choices for 'select'. */
	options?: readonly string[];
	help?: string;
	placeholder?: string;
}

export interface Traits {
	/** Each output batch depends only on one input batch: may be fused and run in parallel. */
	stateless: boolean;
	/** Emits nothing until its input ended (sort, group-by final, join build). */
	blocking: boolean;
	/** Can run as several instances, each on a share of the input, with a merge step after. */
	partitionable: boolean;
	/** A debugging aid (e.g. the `slow` node): the palette lists it under "Debug". */
	debug?: boolean;
}

/** A problem found while inferring a node's output schema, shown on the node (or its param). */
export interface NodeProblem {
	message: string;
	param?: string;
	/** Character range in the param's text (expressions). */
	start?: number;
	end?: number;
}

export type InferResult =
	{ ok: true; outputs: FrameSchema[] } | { ok: false; problems: NodeProblem[] };

/** What the compiler knows when inferring a source's schema. */
export interface InferContext {
	/** Schema of a dataset a source names (a sample, an uploaded file, a URL), if known. */
	datasetSchema(ref: string): FrameSchema | undefined;
}

/**
 * A batch moving through a fused chain of stateless steps: the columns, and which rows of
 * them are live (`selection`, ascending row indices; null = all `view.length` rows).
 */
export interface ChainBatch {
	view: BatchView;
	selection: Uint32Array | null;
	count: number;
}

/** A stateless transform's per-batch function; may keep scratch buffers between batches. */
export type Step = (batch: ChainBatch) => ChainBatch;

export interface StepSetup<P> {
	params: P;
	inputSchema: FrameSchema;
	outputSchema: FrameSchema;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface NodeDefinition<P = any> {
	kind: string;
	title: string;
	category: Category;
	description: string;
	inputs: readonly PortSpec[];
	outputs: readonly PortSpec[];
	/** Valibot schema of the params, with defaults; the source of truth for validation. */
	params: v.GenericSchema<unknown, P>;
	/** Params of a freshly added node. */
	defaults: P;
	fields: readonly ParamField[];
	traits: Traits;
	/** One line for the node card, e.g. "value > 0.5". */
	summary(params: P): string;
	inferSchema(inputs: FrameSchema[], params: P, ctx: InferContext): InferResult;
	/** Stage kernel (sources, blocking transforms, sinks, and stateful transforms). */
	kernel?: KernelFactory;
	/** Stateless transforms: the fusable per-batch function. */
	step?: (setup: StepSetup<P>) => Step;
	/**
	 * Stateless transforms: bytes a row may take in this step's own buffers beyond the fixed
	 * share every step gets (e.g. a string literal the step repeats in every row). The compiler
	 * sizes the batches of a fused chain by it, so a chain's buffers stay within the budget.
	 */
	stepRowBytes?: (params: P) => number;
	/**
	 * Partitionable terminals (group-by, top-k): the kernels of a parallel run. Each of several
	 * instances runs `partial` on its share of the input; one `merge` stage (same params)
	 * combines their outputs. Without them the kind runs as one instance. Their names in the
	 * kernel table come from nodes/kernel-name.ts.
	 */
	partitioned?: { partial: KernelFactory; merge: KernelFactory };
	/**
	 * Partitionable sources: whether these params really split the data between instances
	 * (default true). A source that would leave instances idle is better read once and dealt
	 * round-robin to the next stage's instances.
	 */
	splits?(params: P): boolean;
	/** Partitionable terminals: schema of what each instance's `partial` kernel emits. */
	partialSchema?(input: FrameSchema, params: P): FrameSchema;
	/** Sinks and terminal kinds that read `InputBatch.selection` can be fused after a chain. */
	acceptsSelection?: boolean;
	/**
	 * The input columns this node reads, per input port, given the columns of each output port
	 * that the nodes downstream read (null: every one). Absent, or null for a port: every column
	 * of it. Return a set only when the node finds its input columns by name (its output must not
	 * depend on columns it leaves out): the compiler then gives the sources upstream only the
	 * columns some node reads (compiler/projection.ts).
	 */
	usedColumns?(inputs: FrameSchema[], params: P, used: readonly ColumnUse[]): ColumnUse[];
	/**
	 * Sources whose kernel reads only the columns of the output schema its stage is given: the
	 * compiler may give it fewer columns than it declares (those no node downstream reads).
	 */
	readsGivenColumns?: boolean;
	/** Filters: conditions every row they keep satisfies (nodes/row-conditions.ts). */
	rowConditions?(inputs: FrameSchema[], params: P): ColumnCondition[];
	/**
	 * Nodes whose output rows are some of their input rows (any order): output column name ->
	 * the input column whose values it carries unchanged. A filter downstream may then be tested
	 * before this node (a source skipping what it would drop). Absent: rows are made, counted or
	 * chosen by position or by a sample (limit, top-k, group-by, sample), so nothing passes.
	 */
	carriesRows?(inputs: FrameSchema[], params: P): ReadonlyMap<string, string>;
	/**
	 * Sources that can leave out rows a filter downstream would drop: the params their kernel
	 * runs with, given the conditions every row that matters satisfies (compiler/conditions.ts).
	 */
	withConditions?(params: P, conditions: ColumnCondition[]): P;
}

/** Column types offered by cast and the generator, in menu order. */
export const COLUMN_TYPE_CHOICES: readonly ColumnType[] = [
	'int32',
	'int64',
	'float64',
	'bool',
	'utf8',
	'date32',
	'timestamp',
	'int8',
	'int16',
	'uint8',
	'uint16',
	'uint32',
	'uint64',
	'float32'
];
