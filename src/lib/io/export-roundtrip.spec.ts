// Every export format read back by our own sources, through the real engine (two Node
// workers): for every column type, with nulls, the values that come out are the values that
// went in (int64 and uint64 exact, dates as days, timestamps as milliseconds), including every
// type's edge values (EDGES): limits, NaN, ±Infinity, −0, null-looking strings, far dates.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnType } from '../runtime/contracts';
import { COLUMN_TYPES, type FrameSchema } from '../runtime/batch/types';
import { valueAt } from '../runtime/batch/values';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32, type Prng } from '../runtime/testing/prng';
import { DatasetRegistry, probeDocumentDatasets } from '../nodes/datasets';
import { BatchBuilder } from '../nodes/formats/column-build';
import { line, results } from '../nodes/pipeline-fixtures.spec-support';
import { exportResult, type ExportFormat } from './export';
import { exportInputOf, type ExportInput } from './export-input';

const SEED = 7_2024;
const ROWS = 3000;
const TEXTS = ['plain', 'with, comma', 'say "hi"', 'two\nlines', 'ünïcödé ✓', '', ' padded '];

/**
 * The values at each type's edges: limits, NaN, ±Infinity, −0, subnormals, strings a reader
 * could take for null, a number or a date, dates and times far from the epoch on both sides.
 */
const EDGES: Record<ColumnType, readonly unknown[]> = {
	int8: [-128, 127, 0, -1],
	int16: [-32768, 32767],
	int32: [-2147483648, 2147483647],
	int64: [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 0n],
	uint8: [0, 255],
	uint16: [0, 65535],
	uint32: [0, 4294967295],
	uint64: [0n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n],
	float32: [NaN, Infinity, -Infinity, -0, Math.fround(1e-45), Math.fround(3.4e38)],
	float64: [NaN, Infinity, -Infinity, -0, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1 + 0.2],
	bool: [true, false],
	utf8: ['NA', 'null', 'N/A', 'NaN', 'nan', 'NULL', '', ' ', '1e5', '-0', '2001-01-01', 'true'],
	// 0001-01-01, 9999-12-31, and years ±12000 and −44, the day before the epoch
	date32: [-719162, 2932896, 3663314, -5103830, -735614, -1, 0],
	// ±8.64e15 ms is the whole range of a JS Date; the millisecond before the epoch
	timestamp: [-8_640_000_000_000_000n, 8_640_000_000_000_000n, -1n, -62135596800001n, 0n]
};

function valueOf(type: ColumnType, prng: Prng): unknown {
	if (prng.chance(0.05)) return prng.pick(EDGES[type]);
	switch (type) {
		case 'int8':
			return prng.int(-128, 127);
		case 'int16':
			return prng.int(-32768, 32767);
		case 'int32':
			return prng.int(-2147483648, 2147483647);
		case 'int64':
			return BigInt(prng.int(-1e9, 1e9)) * 9_000_000_001n;
		case 'uint8':
			return prng.int(0, 255);
		case 'uint16':
			return prng.int(0, 65535);
		case 'uint32':
			return prng.int(0, 4294967295);
		case 'uint64':
			return BigInt(prng.int(0, 1e9)) * 18_000_000_001n;
		case 'float32':
			return Math.fround(prng.int(-1e6, 1e6) / 64);
		case 'float64':
			return prng.int(-1e9, 1e9) / 1000;
		case 'bool':
			return prng.chance(0.5);
		case 'utf8':
			return prng.chance(0.5) ? prng.pick(TEXTS) : `text_${prng.int(0, 1e6)}`;
		case 'date32':
			return prng.int(-3650, 30000);
		case 'timestamp':
			return BigInt(prng.int(-1e12, 4e12));
	}
}

const SCHEMA: FrameSchema = { names: COLUMN_TYPES.map((t) => `c_${t}`), types: [...COLUMN_TYPES] };

function makeRows(seed: number): unknown[][] {
	const prng = mulberry32(seed);
	return Array.from({ length: ROWS }, () =>
		SCHEMA.types.map((t) => (prng.chance(0.1) ? null : valueOf(t, prng)))
	);
}

function inputOf(rows: unknown[][], batchRows = 700): ExportInput {
	const batches = [];
	for (let at = 0; at < rows.length; at += batchRows) {
		const b = new BatchBuilder(SCHEMA, Math.min(batchRows, rows.length - at));
		for (const row of rows.slice(at, at + batchRows))
			row.forEach((v, c) => expect(b.columns[c].push(v)).toBeNull());
		batches.push(b.take());
	}
	return { schema: SCHEMA, batches };
}

async function bytesOf(chunks: AsyncGenerator<Uint8Array>): Promise<Buffer> {
	const parts: Uint8Array[] = [];
	for await (const chunk of chunks) parts.push(chunk);
	return Buffer.concat(parts);
}

/** The rows of a collect result, as valueAt gives them. */
function rowsOf(result: unknown): unknown[][] {
	const input = exportInputOf(result);
	const rows: unknown[][] = [];
	for (const batch of input.batches as Iterable<import('../runtime/contracts').BatchView>)
		for (let r = 0; r < batch.length; r++) rows.push(batch.columns.map((c) => valueAt(c, r)));
	return rows;
}

const SOURCE_KIND: Record<ExportFormat, string> = {
	csv: 'csv',
	arrow: 'arrow',
	parquet: 'parquet'
};
const FILE: Record<ExportFormat, string> = {
	csv: 'out.csv',
	arrow: 'out.arrow',
	parquet: 'out.parquet'
};

describe('exports read back by the sources', () => {
	let pool: WorkerPool;
	let dir: string;
	const rows = makeRows(SEED);

	beforeAll(() => {
		pool = createNodeWorkerPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-io-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	for (const format of ['csv', 'arrow', 'parquet'] as const) {
		it(`gives back every type with nulls through ${format}`, async () => {
			const path = join(dir, FILE[format]);
			const options = format === 'parquet' ? { rowGroupRows: 1000 } : {};
			writeFileSync(path, await bytesOf(exportResult(format, inputOf(rows), options)));
			// CSV carries no types: the test names them, as a user would with `types`.
			const params: Record<string, unknown> = { source: path };
			if (format === 'csv')
				params.types = Object.fromEntries(SCHEMA.names.map((n, i) => [n, SCHEMA.types[i]]));
			const doc = line(
				{ id: 'src', kind: SOURCE_KIND[format], params },
				{ id: 'out', kind: 'collect' }
			);
			const registry = new DatasetRegistry();
			expect(await probeDocumentDatasets(doc, registry)).toEqual([]);
			const out = await results(doc, pool, { ctx: registry, batchRows: 512 });
			const back = rowsOf(out.get('out'));
			expect(back.length, `seed ${SEED}`).toBe(rows.length);
			SCHEMA.names.forEach((name, c) => {
				expect(
					back.map((r) => r[c]),
					`${format} column ${name}, seed ${SEED}`
				).toEqual(rows.map((r) => (r[c] === '' && format === 'csv' ? '' : r[c])));
			});
		});
	}
});
