// `npm run bench -- metrics [--rows N] [--repeats N] [--workers N]`
//
// What live metrics cost. The query of bench/pipeline.bench.ts (a 10M-row table already in the
// shared pool as Arrow frames: id int32, key int32 in 0..999, value float64, flag bool →
// filter `value > 0.5` → group by key: sum(value), count) runs on 2 worker_threads in three
// ways, interleaved round by round so machine noise hits each alike:
//   (a) counters disabled: `new Run(pool, plan, { metrics: false })` — no kernel timing, no
//       counter writes, no worker sampling (the baseline);
//   (b) counters on, nobody reading them (the default: the metrics panel closed);
//   (c) counters on and the open panel's work on the main thread: a Sampler every 250 ms
//       (snapshot, rates, bottleneck, 60 s history), every edge's and stage's sparkline series
//       read, and a peek at the first edge every second.
// Reported: rows/s of (b) and (c) against (a), best of `--repeats` runs each (medians are
// printed too); the target is a loss under 3 % (ratio ≥ 0.97). A run takes a few hundred ms,
// so (c) peeks once at its start and then every second, and samples once or twice. Each run's
// answer is checked against the hand-written loop's (sums and counts). The table, frames, query
// and check are bench/query-table.ts, shared with the pipeline bench.
import { compile } from '../src/lib/compiler';
import type { CompiledPlan } from '../src/lib/compiler/physical';
import { MemoryPool } from '../src/lib/runtime/memory/pool';
import { createNodeWorkerPool } from '../src/lib/runtime/scheduler/node-pool';
import { Run, poolOptions } from '../src/lib/runtime/scheduler/run';
import type { WorkerPool } from '../src/lib/runtime/scheduler/worker-pool';
import {
	BATCH_ROWS,
	arg,
	checkAnswer,
	handLoop,
	loadFrames,
	makeTable,
	queryDoc,
	type Answer
} from './query-table';
import { row, type BenchRow } from './row';
import { TEST_KERNEL } from '../src/lib/runtime/scheduler/test-kernels';
import { generator } from '../src/lib/nodes/generator';
import { nodeKernelName } from '../src/lib/nodes/kernel-name';

const SAMPLE_MS = 250;
const PEEK_MS = 1000;

type Mode = 'off' | 'on' | 'panel';

/** One timed run in `mode`; ms from start to outcome. */
async function once(
	pool: WorkerPool,
	plan: CompiledPlan,
	memory: MemoryPool,
	mode: Mode,
	expected: Answer
): Promise<{ ms: number; peeks: number }> {
	const run = new Run(pool, plan, { memory, metrics: mode !== 'off' });
	const timers: ReturnType<typeof setInterval>[] = [];
	let peeks = 0;
	const pending: Promise<unknown>[] = [];
	const t0 = performance.now();
	const started = run.start();
	const peek = () => {
		pending.push(run.peek(0, 100).then((p) => (peeks += p ? 1 : 0)));
	};
	if (mode === 'panel') {
		const sampler = run.sampler();
		const edges = plan.rings.length;
		const stages = plan.stages.length;
		timers.push(
			setInterval(() => {
				sampler.sample();
				// What the open panel draws: every sparkline's series.
				for (let e = 0; e < edges; e++) sampler.history('edge', e);
				for (let s = 0; s < stages; s++) sampler.history('stage', s);
				sampler.history('worker', 0);
			}, SAMPLE_MS),
			setInterval(peek, PEEK_MS)
		);
		// The panel's user peeks as soon as the run starts, then every second.
		peek();
	}
	const outcome = await started;
	const ms = performance.now() - t0;
	for (const t of timers) clearInterval(t);
	await Promise.all(pending);
	if (outcome.status !== 'done') throw new Error(`run ${outcome.status}`);
	checkAnswer(outcome.results.get(plan.sinks.get('out')!), expected, mode);
	return { ms, peeks };
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const n = arg(args, '--rows', 10_000_000);
	const repeats = arg(args, '--repeats', 10);
	const workers = arg(args, '--workers', 2);
	console.log(`loading ${n.toLocaleString('en-US')} rows into the pool…`);
	const memory = MemoryPool.create(poolOptions(1 << 30));
	const table = makeTable(n);
	const expected = handLoop(table.key, table.value, n);
	const blocks = loadFrames(memory, table, n);
	const pool = createNodeWorkerPool(workers);
	const times: Record<Mode, number[]> = { off: [], on: [], panel: [] };
	let peeks = 0;
	try {
		await pool.worker(0).api.ping();
		const source = { id: 'src', kind: 'generator', params: { rows: n }, position: { x: 0, y: 0 } };
		const { plan, diagnostics } = compile(queryDoc(source), {
			workers,
			budgetBytes: 1 << 30,
			batchRows: BATCH_ROWS
		});
		if (!plan) throw new Error(diagnostics.map((d) => d.message).join('; '));
		for (const stage of plan.stages) {
			if (stage.kernel === nodeKernelName(generator, 'run')) {
				stage.kernel = TEST_KERNEL.frames;
				stage.params = { blocks };
			}
		}
		await once(pool, plan, memory, 'on', expected); // warm-up: JIT, workers' first run
		for (let r = 0; r < repeats; r++) {
			for (const mode of ['off', 'on', 'panel'] as const) {
				const { ms, peeks: p } = await once(pool, plan, memory, mode, expected);
				times[mode].push(ms);
				if (mode === 'panel') peeks += p;
				console.log(`round ${r + 1}: ${mode.padEnd(5)} ${ms.toFixed(0)} ms`);
			}
		}
	} finally {
		await pool.shutdown();
	}
	console.log(`peeks answered during the panel runs: ${peeks}`);
	const best = {
		off: Math.min(...times.off),
		on: Math.min(...times.on),
		panel: Math.min(...times.panel)
	};
	for (const mode of ['off', 'on', 'panel'] as const) {
		const sorted = [...times[mode]].sort((a, b) => a - b);
		const median = sorted[sorted.length >> 1];
		console.log(
			`${mode.padEnd(5)} best ${best[mode].toFixed(0)} ms, median ${median.toFixed(0)} ms`
		);
	}
	const rate = (ms: number) => n / (ms / 1000);
	const c = `${(n / 1e6).toFixed(0)}M rows in memory: filter → group-by, ${workers} workers`;
	const base = { unit: 'rows/s', baseline: rate(best.off), higherIsBetter: true };
	return [
		row({
			case: c,
			metric: 'throughput, counters on (panel closed)',
			ours: rate(best.on),
			baselineName: 'counters disabled',
			...base
		}),
		row({
			case: c,
			metric: 'throughput, panel open (sampler 250 ms, series, peek 1/s)',
			ours: rate(best.panel),
			baselineName: 'counters disabled',
			...base
		})
	];
}
