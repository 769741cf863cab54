import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFallbackPool } from '../runtime/fallback/node-pool';
import { createRun, type EngineRun } from '../runtime/fallback/create-run';
import type { Transport } from '../runtime/fallback/choose';
import type { MetricsSnapshot } from '../runtime/metrics/counters';
import { mulberry32, type Prng } from '../runtime/testing/prng';
import { MiB, source, stage } from '../runtime/testing/plans';
import type { PhysicalPlan, PhysicalStage, RunOutcome } from '../runtime/scheduler/run';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { TEST_KERNEL } from '../runtime/scheduler/test-kernels';
import { nodeKernelName } from './kernel-name';
import { limit } from './limit';

// Early termination across the engine (runtime/scheduler/stage.ts, channel/ring.ts "Abandon"):
// a limit (the catalogue's kernel, as every pool worker has it) abandons its input, and the
// stop travels up to the source, over both transports. The sink checks rows in order and
// exactly once.

/**
 * A run that has not ended this long after its start is a hang: it is cancelled and fails with
 * its seed, before the 30 s test timeout. Not a speed figure: on a loaded 2-core machine, worker
 * start-up alone took 8–11 s.
 */
const DEADLINE_MS = 25_000;

const limitStage = (worker: number, rows: number, offset: number): PhysicalStage =>
	stage('limit', nodeKernelName(limit, 'run'), worker, { rows, offset });

/** Sum of x over rows offset .. offset + kept - 1 of the sequence. */
const windowSum = (offset: number, kept: number) => kept * offset + (kept * (kept - 1)) / 2;

async function finish(run: EngineRun, what: string): Promise<RunOutcome> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const hang = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			run.cancel();
			reject(new Error(`${what}: no end within ${DEADLINE_MS} ms`));
		}, DEADLINE_MS);
	});
	try {
		return await Promise.race([run.start(), hang]);
	} finally {
		clearTimeout(timer);
	}
}

function snapshotOf(run: EngineRun): MetricsSnapshot {
	return 'metricsSnapshot' in run ? run.metricsSnapshot() : run.metrics.snapshot();
}

/** A random plan: source → 0..2 pass stages → limit → verify, maybe a full branch beside. */
function randomPlan(prng: Prng, workers: number) {
	const batches = prng.int(5, 300);
	const rows = prng.int(1, 600);
	const total = batches * rows;
	const offset = prng.chance(0.3) ? 0 : prng.int(0, total + 50);
	const wanted = prng.int(0, total + 50);
	const w = () => prng.int(0, workers - 1);
	const stages: PhysicalStage[] = [source(batches, rows, w())];
	for (let i = prng.int(0, 2); i > 0; i--) stages.push(stage(`pass${i}`, TEST_KERNEL.pass, w()));
	stages.push(limitStage(w(), wanted, offset), stage('verify', TEST_KERNEL.verify, w(), {}, true));
	const capacity = () => 2 ** prng.int(1, 6);
	const rings: PhysicalPlan['rings'] = stages.slice(1).map((s, i) => ({
		name: `${stages[i].name} → ${s.name}`,
		from: { stage: i, port: 0 },
		to: { stage: i + 1, port: 0 },
		capacity: capacity()
	}));
	const fanOut = prng.chance(0.4);
	if (fanOut) {
		stages.push(stage('everything', TEST_KERNEL.verify, w(), {}, true));
		rings.push({
			name: 'source → everything',
			from: { stage: 0, port: 0 },
			to: { stage: stages.length - 1, port: 0 },
			capacity: capacity()
		});
	}
	const plan: PhysicalPlan = { stages, rings, budgetBytes: 16 * MiB, batchRows: rows };
	const kept = Math.max(0, Math.min(wanted, total - offset));
	return { plan, total, offset, kept, fanOut, sink: stages.length - (fanOut ? 2 : 1) };
}

