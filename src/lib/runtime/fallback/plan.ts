// How a physical plan is laid out for a fallback run: each stage's rings (as scheduler/run.ts
// builds them) and each worker's share of the memory budget.
import { poolOptions, type PhysicalPlan, type PhysicalStage } from '../scheduler/run';
import type { StageSpec } from '../scheduler/spec';
import type { LocalPoolOptions } from './local-pool';

export const MIN_BLOCK_BYTES = 4096;

/**
 * Each worker hosting a stage with an output port (one that may allocate) gets an equal share of
 * the budget; workers hosting only sinks get none. The largest block is the shared run's (a
 * quarter of the budget, 64 KiB to 16 MiB), or smaller to fit the share.
 */
export function splitBudget(plan: PhysicalPlan): Map<number, LocalPoolOptions> {
	const producers = [
		...new Set(plan.stages.filter((s) => s.outputSchemas.length > 0).map((s) => s.worker))
	];
	const shares = new Map<number, LocalPoolOptions>();
	if (producers.length === 0) return shares;
	const budgetBytes = Math.floor(plan.budgetBytes / producers.length);
	let { maxBlockBytes } = poolOptions(plan.budgetBytes);
	while (maxBlockBytes > budgetBytes && maxBlockBytes > MIN_BLOCK_BYTES) maxBlockBytes /= 2;
	if (budgetBytes < maxBlockBytes) {
		throw new RangeError(
			`budget must leave each of ${producers.length} producing workers at least ${MIN_BLOCK_BYTES} bytes`
		);
	}
	for (const w of producers) shares.set(w, { budgetBytes, maxBlockBytes });
	return shares;
}

/** The StageSpec of stage `index`, as scheduler/run.ts builds it. */
export function stageSpec(plan: PhysicalPlan, s: PhysicalStage, index: number): StageSpec {
	const inputs: { ring: number; port: number }[] = [];
	const outputs: number[][] = s.outputSchemas.map(() => []);
	plan.rings.forEach((r, i) => {
		if (r.to.stage === index) inputs.push({ ring: i, port: r.to.port });
		if (r.from.stage === index) {
			if (!outputs[r.from.port]) {
				throw new RangeError(
					`ring '${r.name}' leaves stage '${s.name}' by missing port ${r.from.port}`
				);
			}
			outputs[r.from.port].push(i);
		}
	});
	return {
		index,
		name: s.name,
		kernel: s.kernel,
		params: s.params,
		inputs,
		outputs,
		outputModes: s.outputSchemas.map((_, i) => s.outputModes?.[i] ?? 'broadcast'),
		inputSchemas: s.inputSchemas,
		outputSchemas: s.outputSchemas,
		worker: s.worker,
		instance: s.instance ?? 0,
		instances: s.instances ?? 1
	};
}
