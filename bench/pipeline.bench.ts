// `npm run bench -- pipeline [--rows N] [--csv-mb N]`
//
// Case 1 — a table already in memory (10M rows: id int32, key int32 in 0..999, value float64,
// flag bool), generated before timing starts → filter `value > 0.5` → group by key: sum(value),
// count. Baselines in the same run on the same data: a hand-written single-thread typed-array
// loop, and Arquero. Ours holds the table as Arrow frames in the shared pool (that is how a
// loaded dataset lives in Sluice) and runs the compiled plan on 1 and 2 worker_threads.
//
// Case 2 — the same query over a CSV file (~200 MB). Baselines: d3-dsv csvParse and Arquero
// fromCSV, each followed by the same aggregation. Every contender reads the file inside its
// timing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import { csvParse } from 'd3-dsv';
import { compile } from '../src/lib/compiler';
import type { CompiledPlan } from '../src/lib/compiler/physical';
import { nodeKind } from '../src/lib/nodes/catalogue';
import { MemoryPool } from '../src/lib/runtime/memory/pool';
import { createNodeWorkerPool } from '../src/lib/runtime/scheduler/node-pool';
import { Run, poolOptions } from '../src/lib/runtime/scheduler/run';
import type { WorkerPool } from '../src/lib/runtime/scheduler/worker-pool';
import {
	BATCH_ROWS,
	KEYS,
	SCHEMA,
	arg,
	checkAnswer,
	handLoop,
	loadFrames,
	makeTable,
	queryDoc
} from './query-table';
import { row, type BenchRow } from './row';
import { TEST_KERNEL } from '../src/lib/runtime/scheduler/test-kernels';
import { generator } from '../src/lib/nodes/generator';
import { nodeKernelName } from '../src/lib/nodes/kernel-name';

function time<T>(fn: () => T): { ms: number; value: T } {
	const t0 = performance.now();
	const value = fn();
	return { ms: performance.now() - t0, value };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const t0 = performance.now();
	const value = await fn();
	return { ms: performance.now() - t0, value };
}

function best(runs: number[]): number {
	return Math.min(...runs);
}

async function runOurs(pool: WorkerPool, plan: CompiledPlan, memory?: MemoryPool) {
	const run = new Run(pool, plan, { memory });
	const outcome = await run.start();
	if (outcome.status !== 'done')
		throw new Error(`run ${outcome.status}: ${JSON.stringify(outcome)}`);
	return outcome.results.get(plan.sinks.get('out')!);
}