for (const transport of ['shared', 'message'] as Transport[]) {
	describe(`early termination over ${transport === 'shared' ? 'shared memory' : 'message passing'}`, () => {
		let pool: WorkerPool;
		beforeAll(() => {
			pool = createNodeFallbackPool(3);
		});
		afterAll(async () => pool.shutdown());

		const start = (plan: PhysicalPlan) => createRun(pool, plan, {}, transport);

		it('stops a billion-row source soon after a limit of 10 has its rows', async () => {
			const capacity = 8;
			const plan: PhysicalPlan = {
				stages: [
					source(1_000_000, 1000, 0),
					stage('pass', TEST_KERNEL.pass, 1),
					limitStage(2, 10, 0),
					stage('verify', TEST_KERNEL.verify, 1, {}, true)
				],
				rings: [0, 1, 2].map((i) => ({
					name: `ring ${i}`,
					from: { stage: i, port: 0 },
					to: { stage: i + 1, port: 0 },
					capacity
				})),
				budgetBytes: 16 * MiB,
				batchRows: 1000
			};
			const run = start(plan);
			const outcome = await finish(run, 'source → pass → limit 10');
			expect(outcome.status).toBe('done');
			if (outcome.status !== 'done') return;
			expect(outcome.results.get(3)).toEqual({
				batches: 1,
				rows: 10,
				sum: windowSum(0, 10),
				outOfOrder: 0,
				corrupt: 0
			});
			// What the source made before the stop reached it: at most what the two rings on the way
			// hold, the batches in the stages' hands, and a few more (not 1 000 000 batches).
			const metrics = snapshotOf(run);
			expect(metrics.stages[0].batchesOut).toBeLessThan(3 * capacity + 10);
			expect(run.leakedBlocks()).toBe(0);
			// An abandoned edge is not a backed-up one: its fill gauge reads empty, not full.
			expect(metrics.edges[0]).toMatchObject({ occupancy: 0, capacity });
			if ('rings' in run) expect(run.rings[0].size()).toBe(0);
		});

		it('keeps feeding every row to the branch that reads everything while the limit branch stops', async () => {
			const stages = [
				source(400, 500, 0),
				limitStage(1, 25, 3),
				stage('head', TEST_KERNEL.verify, 2, {}, true),
				stage('everything', TEST_KERNEL.verify, 2, {}, true)
			];
			const ring = (from: number, to: number) => ({
				name: `${stages[from].name} → ${stages[to].name}`,
				from: { stage: from, port: 0 },
				to: { stage: to, port: 0 },
				capacity: 4
			});
			const plan: PhysicalPlan = {
				stages,
				rings: [ring(0, 1), ring(1, 2), ring(0, 3)],
				budgetBytes: 16 * MiB,
				batchRows: 500
			};
			const run = start(plan);
			const outcome = await finish(run, 'fan-out to a limit and a full reader');
			expect(outcome.status).toBe('done');
			if (outcome.status !== 'done') return;
			expect(outcome.results.get(2)).toMatchObject({ rows: 25, sum: windowSum(3, 25) });
			expect(outcome.results.get(3)).toEqual({
				batches: 400,
				rows: 200_000,
				sum: windowSum(0, 200_000),
				outOfOrder: 0,
				corrupt: 0
			});
			expect(run.leakedBlocks()).toBe(0);
		});

		const seeds = transport === 'shared' ? 14 : 8;
		it(`keeps exactly the window and the pool whole for ${seeds} random plans, ring sizes and limits`, async () => {
			for (let k = 0; k < seeds; k++) {
				const seed = 0x5eed + k * 7919 + (transport === 'shared' ? 0 : 1);
				const prng = mulberry32(seed);
				const { plan, total, offset, kept, fanOut, sink } = randomPlan(prng, pool.size);
				const run = start(plan);
				const outcome = await finish(run, `seed ${seed}`);
				expect(outcome.status, `seed ${seed}`).toBe('done');
				if (outcome.status !== 'done') return;
				expect(outcome.results.get(sink), `seed ${seed}`).toMatchObject({
					rows: kept,
					sum: windowSum(offset, kept),
					outOfOrder: 0,
					corrupt: 0
				});
				if (fanOut)
					expect(outcome.results.get(sink + 1), `seed ${seed}`).toMatchObject({
						rows: total,
						sum: windowSum(0, total),
						outOfOrder: 0
					});
				expect(run.leakedBlocks(), `seed ${seed}`).toBe(0);
			}
		});

		it('is cancelled cleanly while an abandon travels up a slow chain', async () => {
			for (let k = 0; k < 6; k++) {
				const seed = 0xca9ce1 + k;
				const prng = mulberry32(seed);
				const plan: PhysicalPlan = {
					stages: [
						source(100_000, 200, 0),
						stage('slow', TEST_KERNEL.sleep, 1, { ms: 1 }),
						stage('pass', TEST_KERNEL.pass, 2),
						limitStage(prng.int(0, 2), prng.int(0, 3000), 0),
						stage('verify', TEST_KERNEL.verify, prng.int(0, 2), {}, true)
					],
					rings: [0, 1, 2, 3].map((i) => ({
						name: `ring ${i}`,
						from: { stage: i, port: 0 },
						to: { stage: i + 1, port: 0 },
						capacity: 2 ** prng.int(1, 4)
					})),
					budgetBytes: 16 * MiB,
					batchRows: 200
				};
				const run = start(plan);
				const delay = prng.int(0, 15);
				setTimeout(() => run.cancel(), delay);
				const outcome = await finish(run, `seed ${seed}`);
				// Either the cancel came first, or the limit's stop had already ended the run.
				expect(['cancelled', 'done'], `seed ${seed}`).toContain(outcome.status);
				expect(run.leakedBlocks(), `seed ${seed}`).toBe(0);
			}
		});
	});
}
