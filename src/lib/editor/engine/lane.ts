// One run at a time on a worker pool: previews and full runs queue here, first come first
// served. Two runs sharing a worker would each park it in the other's way (a host blocks its
// thread while its stages wait), so the editor never starts a run before the last one ended.
import type { EngineRun } from '../../runtime/fallback/create-run';
import type { PhysicalPlan } from '../../runtime/scheduler/run';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';

/** How a plan becomes a run: createRun (which picks the transport) unless a test injects one. */
export type RunFactory = (pool: WorkerPool, plan: PhysicalPlan) => EngineRun;

export class RunLane {
	#tail: Promise<void> = Promise.resolve();

	/** Waits for every earlier holder to release; returns the release function (idempotent). */
	async acquire(): Promise<() => void> {
		const earlier = this.#tail;
		let release!: () => void;
		this.#tail = new Promise<void>((resolve) => (release = resolve));
		await earlier;
		return release;
	}
}
