// Micro benchmark: parse ~50 MB of `id,key,value,flag` (int32, int32, float64, bool) CSV held
// in memory, fed in 1 MiB chunks, and print MB/s beside a naive baseline measured in the same
// run: TextDecoder + text.split('\n').map(l => l.split(',')) + Number()/=== 'true' per field.
// Both figures are printed per wall-clock second and per second of this process's CPU time
// (the latter is the one-core figure when other processes share the machine).
// Run: npx tsx src/lib/nodes/csv/csv-speed.ts [megabytes]

import { CsvParser } from './csv-parser';

const TARGET_MB = Number(process.argv[2] ?? 50);
const CHUNK = 1 << 20;
const RUNS = 5;

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

interface Figure {
	wallMbs: number;
	cpuMbs: number;
	rows: number;
}

/** Best wall-clock and best CPU-time throughput over RUNS runs. */
function measure(data: Uint8Array, run: (d: Uint8Array) => number, figure: Figure): void {
	const t0 = performance.now();
	const cpu0 = process.cpuUsage();
	figure.rows = run(data);
	const cpu = process.cpuUsage(cpu0);
	const mb = data.length / 1e6;
	figure.wallMbs = Math.max(figure.wallMbs, mb / ((performance.now() - t0) / 1000));
	figure.cpuMbs = Math.max(figure.cpuMbs, mb / ((cpu.user + cpu.system) / 1e6));
}

function print(name: string, f: Figure): void {
	const wall = f.wallMbs.toFixed(1).padStart(7);
	const cpu = f.cpuMbs.toFixed(1).padStart(7);
	console.log(`${name.padEnd(28)} ${wall} MB/s wall ${cpu} MB/s cpu  (${f.rows} rows)`);
}

const data = makeCsv(TARGET_MB * 1e6);
const mb = (data.length / 1e6).toFixed(1);
console.log(`csv: ${mb} MB of id,key,value,flag in ${CHUNK >> 10} KiB chunks, best of ${RUNS}`);
const ourFigure: Figure = { wallMbs: 0, cpuMbs: 0, rows: 0 };
const naiveFigure: Figure = { wallMbs: 0, cpuMbs: 0, rows: 0 };
for (let i = 0; i < RUNS; i++) {
	// Interleaved, so a noisy neighbour slows both alike.
	measure(data, ours, ourFigure);
	measure(data, naive, naiveFigure);
}
print('CsvParser (typed columns)', ourFigure);
print('naive split + Number()', naiveFigure);
const ratio = (ourFigure.wallMbs / naiveFigure.wallMbs).toFixed(2);
console.log(`ratio (wall): ${ratio}x`);
