// The engine self-test's checks: the scheduler's run.spec.ts suite, run in this browser's own
// worker pool, plus one check of batch frames read on the page. Each check resolves with a
// detail line (real figures: rows, sums, outcome fields) or throws saying what was wrong.
//
// Transports: the same run checks pass over shared memory and, on a page that is not
// cross-origin isolated, over message passing (runtime/fallback). A check marked
// `needsSharedMemory` is about shared memory itself and is skipped without it.
//
// Placement: the pool has n >= 2 workers; `on(k)` is worker k mod n, so with two workers the
// third stage of a chain shares worker 0 with the source. The stage that fails, hangs or dies
// is always alone on worker 1, so the failure names exactly that stage.
import { mulberry32 } from '$lib/runtime/testing/prng';
import type { PoolStats } from '$lib/runtime/contracts';
import type { Transport } from '$lib/runtime/fallback/choose';
import type { EngineRun } from '$lib/runtime/fallback/create-run';
import { FallbackRun } from '$lib/runtime/fallback/run';
import type { PhysicalPlan, RunOptions, RunOutcome } from '$lib/runtime/scheduler/run';
import type { WorkerPool } from '$lib/runtime/scheduler/worker-pool';
import { frameCheck } from './frame-check';
import { MiB, chain, count, expectEqual, expectTrue, intact, sleep, source, stage } from './plans';
import { TEST_KERNEL } from '$lib/runtime/scheduler/test-kernels';

export interface CheckContext {
	pool: WorkerPool;
	/** How the pool's runs move batches. */
	transport: Transport;
	/** A run on the pool, remembered so a check that overruns its time can be cancelled. */
	newRun(plan: PhysicalPlan, options?: RunOptions): EngineRun;
}

export interface EngineCheck {
	name: string;
	/** The check is about shared memory itself: skipped where there is none. */
	needsSharedMemory?: boolean;
	/** Resolves with a detail line on success; throws an Error saying what was wrong. */
	run(ctx: CheckContext): Promise<string>;
}

const SEED = 20261122;

function done(outcome: RunOutcome): Map<number, unknown> {
	if (outcome.status === 'done') return outcome.results;
	const why = outcome.status === 'failed' ? `: ${JSON.stringify(outcome.failure)}` : '';
	throw new Error(`run ended ${outcome.status}${why}`);
}

/** Throws, showing the whole outcome, unless the run ended with `status`. */
function expectStatus(outcome: RunOutcome, status: RunOutcome['status']): void {
	if (outcome.status === status) return;
	const { elapsedMs: _, ...rest } = outcome;
	const shown = outcome.status === 'done' ? { ...rest, results: [...outcome.results] } : rest;
	throw new Error(`expected the run to end ${status}, got ${JSON.stringify(shown)}`);
}

/**
 * The run's memory after it ended: its shared pool, or (message passing) the workers' pools
 * summed, where a block still away from its owner counts as in use.
 */
function memoryStats(run: EngineRun): PoolStats {
	if (!(run instanceof FallbackRun)) return run.memory.stats();
	const { adoptedInUse, blocksAway: _, ...stats } = run.memoryStats();
	return { ...stats, blocksInUse: stats.blocksInUse + adoptedInUse };
}

function poolWhole(run: EngineRun): void {
	const { blocksInUse, badReleases } = memoryStats(run);
	expectEqual({ blocksInUse, badReleases }, { blocksInUse: 0, badReleases: 0 }, 'pool after run');
}

/** Worker 1 answers a ping (within 2 s) from a fresh worker, not the one it replaced. */
async function replacedAndAlive(ctx: CheckContext, before: unknown): Promise<void> {
	expectTrue(ctx.pool.worker(1) !== before, 'worker 1 was not replaced');
	const pong = await Promise.race([ctx.pool.worker(1).api.ping(), sleep(2000).then(() => null)]);
	expectEqual(pong, 'pong', 'ping of the replacement worker 1');
}

