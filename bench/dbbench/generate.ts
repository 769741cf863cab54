// The db-benchmark G1 group-by table (h2oai/db-benchmark, _data/groupby-datagen.R) with the
// published generator's distributions, from a seeded generator instead of R's: N rows, K = 100;
// id1, id2 sample "id001".."id100"; id3 samples "id0000000001".."id<N/K, 10 digits>"; id4, id5
// sample 1..K; id6 samples 1..N/K; v1 1..5, v2 1..15; v3 uniform in [0, 100) rounded to 6
// decimals. Written once as CSV, then as Parquet by native DuckDB (its default writer: snappy,
// dictionary pages), under bench/data/dbbench/ (gitignored); later runs reuse the files.
import { DuckDBInstance } from '@duckdb/node-api';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/lib/runtime/testing/prng';

export const DATA_DIR = fileURLToPath(new URL('../data/dbbench/', import.meta.url));
export const SEED = 108; // the R generator's set.seed(108)
const K = 100;

/** Column types both engines read the files with (ints as 32-bit, as the R table has them). */
export const G1_COLUMNS: Record<string, 'VARCHAR' | 'INTEGER' | 'DOUBLE'> = {
	id1: 'VARCHAR',
	id2: 'VARCHAR',
	id3: 'VARCHAR',
	id4: 'INTEGER',
	id5: 'INTEGER',
	id6: 'INTEGER',
	v1: 'INTEGER',
	v2: 'INTEGER',
	v3: 'DOUBLE'
};

export interface G1Files {
	csv: string;
	parquet: string;
}

function writeCsv(path: string, n: number): void {
	const rng = mulberry32(SEED);
	const pick = (max: number) => 1 + Math.floor(rng.next() * max);
	const small = Array.from({ length: K }, (_, i) => `id${String(i + 1).padStart(3, '0')}`);
	const groups = Math.max(1, Math.floor(n / K));
	const tmp = `${path}.tmp`;
	const fd = openSync(tmp, 'w');
	let chunk = 'id1,id2,id3,id4,id5,id6,v1,v2,v3\n';
	for (let i = 0; i < n; i++) {
		const id3 = `id${String(pick(groups)).padStart(10, '0')}`;
		const v3 = Math.round(rng.next() * 100 * 1e6) / 1e6;
		chunk +=
			`${small[pick(K) - 1]},${small[pick(K) - 1]},${id3},${pick(K)},${pick(K)},` +
			`${pick(groups)},${pick(5)},${pick(15)},${v3}\n`;
		if (chunk.length > 1 << 20) {
			writeSync(fd, chunk);
			chunk = '';
		}
	}
	writeSync(fd, chunk);
	closeSync(fd);
	renameSync(tmp, path);
}

/** The G1 files of `n` rows in `dir`, generated on first use. */
export async function g1Files(n: number, dir = DATA_DIR): Promise<G1Files> {
	mkdirSync(dir, { recursive: true });
	const name = `G1_${n}_1e2_seed${SEED}`;
	const csv = join(dir, `${name}.csv`);
	const parquet = join(dir, `${name}.parquet`);
	if (!existsSync(csv)) {
		console.log(`generating ${csv} …`);
		writeCsv(csv, n);
	}
	if (!existsSync(parquet)) {
		console.log(`writing ${parquet} with native DuckDB …`);
		const db = await DuckDBInstance.create(':memory:');
		const conn = await db.connect();
		const tmp = `${parquet}.tmp`;
		await conn.run(`COPY (SELECT * FROM ${readCsvSql(csv)}) TO '${tmp}' (FORMAT parquet)`);
		conn.closeSync();
		renameSync(tmp, parquet);
	}
	return { csv, parquet };
}

/** DuckDB's read_csv of a G1 file with the table's column types. */
export function readCsvSql(path: string): string {
	const cols = Object.entries(G1_COLUMNS)
		.map(([name, type]) => `'${name}': '${type}'`)
		.join(', ');
	return `read_csv('${path}', header = true, columns = {${cols}})`;
}
