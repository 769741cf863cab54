// Logical plan -> physical plan: stages, their kernels, parallel instances, rings and workers.
//
// Phases, in order:
//   1. fusion (operator chaining): a run of stateless nodes, each the only consumer of the one
//      before, becomes one 'chain' stage; a sink or partitionable terminal (e.g. a group-by)
//      that reads selections and is the chain's only consumer joins it as its terminal. With
//      several workers, a partitionable terminal that is the only consumer of a source that
//      splits (e.g. Parquet → group-by) is a chain of no steps, so step 2 can split both;
//   2. parallelism: a chain whose steps and terminal are all partitionable runs as P instances
//      (P = workers). Its upstream feeds them round-robin, or, when the upstream is a
//      partitionable source with no other consumer, the source runs as P instances too, one
//      per chain instance. A partitioned terminal with a merge kernel gets a merge stage;
//   3. rings: one per (producer instance, consumer instance) pair that exchanges data; fan-out
//      gets one ring per consumer. Capacities come from the memory budget;
//   4. placement: instance k of a partitioned group on worker k mod W; other stages spread
//      round-robin in topological order;
//   5. batch size: the rows per batch asked for, lowered when a fused chain's buffers would
//      pass a quarter of the budget (see chainBatchRows).
// A node stage whose inputs have an upstream node in common (a self-join, or one source
// reaching a join by two paths) is marked `sharedUpstream`, so a kernel that reads one input
// first knows it must buffer the others meanwhile.
import type { FrameSchema } from '../runtime/batch/types';
import type { PhysicalPlan, PhysicalRing, PhysicalStage } from '../runtime/scheduler/run';
import { CHAIN_KERNEL, nodeKernelName } from '../nodes/kernel-name';
import type { ChainParams, ChainStepSpec } from '../nodes/kernels/chain';
import type { LogicalNode, LogicalPlan } from './logical';
import type { ColumnCondition } from '../nodes/row-conditions';

export interface CompileOptions {
	workers: number;
	budgetBytes: number;
	batchRows: number;
	integrity?: boolean;
}

/** A stage group before instancing: the logical nodes it runs. */
interface Group {
	/** Nodes in the group, in order (a chain's steps, then its terminal), or one node. */
	nodes: LogicalNode[];
	kind: 'chain' | 'node';
	terminal: LogicalNode | null;
	instances: number;
	/** Stage index of each instance, then of the merge stage if any. */
	stages: number[];
	merge: number | null;
}

export interface StageOrigin {
	/** Logical node ids the stage runs (fused chains list several). */
	nodes: string[];
	/** Node whose result this stage returns (sinks), if any. */
	sink: string | null;
	/** Sources: the conditions it skips data by (explain prints them). */
	conditions?: ColumnCondition[];
}

export interface CompiledPlan extends PhysicalPlan {
	origins: StageOrigin[];
	/** Sink node id -> stage index whose result is the sink's. */
	sinks: Map<string, number>;
	/** Edge id -> ring indices carrying it. */
	edgeRings: Map<string, number[]>;
}

