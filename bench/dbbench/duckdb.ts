// The baselines: native DuckDB (@duckdb/node-api) querying the CSV or Parquet file directly, and
// DuckDB-WASM (@duckdb/duckdb-wasm's blocking Node build, single-threaded, as in a page without
// its pthread build) with the table loaded first. DuckDB-WASM reads Parquet through an
// extension it downloads at first use, which this machine cannot reach, so its table is loaded
// from the CSV (CREATE TABLE … AS SELECT * FROM read_csv) and then queried in memory.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { plain, type Answer } from './answer';
import { readCsvSql } from './generate';
import type { Question } from './questions';

export function fromFile(path: string, kind: 'csv' | 'parquet'): string {
	return kind === 'csv' ? readCsvSql(path) : `read_parquet('${path}')`;
}

export class NativeDuckDB {
	private constructor(private conn: DuckDBConnection) {}

	static async open(): Promise<NativeDuckDB> {
		const db = await DuckDBInstance.create(':memory:');
		return new NativeDuckDB(await db.connect());
	}

	/** Time of the query over the file, with its answer as plain columns. */
	async answer(q: Question, from: string): Promise<{ ms: number; answer: Answer }> {
		const t0 = performance.now();
		const reader = await this.conn.runAndReadAll(q.sql(from));
		const ms = performance.now() - t0;
		const cols = reader.getColumnsObjectJS();
		const answer: Answer = {};
		for (const name of q.columns) answer[name] = (cols[name] ?? []).map(plain);
		return { ms, answer };
	}

	close(): void {
		this.conn.closeSync();
	}
}

/** The parts of duckdb-wasm's blocking Node build this bench uses. */
interface WasmModule {
	createDuckDB(
		bundles: unknown,
		logger: unknown,
		runtime: unknown
	): Promise<{
		instantiate(): Promise<unknown>;
		connect(): { query(sql: string): { numRows: number } };
		registerFileURL(name: string, url: string, protocol: number, directIO: boolean): void;
		reset(): void;
	}>;
	VoidLogger: new () => unknown;
	NODE_RUNTIME: unknown;
	DuckDBDataProtocol: { NODE_FS: number };
}

export class WasmDuckDB {
	private constructor(
		private db: Awaited<ReturnType<WasmModule['createDuckDB']>>,
		private conn: { query(sql: string): { numRows: number } }
	) {}

	static async open(csv: string): Promise<WasmDuckDB> {
		const require = createRequire(import.meta.url);
		const entry = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
		const duck = require(entry) as WasmModule;
		const dist = dirname(entry);
		const bundles = {
			mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
			eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' }
		};
		const db = await duck.createDuckDB(bundles, new duck.VoidLogger(), duck.NODE_RUNTIME);
		await db.instantiate();
		db.registerFileURL('g1.csv', csv, duck.DuckDBDataProtocol.NODE_FS, false);
		return new WasmDuckDB(db, db.connect());
	}

	/** Loads the CSV into table x (replacing it); returns the milliseconds it took. */
	load(): number {
		const t0 = performance.now();
		this.conn.query('DROP TABLE IF EXISTS x');
		this.conn.query(`CREATE TABLE x AS SELECT * FROM ${readCsvSql('g1.csv')}`);
		return performance.now() - t0;
	}

	/** Milliseconds of the question over table x, its answer materialised as Arrow. */
	query(q: Question): { ms: number; rows: number } {
		const t0 = performance.now();
		const table = this.conn.query(q.sql('x'));
		return { ms: performance.now() - t0, rows: table.numRows };
	}
}