export function engineChecks(workers: number): EngineCheck[] {
	const on = (k: number) => k % workers;
	return [
		{
			name: 'A chain across workers delivers every row exactly once, in order',
			async run(ctx) {
				const plan = chain([
					source(400, 1000, on(0)),
					stage('increment', TEST_KERNEL.increment, on(1)),
					stage('pass', TEST_KERNEL.pass, on(1)),
					stage('verify', TEST_KERNEL.verify, on(2), {}, true)
				]);
				plan.integrity = true;
				const run = ctx.newRun(plan);
				const results = done(await run.start());
				const want = intact(400, 1000, 1);
				expectEqual(results.get(3), want, 'verify sink');
				poolWhole(run);
				return `${count(want.rows)} rows in 400 checksummed batches, sum ${count(want.sum)}`;
			}
		},
		{
			name: 'Fan-out to 3 consumers frees each block once, after the last reader',
			async run(ctx) {
				const stages = [
					source(200, 500, on(0)),
					stage('a', TEST_KERNEL.verify, on(1), {}, true),
					stage('b', TEST_KERNEL.verify, on(2), {}, true),
					stage('c', TEST_KERNEL.sleep, on(2), { ms: 0 }, true)
				];
				const run = ctx.newRun({
					stages,
					rings: [1, 2, 3].map((to) => ({
						name: `source → ${stages[to].name}`,
						from: { stage: 0, port: 0 },
						to: { stage: to, port: 0 },
						capacity: 4
					})),
					budgetBytes: 16 * MiB,
					batchRows: 500
				});
				const results = done(await run.start());
				for (const sink of [1, 2]) expectEqual(results.get(sink), intact(200, 500), `sink ${sink}`);
				poolWhole(run);
				const carves = memoryStats(run).freshCarves;
				return `2 × 100,000 rows verified; ${carves} blocks carved for 200 batches; pool whole`;
			}
		},
		{
			name: 'A spent memory budget makes the producer wait, without deadlock',
			async run(ctx) {
				// 256 KiB holds about eight 32 KiB frames; the 1 ms-per-batch stage paces the source.
				const budget = 256 * 1024;
				const plan = chain(
					[
						source(60, 4000, on(0)),
						stage('slow', TEST_KERNEL.sleep, on(1), { ms: 1 }),
						stage('verify', TEST_KERNEL.verify, on(2), {}, true)
					],
					64,
					budget
				);
				const run = ctx.newRun(plan);
				const results = done(await run.start());
				expectEqual(results.get(2), intact(60, 4000), 'verify sink');
				const stats = memoryStats(run);
				expectTrue(stats.carvedBytes <= budget, `carved ${stats.carvedBytes} of ${budget} bytes`);
				const held = run.metrics.snapshot().stages[0].backpressuredNs / 1e6;
				// The ring (64 slots) cannot fill before memory runs out, so this wait is the budget's.
				expectTrue(held > 0, 'the source never waited: the budget was not the limit');
				poolWhole(run);
				return `240,000 rows through ${count(stats.highWaterBytes)} B peak of ${count(budget)} B; source waited ${held.toFixed(0)} ms`;
			}
		},
		{
			name: 'A kernel that throws fails the run with its stage, message and batch',
			async run(ctx) {
				const run = ctx.newRun(
					chain([
						source(1000, 100, on(0)),
						stage('boom', TEST_KERNEL.throw, on(1), { at: 37, message: 'bad value in column x' }),
						stage('verify', TEST_KERNEL.verify, on(2), {}, true)
					])
				);
				const outcome = await run.start();
				expectStatus(outcome, 'failed');
				if (outcome.status !== 'failed') return '';
				const want = { stage: 'boom', message: 'bad value in column x', seq: 37 };
				expectEqual(outcome.failure, want, 'failure');
				poolWhole(run);
				return `failed in ${outcome.elapsedMs.toFixed(0)} ms: ${JSON.stringify(outcome.failure)}`;
			}
		},
		{
			name: 'Cancel reaches a producer blocked on a full ring within 1 s',
			async run(ctx) {
				const run = ctx.newRun(
					chain(
						[source(1000, 100, on(0)), stage('slow', TEST_KERNEL.sleep, on(1), { ms: 200 }, true)],
						2
					)
				);
				const ended = run.start();
				await sleep(300);
				const t0 = performance.now();
				run.cancel();
				const outcome = await ended;
				const ms = performance.now() - t0;
				expectStatus(outcome, 'cancelled');
				expectTrue(ms < 1000, `cancel took ${ms.toFixed(0)} ms`);
				poolWhole(run);
				return `cancelled in ${ms.toFixed(0)} ms; pool whole`;
			}
		},
		{
			name: 'A hung worker is replaced after the cancel deadline; the pool stays usable',
			async run(ctx) {
				const before = ctx.pool.worker(1);
				const run = ctx.newRun(
					chain([
						source(100, 100, on(0)),
						stage('stuck', TEST_KERNEL.hang, 1, { at: 3 }),
						stage('verify', TEST_KERNEL.verify, on(2), {}, true)
					]),
					{ cancelDeadlineMs: 300 }
				);
				const ended = run.start();
				await sleep(200);
				run.cancel();
				expectStatus(await ended, 'cancelled');
				await replacedAndAlive(ctx, before);
				const again = ctx.newRun(
					chain([source(10, 100, 1), stage('verify', TEST_KERNEL.verify, on(2), {}, true)])
				);
				expectEqual(done(await again.start()).get(1), intact(10, 100), 'next run on worker 1');
				return 'worker 1 replaced; a following run on it verified 1,000 rows';
			}
		},
		{
			name: 'A worker that closes itself fails the run naming its stage, and is replaced',
			async run(ctx) {
				const before = ctx.pool.worker(1);
				const run = ctx.newRun(
					chain([
						source(100, 100, on(0)),
						stage('exit', TEST_KERNEL.exit, 1, { at: 2 }),
						stage('verify', TEST_KERNEL.verify, on(2), {}, true)
					])
				);
				const outcome = await run.start();
				expectStatus(outcome, 'failed');
				if (outcome.status !== 'failed') return '';
				expectEqual(outcome.failure.stage, 'exit', 'failed stage');
				expectTrue(
					/worker 1 died/.test(outcome.failure.message),
					`failure message "${outcome.failure.message}" does not say worker 1 died`
				);
				await replacedAndAlive(ctx, before);
				return `noticed in ${outcome.elapsedMs.toFixed(0)} ms: ${outcome.failure.message}`;
			}
		},
		{
			name: `Random placements, ring sizes and batch sizes deliver every row (seed ${SEED})`,
			async run(ctx) {
				const random = mulberry32(SEED).next;
				let rows = 0;
				for (let trial = 0; trial < 12; trial++) {
					const batches = 1 + Math.floor(random() * 300);
					const perBatch = 1 + Math.floor(random() * 3000);
					const capacity = 2 ** (1 + Math.floor(random() * 6));
					const w = () => Math.floor(random() * ctx.pool.size);
					const plan = chain(
						[
							source(batches, perBatch, w()),
							stage('increment', TEST_KERNEL.increment, w()),
							stage('pass', TEST_KERNEL.pass, w()),
							stage('verify', TEST_KERNEL.verify, w(), {}, true)
						],
						capacity,
						(1 + Math.floor(random() * 8)) * MiB
					);
					plan.integrity = true;
					const run = ctx.newRun(plan);
					const where = `seed ${SEED} trial ${trial}`;
					let results: Map<number, unknown>;
					try {
						results = done(await run.start());
					} catch (error) {
						throw new Error(`${where}: ${error instanceof Error ? error.message : error}`, {
							cause: error
						});
					}
					expectEqual(results.get(3), intact(batches, perBatch, 1), `${where} verify sink`);
					poolWhole(run);
					rows += batches * perBatch;
				}
				return `12 plans, ${count(rows)} rows, all checksummed, in order, pool whole`;
			}
		},
		frameCheck
	];
}
