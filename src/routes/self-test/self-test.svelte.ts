// The self-test's state: runs the engine checks one after another in a fresh worker pool and
// keeps each check's status, duration and detail for the page to render.
//
// Transport: chosen as a real run's is (fallback/choose.ts). On a page that is not cross-origin
// isolated the pool's workers are fallback hosts and every run goes over message passing;
// checks that need shared memory itself are skipped.
import { chooseTransport, transportNotice, type Transport } from '$lib/runtime/fallback/choose';
import { createRun, type EngineRun } from '$lib/runtime/fallback/create-run';
import { defaultPoolSize } from '$lib/runtime/pool-size';
import { createBrowserWorkerPool } from '$lib/runtime/scheduler/browser-pool';
import type { WorkerPool } from '$lib/runtime/scheduler/worker-pool';
import { engineChecks, type CheckContext } from './checks';

export type CheckStatus = 'waiting' | 'running' | 'passed' | 'failed' | 'skipped';

export interface CheckRow {
	name: string;
	status: CheckStatus;
	/** Wall time of the check, once it ended. */
	ms: number | null;
	detail: string;
}

/** A check still running after this long fails, its runs are cancelled and the pool renewed. */
const CHECK_TIMEOUT_MS = 20_000;
/** The detail of a check skipped for want of shared memory. */
export const SKIPPED_DETAIL = 'skipped: needs shared memory';

export class SelfTest {
	rows = $state.raw<CheckRow[]>([]);
	running = $state(false);
	readonly cores: number;
	readonly workers: number;
	readonly isolated: boolean;
	readonly transport: Transport;
	/** What the page tells the user about message passing, or null with shared memory. */
	readonly notice: string | null;
	#pool: WorkerPool | null = null;
	#disposed = false;

	passed = $derived(this.rows.filter((r) => r.status === 'passed').length);
	failed = $derived(this.rows.filter((r) => r.status === 'failed').length);
	skipped = $derived(this.rows.filter((r) => r.status === 'skipped').length);
	finished = $derived(
		this.rows.length > 0 && !this.running && this.rows.every((r) => r.status !== 'waiting')
	);

	constructor() {
		this.cores = navigator.hardwareConcurrency || 1;
		this.workers = Math.max(2, defaultPoolSize(this.cores, 'browser'));
		this.isolated = globalThis.crossOriginIsolated === true;
		this.transport = chooseTransport();
		this.notice = transportNotice(this.transport);
	}

	async start(): Promise<void> {
		if (this.running || this.#disposed) return;
		const checks = engineChecks(this.workers);
		const transport = this.transport;
		this.rows = checks.map((c) => ({ name: c.name, status: 'waiting', ms: null, detail: '' }));
		this.running = true;
		const pool = createBrowserWorkerPool(this.workers, { transport });
		this.#pool = pool;
		try {
			for (let i = 0; i < checks.length && !this.#disposed; i++) {
				if (checks[i].needsSharedMemory && transport !== 'shared') {
					this.#update(i, { status: 'skipped', detail: SKIPPED_DETAIL });
					continue;
				}
				this.#update(i, { status: 'running' });
				const runs: EngineRun[] = [];
				const ctx: CheckContext = {
					pool,
					transport,
					newRun(plan, options) {
						const run = createRun(pool, plan, options, transport);
						runs.push(run);
						return run;
					}
				};
				const t0 = performance.now();
				let timer: ReturnType<typeof setTimeout> | undefined;
				const overrun = new Promise<never>((_, reject) => {
					timer = setTimeout(
						() => reject(new Error(`did not finish within ${CHECK_TIMEOUT_MS / 1000} s`)),
						CHECK_TIMEOUT_MS
					);
				});
				try {
					const detail = await Promise.race([checks[i].run(ctx), overrun]);
					this.#update(i, { status: 'passed', ms: performance.now() - t0, detail });
				} catch (error) {
					const detail = error instanceof Error ? error.message : String(error);
					this.#update(i, { status: 'failed', ms: performance.now() - t0, detail });
					// Leave the next check a clean pool: stop this check's runs, renew every worker.
					for (const run of runs) run.cancel();
					await Promise.all(Array.from({ length: pool.size }, (_, w) => pool.replace(w)));
				} finally {
					clearTimeout(timer);
				}
			}
		} finally {
			this.running = false;
			this.#pool = null;
			await pool.shutdown();
		}
	}

	/** Stops after the current check and ends the workers (the page is going away). */
	dispose(): void {
		this.#disposed = true;
		void this.#pool?.shutdown();
	}

	#update(index: number, change: Partial<CheckRow>): void {
		this.rows = this.rows.map((r, i) => (i === index ? { ...r, ...change } : r));
	}
}