export function buildPhysicalPlan(logical: LogicalPlan, options: CompileOptions): CompiledPlan {
	const workers = Math.max(1, options.workers);

	// 1. Fusion.
	const groupOf = new Map<string, Group>();
	const groups: Group[] = [];
	const onlyConsumer = (n: LogicalNode): LogicalNode | null => {
		const out = n.outputEdges.flat();
		if (n.outputEdges.length !== 1 || out.length !== 1) return null;
		return logical.byId.get(out[0].to.node) ?? null;
	};
	/** A source that would run one instance per worker if its only consumer, `node`, were split. */
	const splitsFor = (up: LogicalNode, node: LogicalNode): boolean =>
		workers > 1 &&
		up.def.inputs.length === 0 &&
		up.def.traits.partitionable &&
		(!up.def.splits || up.def.splits(up.params)) &&
		onlyConsumer(up) === node;
	for (const node of logical.nodes) {
		const up =
			node.inputEdges.length === 1 ? logical.byId.get(node.inputEdges[0].from.node)! : null;
		const upGroup = up ? groupOf.get(up.id) : undefined;
		const fusable =
			upGroup &&
			upGroup.kind === 'chain' &&
			!upGroup.terminal &&
			onlyConsumer(up!) === node &&
			node.inputEdges.length === 1;
		if (node.def.step && fusable) {
			upGroup.nodes.push(node);
			groupOf.set(node.id, upGroup);
			continue;
		}
		if (fusable && node.def.kernel && node.def.acceptsSelection && node.def.outputs.length <= 1) {
			upGroup.nodes.push(node);
			upGroup.terminal = node;
			groupOf.set(node.id, upGroup);
			continue;
		}
		const splitTerminal =
			up !== null &&
			splitsFor(up, node) &&
			node.def.kernel !== undefined &&
			node.def.acceptsSelection === true &&
			node.def.outputs.length <= 1 &&
			node.def.traits.partitionable &&
			node.def.partitioned !== undefined;
		const group: Group = {
			nodes: [node],
			kind: node.def.step || splitTerminal ? 'chain' : 'node',
			terminal: splitTerminal ? node : null,
			instances: 1,
			stages: [],
			merge: null
		};
		groups.push(group);
		groupOf.set(node.id, group);
	}

	// 2. Parallelism.
	const partitionable = (g: Group) =>
		g.kind === 'chain' &&
		g.nodes.every((n) => n.def.traits.partitionable) &&
		(!g.terminal || g.terminal.def.partitioned !== undefined);
	for (const g of groups) {
		if (workers > 1 && partitionable(g)) g.instances = workers;
	}
	// A partitionable source whose only consumer is a partitioned chain runs instance for instance.
	const paired = new Set<Group>();
	for (const g of groups) {
		const n = g.nodes[0];
		if (g.kind !== 'node' || n.def.inputs.length !== 0 || !n.def.traits.partitionable) continue;
		if (n.def.splits && !n.def.splits(n.params)) continue;
		const consumer = onlyConsumer(n);
		const cg = consumer ? groupOf.get(consumer.id) : undefined;
		if (cg && cg.instances > 1 && cg.nodes[0] === consumer) {
			g.instances = cg.instances;
			paired.add(g);
		}
	}

	// 3. Stages.
	const stages: PhysicalStage[] = [];
	const origins: StageOrigin[] = [];
	const sinks = new Map<string, number>();
	let nextWorker = 0;
	const placeSingle = () => nextWorker++ % workers;
	for (const g of groups) {
		const first = g.nodes[0];
		const last = g.nodes[g.nodes.length - 1];
		for (let k = 0; k < g.instances; k++) {
			const worker = g.instances > 1 ? k % workers : placeSingle();
			const stageName = g.nodes.map((n) => n.name).join(' → ');
			let stage: PhysicalStage;
			if (g.kind === 'chain') {
				const steps = g.terminal ? g.nodes.slice(0, -1) : g.nodes;
				const params: ChainParams = {
					steps: steps.map((n): ChainStepSpec => ({
						kind: n.def.kind,
						name: n.name,
						params: n.params
					})),
					terminal: g.terminal
						? {
								kernel: nodeKernelName(g.terminal.def, g.instances > 1 ? 'partial' : 'run'),
								name: g.terminal.name,
								params: g.terminal.params,
								outputSchemas:
									g.instances > 1 ? partialSchemas(g.terminal) : g.terminal.outputSchemas
							}
						: null
				};
				stage = {
					name: stageName,
					kernel: CHAIN_KERNEL,
					params,
					inputSchemas: [first.inputSchemas[0]],
					outputSchemas: g.terminal
						? g.instances > 1
							? partialSchemas(g.terminal)
							: g.terminal.outputSchemas
						: [last.outputSchemas[0]],
					worker,
					instance: k,
					instances: g.instances
				};
			} else {
				stage = {
					name: first.name,
					kernel: nodeKernelName(first.def, 'run'),
					params: first.params,
					inputSchemas: first.inputSchemas,
					outputSchemas: first.outputSchemas,
					worker,
					instance: k,
					instances: g.instances,
					sharedUpstream: sharesUpstream(logical, first)
				};
			}
			g.stages.push(stages.length);
			stages.push(stage);
			const sink = last.def.category === 'sink' ? last.id : null;
			const conditions = first.conditions;
			origins.push({
				nodes: g.nodes.map((n) => n.id),
				sink,
				...(conditions ? { conditions } : {})
			});
			if (sink && g.instances === 1) sinks.set(sink, stages.length - 1);
		}
		if (g.instances > 1 && g.terminal?.def.partitioned) {
			g.merge = stages.length;
			stages.push({
				name: `${g.terminal.name} (merge)`,
				kernel: nodeKernelName(g.terminal.def, 'merge'),
				params: g.terminal.params,
				inputSchemas: partialSchemas(g.terminal),
				outputSchemas: g.terminal.outputSchemas,
				worker: placeSingle()
			});
			origins.push({
				nodes: [g.terminal.id],
				sink: g.terminal.def.category === 'sink' ? g.terminal.id : null
			});
			if (g.terminal.def.category === 'sink') sinks.set(g.terminal.id, g.merge);
		}
	}

	// 4. Rings: for every logical edge between groups, connect producer outputs to consumers.
	const rings: PhysicalRing[] = [];
	const edgeRings = new Map<string, number[]>();
	const outputStages = (g: Group) => (g.merge !== null ? [g.merge] : g.stages);
	let nextGroup = 0;
	const ring = (
		name: string,
		from: number,
		fromPort: number,
		to: number,
		toPort: number,
		edge: string,
		group?: number
	) => {
		edgeRings.set(edge, [...(edgeRings.get(edge) ?? []), rings.length]);
		rings.push({
			name,
			from: { stage: from, port: fromPort },
			to: { stage: to, port: toPort },
			capacity: 0,
			group
		});
	};
	for (const g of groups) {
		const first = g.nodes[0];
		first.inputEdges.forEach((edge, toPort) => {
			const up = logical.byId.get(edge.from.node)!;
			const ug = groupOf.get(up.id)!;
			const fromPort = up.def.outputs.findIndex((p) => p.name === edge.from.port);
			const name = `${up.name} → ${first.name}`;
			const producers = outputStages(ug);
			if (paired.has(ug) && producers.length === g.stages.length) {
				producers.forEach((p, k) => ring(name, p, fromPort, g.stages[k], toPort, edge.id));
				return;
			}
			// The instances of this group share one consumer group on each producer's port.
			const group = g.stages.length > 1 ? nextGroup++ : undefined;
			for (const p of producers) {
				for (const c of g.stages) ring(name, p, fromPort, c, toPort, edge.id, group);
			}
		});
		if (g.merge !== null)
			for (const s of g.stages)
				ring(`${g.terminal!.name} (partial → merge)`, s, 0, g.merge, 0, `${g.terminal!.id}:merge`);
	}
	const batchRows = chainBatchRows(options.batchRows, options.budgetBytes, groups);
	const capacity = ringCapacity(options.budgetBytes, rings.length, stages, batchRows);
	for (const r of rings) r.capacity = capacity;

	return {
		stages,
		rings,
		budgetBytes: options.budgetBytes,
		batchRows,
		integrity: options.integrity,
		origins,
		sinks,
		edgeRings
	};
}