export async function run(args: string[]): Promise<BenchRow[]> {
	if (!nodeKind('group-by'))
		throw new Error("the 'group-by' node kind is not in the catalogue yet");
	const n = arg(args, '--rows', 10_000_000);
	const csvMb = arg(args, '--csv-mb', 200);
	const repeats = 3;
	const rows: BenchRow[] = [];

	// ---- Case 1: in memory ----
	console.log(`generating ${n.toLocaleString('en-US')} rows…`);
	const t = makeTable(n);
	const expected = handLoop(t.key, t.value, n);
	const hand = best(
		Array.from({ length: repeats }, () => time(() => handLoop(t.key, t.value, n)).ms)
	);
	const aqTable = aq.table({ id: t.id, key: t.key, value: t.value, flag: t.flag });
	const arquero = best(
		Array.from(
			{ length: 2 },
			() =>
				time(() =>
					aqTable
						.filter((d: { value: number }) => d.value > 0.5)
						.groupby('key')
						.rollup({ sum: aq.op.sum('value'), count: aq.op.count() })
						.numRows()
				).ms
		)
	);

	const memory = MemoryPool.create(poolOptions(1 << 30));
	const blocks = loadFrames(memory, t, n);
	const ours: Record<number, number> = {};
	for (const workers of [1, 2]) {
		const pool = createNodeWorkerPool(workers);
		try {
			await pool.worker(0).api.ping();
			const { plan, diagnostics } = compile(
				queryDoc({ id: 'src', kind: 'generator', params: { rows: n }, position: { x: 0, y: 0 } }),
				{ workers, budgetBytes: 1 << 30, batchRows: BATCH_ROWS }
			);
			if (!plan) throw new Error(diagnostics.map((d) => d.message).join('; '));
			for (const stage of plan.stages) {
				if (stage.kernel === nodeKernelName(generator, 'run')) {
					stage.kernel = TEST_KERNEL.frames;
					stage.params = { blocks };
				}
			}
			const times: number[] = [];
			for (let r = 0; r < repeats; r++) {
				const { ms, value } = await timeAsync(() => runOurs(pool, plan, memory));
				checkAnswer(value, expected, `in-memory, ${workers} worker(s)`);
				times.push(ms);
			}
			ours[workers] = best(times);
		} finally {
			await pool.shutdown();
		}
	}
	const c1 = `${(n / 1e6).toFixed(0)}M rows in memory: filter → group-by`;
	rows.push(
		row({
			case: c1,
			metric: 'time, 1 worker',
			unit: 'ms',
			ours: ours[1],
			baseline: hand,
			baselineName: 'hand-written typed-array loop',
			higherIsBetter: false
		})
	);
	rows.push(
		row({
			case: c1,
			metric: 'time, 2 workers',
			unit: 'ms',
			ours: ours[2],
			baseline: ours[1],
			baselineName: 'ours, 1 worker',
			higherIsBetter: false
		})
	);
	rows.push(
		row({
			case: c1,
			metric: 'time, best',
			unit: 'ms',
			ours: Math.min(ours[1], ours[2]),
			baseline: arquero,
			baselineName: 'Arquero',
			higherIsBetter: false
		})
	);

	// ---- Case 2: CSV ----
	if (csvMb > 0) {
		const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
		try {
			const path = join(dir, 'data.csv');
			const csvRows = Math.round((csvMb * 1e6) / 30);
			console.log(`writing a ${csvMb} MB CSV (${csvRows.toLocaleString('en-US')} rows)…`);
			const ct = makeTable(csvRows);
			const parts: string[] = ['id,key,value,flag\n'];
			for (let i = 0; i < csvRows; i++) {
				parts.push(
					`${ct.id[i]},${ct.key[i]},${ct.value[i].toFixed(9)},${ct.flag[i] ? 'true' : 'false'}\n`
				);
			}
			writeFileSync(path, parts.join(''));
			const bytes = readFileSync(path).length;
			parts.length = 0;
			const ce = (() => {
				const text = readFileSync(path, 'utf8');
				const parsed = csvParse(text);
				const key = new Int32Array(parsed.length);
				const value = new Float64Array(parsed.length);
				parsed.forEach((r, i) => {
					key[i] = Number(r.key);
					value[i] = Number(r.value);
				});
				return handLoop(key, value, parsed.length);
			})();
			const d3Once = () =>
				time(() => {
					const text = readFileSync(path, 'utf8');
					const parsed = csvParse(text);
					const sum = new Float64Array(KEYS);
					const count = new Float64Array(KEYS);
					for (const r of parsed) {
						const v = Number(r.value);
						if (v > 0.5) {
							const k = Number(r.key);
							sum[k] += v;
							count[k]++;
						}
					}
					return count;
				}).ms;
			const d3 = best([d3Once(), d3Once()]);
			const aqOnce = () =>
				time(() =>
					aq
						.fromCSV(readFileSync(path, 'utf8'))
						.filter((d: { value: number }) => d.value > 0.5)
						.groupby('key')
						.rollup({ sum: aq.op.sum('value'), count: aq.op.count() })
						.numRows()
				).ms;
			const aqCsv = best([aqOnce(), aqOnce()]);
			const csvOurs: Record<number, number> = {};
			for (const workers of [1, 2]) {
				const pool = createNodeWorkerPool(workers);
				try {
					await pool.worker(0).api.ping();
					const { plan, diagnostics } = compile(
						queryDoc({
							id: 'src',
							kind: 'csv',
							params: { source: path },
							position: { x: 0, y: 0 }
						}),
						{ workers, budgetBytes: 512 << 20, batchRows: BATCH_ROWS },
						{ datasetSchema: () => SCHEMA }
					);
					if (!plan) throw new Error(diagnostics.map((d) => d.message).join('; '));
					const times: number[] = [];
					for (let r = 0; r < repeats; r++) {
						const { ms, value } = await timeAsync(() => runOurs(pool, plan));
						checkAnswer(value, ce, `CSV, ${workers} worker(s)`);
						times.push(ms);
					}
					csvOurs[workers] = best(times);
				} finally {
					await pool.shutdown();
				}
			}
			const c2 = `${(bytes / 1e6).toFixed(0)} MB CSV: parse → filter → group-by`;
			const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
			rows.push(
				row({
					case: c2,
					metric: 'throughput, 1 worker',
					unit: 'MB/s',
					ours: mbps(csvOurs[1]),
					baseline: mbps(d3),
					baselineName: 'd3-dsv csvParse + loop',
					higherIsBetter: true
				})
			);
			rows.push(
				row({
					case: c2,
					metric: 'throughput, 2 workers',
					unit: 'MB/s',
					ours: mbps(csvOurs[2]),
					baseline: mbps(csvOurs[1]),
					baselineName: 'ours, 1 worker',
					higherIsBetter: true
				})
			);
			rows.push(
				row({
					case: c2,
					metric: 'time, best',
					unit: 'ms',
					ours: Math.min(csvOurs[1], csvOurs[2]),
					baseline: aqCsv,
					baselineName: 'Arquero fromCSV',
					higherIsBetter: false
				})
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
	return rows;
}
