// The node catalogue: a table of every node kind, and nothing else. Add a kind by writing its
// file and adding it to NODE_KINDS; a kind listed twice is refused at startup.
import * as v from 'valibot';
import type { KindInfo, KindLookup } from '../graph/diagnostics';
import {
	kernelTable,
	type KernelFactory,
	type KernelName,
	type KernelTable
} from '../runtime/scheduler/kernel';
import { chart } from './chart';
import { arrowSource } from './arrow-source';
import { collect } from './collect';
import { csvSource } from './csv-source';
import { cast } from './cast';
import { derive } from './derive';
import { filter } from './filter';
import { generator } from './generator';
import { groupBy } from './group-by';
import { join } from './join';
import { jsonSource } from './json-source';
import { limit } from './limit';
import { parquetSource } from './parquet-source';
import { chainKernelFactory, type ChainStepSpec } from './kernels/chain';
import { CHAIN_KERNEL, nodeKernelName } from './kernel-name';
import { sampleDataset } from './sample-dataset';
import { sample } from './sample';
import { select } from './select';
import { slow } from './slow';
import { sort } from './sort';
import { statistics } from './statistics';
import { table } from './table';
import { topK } from './top-k';
import type { FrameSchema } from '../runtime/batch/types';
import type { InferContext, NodeDefinition } from './types';

export const NODE_KINDS: readonly NodeDefinition[] = [
	generator,
	csvSource,
	jsonSource,
	arrowSource,
	parquetSource,
	sampleDataset,
	filter,
	derive,
	select,
	cast,
	sample,
	limit,
	groupBy,
	sort,
	topK,
	join,
	table,
	statistics,
	chart,
	collect,
	slow
];

function index(kinds: readonly NodeDefinition[]): ReadonlyMap<string, NodeDefinition> {
	const byKind = new Map<string, NodeDefinition>();
	for (const def of kinds) {
		if (byKind.has(def.kind)) {
			throw new TypeError(
				`node kind '${def.kind}' is listed twice in NODE_KINDS: give one of them another kind name`
			);
		}
		byKind.set(def.kind, def);
	}
	return byKind;
}

const BY_KIND = index(NODE_KINDS);

export function nodeKind(kind: string): NodeDefinition | undefined {
	return BY_KIND.get(kind);
}

/** Params with defaults filled in, or the problems (path + message) valibot found. */
export function parseParams(
	def: NodeDefinition,
	raw: unknown
): { ok: true; params: unknown } | { ok: false; problems: { path: string; message: string }[] } {
	const result = v.safeParse(def.params, raw ?? {});
	if (result.success) return { ok: true, params: result.output };
	return {
		ok: false,
		problems: result.issues.map((issue) => ({
			path: v.getDotPath(issue) ?? '',
			message: issue.message
		}))
	};
}

/** The catalogue as the document loader sees it (ports and param validation). */
export const kindLookup: KindLookup = Object.assign(
	(kind: string): KindInfo | undefined => {
		const def = BY_KIND.get(kind);
		if (!def) return undefined;
		return {
			inputs: def.inputs.map((p) => ({ name: p.name })),
			outputs: def.outputs.map((p) => ({ name: p.name })),
			validateParams(params: unknown) {
				const parsed = parseParams(def, params);
				return parsed.ok ? [] : parsed.problems;
			}
		};
	},
	{ kinds: () => [...BY_KIND.keys()] }
);

/** A step needs no datasets: only sources read them. */
const NO_DATASETS: InferContext = { datasetSchema: () => undefined };

function makeStep(spec: ChainStepSpec, inputSchema: FrameSchema) {
	const def = BY_KIND.get(spec.kind);
	if (!def?.step) throw new Error(`node kind '${spec.kind}' cannot run in a fused chain`);
	// The compiler checked these params against this schema already; this only recomputes it.
	const inferred = def.inferSchema([inputSchema], spec.params, NO_DATASETS);
	if (!inferred.ok) throw new Error(inferred.problems[0]?.message ?? 'invalid step');
	const outputSchema = inferred.outputs[0];
	return { step: def.step({ params: spec.params, inputSchema, outputSchema }), outputSchema };
}

/** Kernels of every node kind, for the worker's kernel table. */
export function nodeKernels(): KernelTable {
	const entries: [KernelName, KernelFactory][] = [[CHAIN_KERNEL, chainKernelFactory(makeStep)]];
	for (const def of NODE_KINDS) {
		if (def.kernel) entries.push([nodeKernelName(def, 'run'), def.kernel]);
		if (def.partitioned) {
			entries.push([nodeKernelName(def, 'partial'), def.partitioned.partial]);
			entries.push([nodeKernelName(def, 'merge'), def.partitioned.merge]);
		}
	}
	return kernelTable(entries);
}