/** Whether two input ports of `node` are fed, by any paths, from one upstream node. */
export function sharesUpstream(logical: LogicalPlan, node: LogicalNode): boolean {
	if (node.inputEdges.length < 2) return false;
	const seen = new Map<string, number>();
	for (let port = 0; port < node.inputEdges.length; port++) {
		const stack = [node.inputEdges[port].from.node];
		const mine = new Set<string>();
		while (stack.length > 0) {
			const id = stack.pop()!;
			if (mine.has(id)) continue;
			mine.add(id);
			const first = seen.get(id);
			if (first !== undefined && first !== port) return true;
			seen.set(id, port);
			for (const e of logical.byId.get(id)?.inputEdges ?? []) stack.push(e.from.node);
		}
	}
	return false;
}

/**
 * Scratch bytes every fused step may keep per row between batches: an expression's operators
 * keep their output vectors (8 bytes a row each) for the next batch, and a derive's result
 * lives until the chain's batch is written. A step adds its own `stepRowBytes` (a string
 * literal repeated per row) to this.
 */
export const STEP_SCRATCH_BYTES_PER_ROW = 32;

/**
 * Rows per batch: `batchRows`, lowered when a fused chain's steps would keep more than a
 * quarter of the budget as scratch (rows × the sum of its steps' bytes per row). Each step
 * owns its buffers, so a chain of 10,000 derives over 16,384-row batches would hold 5 GB of
 * scratch whatever the data, and a 1 MB literal over a 1,000-row batch 1 GB; smaller batches
 * keep it to the budget: memory follows the data and the budget, not chain length × rows.
 */
function chainBatchRows(batchRows: number, budgetBytes: number, groups: Group[]): number {
	let perRow = 0;
	for (const g of groups) {
		if (g.kind !== 'chain') continue;
		let bytes = 0;
		for (const n of g.terminal ? g.nodes.slice(0, -1) : g.nodes)
			bytes += STEP_SCRATCH_BYTES_PER_ROW + (n.def.stepRowBytes?.(n.params) ?? 0);
		perRow = Math.max(perRow, bytes);
	}
	const fit = Math.floor(budgetBytes / 4 / Math.max(1, perRow));
	return Math.max(MIN_BATCH_ROWS, Math.min(batchRows, fit));
}

/** Fewest rows per batch the compiler lowers a batch to. */
export const MIN_BATCH_ROWS = 8;

/** Schemas of a partitioned terminal's partial output (its merge stage's input). */
function partialSchemas(n: LogicalNode): FrameSchema[] {
	const fn = n.def.partialSchema;
	return [fn ? fn(n.inputSchemas[0], n.params) : n.outputSchemas[0]];
}

/**
 * Ring capacity: half the budget spread over the rings, in batches of about `batchRows` rows
 * of 16 bytes; a power of two from 2 to 8. A deeper queue only adds latency, and hides where a
 * run waits: a run of a few dozen batches would fit in its rings, its producers would never
 * block, and a slow stage would show no backpressure upstream.
 */
export function ringCapacity(
	budgetBytes: number,
	rings: number,
	_stages: PhysicalStage[],
	batchRows: number
): number {
	const batchBytes = Math.max(4096, batchRows * 16);
	const perRing = budgetBytes / 2 / Math.max(1, rings) / batchBytes;
	let capacity = 2;
	while (capacity * 2 <= perRing && capacity < MAX_RING_CAPACITY) capacity *= 2;
	return capacity;
}

/** Most batches a ring holds. */
export const MAX_RING_CAPACITY = 8;
