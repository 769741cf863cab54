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
// so (c) peeks once at its start and then every second, and samples once or twice. Each run's answer is checked against a hand-written loop.
import { compile } from '../src/lib/compiler';
import type { CompiledPlan } from '../src/lib/compiler/physical';
import type { PipelineDocument } from '../src/lib/graph/document';
import { measureBatch, writeBatch } from '../src/lib/runtime/batch/write-batch';
import type { FrameSchema } from '../src/lib/runtime/batch/types';
import type { BatchView, ColumnView } from '../src/lib/runtime/contracts';
import { MemoryPool } from '../src/lib/runtime/memory/pool';
import { createNodeWorkerPool } from '../src/lib/runtime/scheduler/node-pool';
import { Run, poolOptions } from '../src/lib/runtime/scheduler/run';
import type { WorkerPool } from '../src/lib/runtime/scheduler/worker-pool';
import { row, type BenchRow } from './row';

const KEYS = 1000;
const BATCH_ROWS = 65_536;
const SAMPLE_MS = 250;
const PEEK_MS = 1000;
const SCHEMA: FrameSchema = {
	names: ['id', 'key', 'value', 'flag'],
	types: ['int32', 'int32', 'float64', 'bool']
};

type Mode = 'off' | 'on' | 'panel';

/** The table's frames in `pool`, and the expected count per key. */
function loadTable(pool: MemoryPool, n: number) {
	const blocks: { block: number; byteLength: number; rows: number }[] = [];
	const count = new Float64Array(KEYS);
	let s = 0x2545f491;
	for (let start = 0; start < n; start += BATCH_ROWS) {
		const rows = Math.min(BATCH_ROWS, n - start);
		const id = new Int32Array(rows);
		const key = new Int32Array(rows);
		const value = new Float64Array(rows);
		const flag = new Uint8Array(Math.ceil(rows / 8));
		for (let i = 0; i < rows; i++) {
			s ^= s << 13;
			s ^= s >>> 17;
			s ^= s << 5;
			id[i] = start + i;
			key[i] = (s >>> 0) % KEYS;
			value[i] = ((s >>> 8) & 0xffffff) / 0x1000000;
			if (s & 1) flag[i >> 3] |= 1 << (i & 7);
			if (value[i] > 0.5) count[key[i]]++;
		}
		const col = (type: ColumnView['type'], values: ColumnView['values']): ColumnView => ({
			type,
			length: rows,
			nullCount: 0,
			validity: null,
			offsets: null,
			values
		});
		const view: BatchView = {
			length: rows,
			columns: [col('int32', id), col('int32', key), col('float64', value), col('bool', flag)]
		};
		const block = pool.tryAcquire(measureBatch(view, SCHEMA));
		if (block < 0) throw new Error('bench pool too small for the table');
		const byteLength = writeBatch(
			view,
			SCHEMA,
			pool.bufferOf(block),
			pool.offsetOf(block),
			pool.capacityOf(block)
		);
		blocks.push({ block, byteLength, rows });
	}
	return { blocks, count };
}

function queryDoc(rows: number): PipelineDocument {
	const at = { x: 0, y: 0 };
	return {
		version: 1,
		id: 'bench-metrics',
		name: 'filter → group-by',
		nodes: [
			{ id: 'src', kind: 'generator', params: { rows }, position: at },
			{ id: 'flt', kind: 'filter', params: { expression: 'value > 0.5' }, position: at },
			{
				id: 'grp',
				kind: 'group-by',
				params: {
					keys: ['key'],
					aggregates: [
						{ op: 'sum', column: 'value', as: 'sum' },
						{ op: 'count', as: 'count' }
					]
				},
				position: at
			},
			{ id: 'out', kind: 'table', params: { limit: 100_000 }, position: at }
		],
		edges: [
			{ id: 'e1', from: { node: 'src', port: 'out' }, to: { node: 'flt', port: 'in' } },
			{ id: 'e2', from: { node: 'flt', port: 'out' }, to: { node: 'grp', port: 'in' } },
			{ id: 'e3', from: { node: 'grp', port: 'out' }, to: { node: 'out', port: 'in' } }
		]
	};
}

function check(result: unknown, count: Float64Array, what: string): void {
	const table = result as { schema: FrameSchema; rows: (number | null)[][] };
	const k = table.schema.names.indexOf('key');
	const c = table.schema.names.indexOf('count');
	if (table.rows.length !== KEYS) throw new Error(`${what}: ${table.rows.length} groups`);
	for (const r of table.rows) {
		if (r[c] !== count[r[k] as number]) throw new Error(`${what}: key ${r[k]} count ${r[c]}`);
	}
}

/** One timed run in `mode`; ms from start to outcome. */
async function once(
	pool: WorkerPool,
	plan: CompiledPlan,
	memory: MemoryPool,
	mode: Mode,
	count: Float64Array
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
	check(outcome.results.get(plan.sinks.get('out')!), count, mode);
	return { ms, peeks };
}

function arg(args: string[], name: string, fallback: number): number {
	const i = args.indexOf(name);
	return i >= 0 ? Number(args[i + 1]) : fallback;
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const n = arg(args, '--rows', 10_000_000);
	const repeats = arg(args, '--repeats', 10);
	const workers = arg(args, '--workers', 2);
	console.log(`loading ${n.toLocaleString('en-US')} rows into the pool…`);
	const memory = MemoryPool.create(poolOptions(1 << 30));
	const { blocks, count } = loadTable(memory, n);
	const pool = createNodeWorkerPool(workers);
	const times: Record<Mode, number[]> = { off: [], on: [], panel: [] };
	let peeks = 0;
	try {
		await pool.worker(0).api.ping();
		const { plan, diagnostics } = compile(queryDoc(n), {
			workers,
			budgetBytes: 1 << 30,
			batchRows: BATCH_ROWS
		});
		if (!plan) throw new Error(diagnostics.map((d) => d.message).join('; '));
		for (const stage of plan.stages) {
			if (stage.kernel === 'node:generator') {
				stage.kernel = 'test.frames';
				stage.params = { blocks };
			}
		}
		await once(pool, plan, memory, 'on', count); // warm-up: JIT, workers' first run
		for (let r = 0; r < repeats; r++) {
			for (const mode of ['off', 'on', 'panel'] as const) {
				const { ms, peeks: p } = await once(pool, plan, memory, mode, count);
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
