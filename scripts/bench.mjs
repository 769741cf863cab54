// `npm run bench -- NAME [args]`: runs bench/NAME.bench.ts, prints its rows as a table and
// writes them to bench/results/NAME.json. Each row: { case, metric, unit, ours, baseline,
// baselineName, ratio, higherIsBetter } — ratio > 1 means ours is better, whatever the unit.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const [name, ...args] = process.argv.slice(2);
const available = readdirSync('bench')
	.filter((f) => f.endsWith('.bench.ts'))
	.map((f) => f.replace('.bench.ts', ''));
if (!name || !available.includes(name)) {
	console.error(`usage: npm run bench -- NAME   (one of: ${available.join(', ') || 'none yet'})`);
	process.exit(2);
}
const mod = await import(new URL(`../bench/${name}.bench.ts`, import.meta.url).href);
const rows = await mod.run(args);
const fmt = (n) =>
	typeof n !== 'number' ? String(n) : Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
const table = rows.map((r) => ({
	case: r.case,
	metric: `${r.metric} (${r.unit})`,
	ours: fmt(r.ours),
	baseline: `${fmt(r.baseline)} ${r.baselineName}`,
	ratio: `${r.ratio.toFixed(2)}×`
}));
console.table(table);
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${name}.json`, JSON.stringify(rows, null, '\t') + '\n');
console.log(`wrote bench/results/${name}.json`);
process.exit(0);
