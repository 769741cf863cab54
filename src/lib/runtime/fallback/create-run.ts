// Picks the transport for a run: shared memory when the page has it, message passing when not
// (see choose.ts). Both runs have the same start/cancel/leakedBlocks/topology/sampler.
import { Run, type PhysicalPlan, type RunOptions } from '../scheduler/run';
import type { WorkerPool } from '../scheduler/worker-pool';
import { chooseTransport, type Transport } from './choose';
import { FallbackRun } from './run';

export type EngineRun = Run | FallbackRun;

/**
 * A run over `transport` (by default the one this page can use). For 'message' the pool's
 * workers must run `src/workers/fallback-host.ts`, which hosts both transports.
 */
export function createRun(
	workers: WorkerPool,
	plan: PhysicalPlan,
	options: RunOptions = {},
	transport: Transport = chooseTransport()
): EngineRun {
	return transport === 'shared'
		? new Run(workers, plan, options)
		: new FallbackRun(workers, plan, { cancelDeadlineMs: options.cancelDeadlineMs });
}
