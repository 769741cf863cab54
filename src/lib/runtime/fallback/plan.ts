// How a physical plan is laid out for a fallback run: each worker's share of the memory budget.
// (Each stage's rings are scheduler/run.ts's `stageSpec`, shared by both transports.)
import { poolOptions, type PhysicalPlan } from '../scheduler/run';
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
