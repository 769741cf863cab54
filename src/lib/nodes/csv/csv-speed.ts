// Micro benchmark: parse ~50 MB of `id,key,value,flag` (int32, int32, float64, bool) CSV held
// in memory, fed in 1 MiB chunks, and print MB/s beside a naive baseline measured in the same
// run: TextDecoder + text.split('\n').map(l => l.split(',')) + Number()/=== 'true' per field.
// Run: npx tsx src/lib/nodes/csv/csv-speed.ts [megabytes]

import { CsvParser } from './csv-parser';

const TARGET_MB = Number(process.argv[2] ?? 50);
const CHUNK = 1 << 20;
const RUNS = 3;

function makeCsv(targetBytes: number): Uint8Array {
	let seed = 42;
	const random = () => {
		seed = (seed * 1103515245 + 12345) >>> 0;
		return seed / 4294967296;
	};
	const parts: string[] = ['id,key,value,flag\n'];
	let bytes = parts[0].length;
	for (let id = 0; bytes < targetBytes; id++) {
		const line = `${id},${Math.floor(random() * 100000)},${(random() * 2000 - 1000).toFixed(
			Math.floor(random() * 4) + 1
		)},${random() < 0.5 ? 'true' : 'false'}\n`;
		parts.push(line);
		bytes += line.length;
	}
	return new TextEncoder().encode(parts.join(''));
}

function ours(data: Uint8Array): number {
	const parser = new CsvParser();
	let rows = 0;
	for (let at = 0; at < data.length; at += CHUNK) {
		for (const batch of parser.push(data.subarray(at, at + CHUNK))) rows += batch.length;
	}
	for (const batch of parser.finish()) rows += batch.length;
	return rows;
}

function naive(data: Uint8Array): number {
	const text = new TextDecoder().decode(data);
	const lines = text.split('\n').map((l) => l.split(','));
	let rows = 0;
	let check = 0;
	for (let i = 1; i < lines.length; i++) {
		const f = lines[i];
		if (f.length < 4) continue;
		check += Number(f[0]) + Number(f[1]) + Number(f[2]) + (f[3] === 'true' ? 1 : 0);
		rows++;
	}
	return check === check ? rows : -1;
}

function best(name: string, data: Uint8Array, run: (d: Uint8Array) => number) {
	let bestMs = Infinity;
	let rows = 0;
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		rows = run(data);
		bestMs = Math.min(bestMs, performance.now() - t0);
	}
	const mbs = data.length / 1e6 / (bestMs / 1000);
	console.log(
		`${name.padEnd(34)} ${mbs.toFixed(1).padStart(7)} MB/s  (${rows} rows, best of ${RUNS})`
	);
	return mbs;
}

const data = makeCsv(TARGET_MB * 1e6);
console.log(
	`csv: ${(data.length / 1e6).toFixed(1)} MB, id,key,value,flag, ${CHUNK >> 10} KiB chunks`
);
const ourMbs = best('CsvParser (typed columns)', data, ours);
const naiveMbs = best('naive split + Number()', data, naive);
console.log(`ratio: ${(ourMbs / naiveMbs).toFixed(2)}x`);
