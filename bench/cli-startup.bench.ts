// `npm run bench -- cli-startup [--reps N]`
//
// Wall time of `sluice run` on a 200-row CSV (the cities sample's first 200 rows → filter →
// group by continent → table), each run a fresh process, as a user types it: the compiled
// command (bin/sluice.mjs with its build in dist-cli/) and, for the record, the same command
// run from its TypeScript sources through tsx (what bin/sluice.mjs did before). Baseline in the
// same run, interleaved: a fresh Node process that opens native DuckDB (@duckdb/node-api), reads
// the same CSV and runs the same query. Median of --reps (default 7) runs of each.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg } from './query-table';
import { row, type BenchRow } from './row';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIR = join(ROOT, 'bench/data/cli-startup');
const ROWS = 200;

/** Milliseconds the command took, from spawn to exit; throws with its output if it failed. */
function wallMs(args: string[]): number {
	const t0 = performance.now();
	const ran = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
	const ms = performance.now() - t0;
	if (ran.status !== 0) throw new Error(`${args.join(' ')} exited ${ran.status}: ${ran.stderr}`);
	return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function fixtures() {
	mkdirSync(DIR, { recursive: true });
	const csv = join(DIR, 'cities-200.csv');
	const lines = readFileSync(join(ROOT, 'static/samples/cities.csv'), 'utf8').split('\n');
	writeFileSync(csv, lines.slice(0, ROWS + 1).join('\n') + '\n');
	const doc = JSON.parse(readFileSync(join(ROOT, 'static/examples/csv-filter-group.json'), 'utf8'));
	doc.nodes[0].params.source = csv;
	const pipeline = join(DIR, 'pipeline.json');
	writeFileSync(pipeline, JSON.stringify(doc));
	// The old start-up: tsx registered, then the TypeScript sources.
	const fromSource = join(DIR, 'from-source.mjs');
	writeFileSync(
		fromSource,
		`import { register } from 'tsx/esm/api';\nregister();\n` +
			`const { main } = await import(${JSON.stringify(join(ROOT, 'src/cli/main.ts'))});\n` +
			`process.exitCode = await main(process.argv.slice(2));\n`
	);
	const duck = join(DIR, 'duckdb.mjs');
	writeFileSync(
		duck,
		`import { DuckDBInstance } from '@duckdb/node-api';\n` +
			`const db = await DuckDBInstance.create(':memory:');\n` +
			`const c = await db.connect();\n` +
			`const r = await c.runAndReadAll(\`SELECT continent, count(*) AS cities, sum(population) AS people, ` +
			`avg(area_km2) AS mean_area_km2 FROM read_csv('${csv}') WHERE population > 1000000 GROUP BY continent\`);\n` +
			`if (r.getRows().length === 0) process.exit(1);\n`
	);
	return { pipeline, fromSource, duck };
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const reps = arg(args, '--reps', 7);
	const { pipeline, fromSource, duck } = fixtures();
	const bin = join(ROOT, 'bin/sluice.mjs');
	const runArgs = ['run', pipeline, '--quiet', '--workers', '2'];
	// Once untimed: builds dist-cli/ if a source is newer than the build.
	wallMs([bin, ...runArgs]);
	const compiled: number[] = [];
	const source: number[] = [];
	const native: number[] = [];
	for (let i = 0; i < reps; i++) {
		compiled.push(wallMs([bin, ...runArgs]));
		source.push(wallMs([fromSource, ...runArgs]));
		native.push(wallMs([duck]));
	}
	const bare = median(Array.from({ length: reps }, () => wallMs(['-e', '0'])));
	console.log(`node -e 0 (a bare Node start) on this machine now: ${bare.toFixed(0)} ms`);
	const caseName = `sluice run, ${ROWS}-row CSV → filter → group-by, fresh process`;
	return [
		row({
			case: caseName,
			metric: 'wall time, compiled command',
			unit: 'ms',
			ours: median(compiled),
			baseline: median(native),
			baselineName: 'native DuckDB (@duckdb/node-api) in a fresh Node process',
			higherIsBetter: false
		}),
		row({
			case: caseName,
			metric: 'wall time, compiled command',
			unit: 'ms',
			ours: median(compiled),
			baseline: median(source),
			baselineName: 'ours from TypeScript sources (tsx, the old start-up)',
			higherIsBetter: false
		})
	];
}
