// The fast page decoder against the old path (hyparquet's values through the row builder), row
// for row, on files written by native DuckDB (@duckdb/node-api) and by hyparquet-writer: every
// physical type it reads, nulls, NaN, -0, int64 extremes, empty and non-ASCII strings, plain and
// dictionary pages, pages v1 and v2, several pages and row groups, every codec; plus a seeded
// random property test. Chunks it does not read must say so (Unsupported), never differ.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnView } from '../../runtime/contracts';
import { ColumnBuilder } from '../formats/column-build';
import { chunkRange, decodeChunk, fastReadable, Unsupported } from './page-decode';
import { PARQUET_COMPRESSORS } from './parquet-codecs';
import { PARQUET_PARSERS, parquetFrameSchema } from './parquet-types';

const text = new TextDecoder();

/** Row values of a frame column, comparable with toEqual (-0 and NaN spelled out). */
function rowsOf(col: ColumnView): unknown[] {
	const out: unknown[] = [];
	for (let r = 0; r < col.length; r++) {
		if (col.validity && !((col.validity[r >>> 3] >>> (r & 7)) & 1)) {
			out.push(null);
			continue;
		}
		if (col.type === 'utf8')
			out.push(
				text.decode(col.values.subarray(col.offsets![r], col.offsets![r + 1]) as Uint8Array)
			);
		else if (col.type === 'bool') out.push(((col.values[r >>> 3] as number) >>> (r & 7)) & 1);
		else {
			const v = col.values[r];
			out.push(Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v);
		}
	}
	return out;
}

interface Compared {
	/** Chunks the fast decoder read, and chunks it left to hyparquet. */
	fast: number;
	fallback: string[];
	groups: number;
	/** The encodings the file's column chunks say they use. */
	encodings: Set<string>;
}

/** Every row group and column of `bytes`: the fast decoder equals the old path. */
async function compare(bytes: Uint8Array): Promise<Compared> {
	const buffer = bytes.slice().buffer as ArrayBuffer;
	const metadata: FileMetaData = parquetMetadata(buffer, { parsers: PARQUET_PARSERS });
	const schema = parquetFrameSchema(metadata, 'test');
	const elements = new Map(
		parquetSchema(metadata).children.map((c) => [c.element.name, c.element])
	);
	const result: Compared = {
		fast: 0,
		fallback: [],
		groups: metadata.row_groups.length,
		encodings: new Set()
	};
	let groupStart = 0;
	for (const group of metadata.row_groups) {
		const rows = Number(group.num_rows);
		for (let c = 0; c < schema.names.length; c++) {
			const name = schema.names[c];
			const type = schema.types[c];
			const old = new ColumnBuilder(type, rows);
			await parquetRead({
				file: buffer,
				metadata,
				columns: [name],
				rowStart: groupStart,
				rowEnd: groupStart + rows,
				parsers: PARQUET_PARSERS,
				compressors: PARQUET_COMPRESSORS,
				onChunk: ({ columnData }) => {
					for (let i = 0; i < columnData.length; i++) expect(old.push(columnData[i])).toBeNull();
				}
			});
			const element = elements.get(name)!;
			const meta = group.columns.find((k) => k.meta_data?.path_in_schema[0] === name)!.meta_data!;
			for (const e of meta.encodings) result.encodings.add(e);
			if (!fastReadable(element, type)) {
				result.fallback.push(`${name}: type`);
				continue;
			}
			const [start, end] = chunkRange(meta);
			let fast: ColumnView;
			try {
				fast = decodeChunk(bytes.subarray(start, end), meta, element, type, rows);
			} catch (error) {
				if (!(error instanceof Unsupported)) throw error;
				result.fallback.push(`${name}: ${error.message}`);
				continue;
			}
			result.fast++;
			const want = old.build();
			expect(fast.length, name).toBe(rows);
			expect(fast.nullCount, name).toBe(want.nullCount);
			expect(rowsOf(fast), name).toEqual(rowsOf(want));
		}
		groupStart += rows;
	}
	return result;
}

/** Every type the fast path reads, with the awkward values, 3 000 rows. */
const TABLE = `
	select
		i::integer as i32,
		case when i % 7 = 0 then null else (i * 7919 - 5000000)::integer end as i32n,
		case i % 5 when 0 then 9223372036854775807 when 1 then -9223372036854775808
			when 2 then null else (i * 1000003)::bigint end as i64,
		case i % 6 when 0 then 'nan'::float when 1 then '-0'::float when 2 then null
			when 3 then 'inf'::float else (i / 3.0)::float end as f32,
		case i % 6 when 0 then 'nan'::double when 1 then '-0'::double when 2 then null
			when 3 then '-inf'::double else i / 7.0 end as f64,
		case when i % 9 = 0 then null else i % 3 = 0 end as flag,
		case i % 5 when 0 then '' when 1 then null when 2 then 'Zürich 北京 🎉' else 'id' || (i % 100)::varchar end as low,
		case when i % 13 = 0 then null else 'row-' || i::varchar || repeat('x', i % 40) end as high,
		case when i % 11 = 0 then null else date '1999-12-25' + (i % 900)::integer end as day
	from range(3000) t(i)`;

describe('the fast Parquet page decoder', () => {
	let dir: string;
	let db: DuckDBConnection;
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'sluice-pages-'));
		const instance = await DuckDBInstance.create(':memory:', {
			autoinstall_known_extensions: 'false',
			autoload_known_extensions: 'false'
		});
		db = await instance.connect();
	});
	afterAll(() => {
		db?.closeSync();
		rmSync(dir, { recursive: true, force: true });
	});

	async function duckdb(options: string): Promise<Uint8Array> {
		const path = join(dir, `t-${Math.random().toString(36).slice(2)}.parquet`);
		await db.run(`copy (${TABLE}) to '${path}' (format parquet, ${options})`);
		return new Uint8Array(readFileSync(path));
	}

	for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4_raw'])
		it(`equals hyparquet on DuckDB's file in ${codec}, several row groups`, async () => {
			const got = await compare(await duckdb(`compression ${codec}, row_group_size 1024`));
			expect(got.fallback).toEqual([]);
			expect(got.groups).toBeGreaterThan(1);
			expect(got.fast).toBe(9 * got.groups);
		});

	it("equals hyparquet on DuckDB's pages v2 (delta and byte-stream-split encodings)", async () => {
		const got = await compare(
			await duckdb(`compression zstd, row_group_size 1024, parquet_version v2`)
		);
		// int64 deltas and DELTA_LENGTH_BYTE_ARRAY strings are left to hyparquet.
		const left = [...new Set(got.fallback)].sort();
		expect(left).toEqual([
			'high: encoding DELTA_LENGTH_BYTE_ARRAY',
			'i64: encoding DELTA_BINARY_PACKED'
		]);
		expect(got.fast).toBe(7 * got.groups);
		expect([...got.encodings]).toEqual(
			expect.arrayContaining(['DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT', 'RLE_DICTIONARY'])
		);
	});

	it('equals hyparquet on delta-encoded ints and byte-stream-split numbers', async () => {
		const n = 3000;
		const ids = Array.from({ length: n }, (_, i) => i);
		const wide = (i: number) =>
			i % 3 === 0 ? 2 ** 31 - 1 - i : i % 3 === 1 ? -(2 ** 31) + i : i * 17;
		const buffer = parquetWriteBuffer({
			columnData: [
				{ name: 'up', type: 'INT32', data: ids, encoding: 'DELTA_BINARY_PACKED' },
				{
					name: 'wide',
					type: 'INT32',
					data: ids.map((i) => (i % 10 === 0 ? null : wide(i))),
					encoding: 'DELTA_BINARY_PACKED'
				},
				{
					name: 'f32',
					type: 'FLOAT',
					data: ids.map((i) => (i % 5 === 0 ? NaN : i % 5 === 1 ? -0 : i / 8)),
					encoding: 'BYTE_STREAM_SPLIT'
				},
				{
					name: 'f64',
					type: 'DOUBLE',
					data: ids.map((i) => (i % 6 === 0 ? null : i % 6 === 1 ? -0 : i / 3)),
					encoding: 'BYTE_STREAM_SPLIT'
				}
			],
			pageSize: 1000,
			rowGroupSize: 1000
		});
		const got = await compare(new Uint8Array(buffer));
		expect(got.fallback).toEqual([]);
		expect(got.fast).toBe(4 * 3);
		expect([...got.encodings]).toEqual(
			expect.arrayContaining(['DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT'])
		);
	});

	it('equals hyparquet on files written by hyparquet-writer, plain and dictionary', async () => {
		const n = 2500;
		const ids = Array.from({ length: n }, (_, i) => i);
		for (const encoding of [undefined, 'PLAIN'] as const) {
			const buffer = parquetWriteBuffer({
				columnData: [
					{
						name: 'i32',
						type: 'INT32',
						data: ids.map((i) => (i % 4 === 0 ? null : i - 1000)),
						encoding
					},
					{
						name: 'i64',
						type: 'INT64',
						data: ids.map((i) => (i % 3 === 0 ? -(2n ** 63n) : BigInt(i) * 2n ** 40n)),
						encoding
					},
					{
						name: 'f32',
						type: 'FLOAT',
						data: ids.map((i) => (i % 5 === 0 ? NaN : i % 5 === 1 ? -0 : i / 8)),
						encoding
					},
					{
						name: 'f64',
						type: 'DOUBLE',
						data: ids.map((i) => (i % 6 === 0 ? null : i % 6 === 1 ? -0 : i / 3)),
						encoding
					},
					{
						name: 'flag',
						type: 'BOOLEAN',
						data: ids.map((i) => (i % 7 === 0 ? null : i % 2 === 0))
					},
					{
						name: 's',
						type: 'STRING',
						data: ids.map((i) => (i % 9 === 0 ? null : i % 9 === 1 ? '' : `é${i % 30}`)),
						encoding
					},
					{
						name: 'req',
						type: 'STRING',
						nullable: false,
						data: ids.map((i) => `k${i % 3}`),
						encoding
					}
				],
				pageSize: 1000,
				rowGroupSize: 1000
			});
			const got = await compare(new Uint8Array(buffer));
			expect(got.fallback).toEqual([]);
			expect(got.groups).toBe(3);
			expect(got.fast).toBe(7 * 3);
		}
	});

	it('equals hyparquet on random columns (seeded)', async () => {
		const seed = Date.now() % 1_000_000;
		console.log(`page-decode property seed ${seed}`);
		const value = fc.oneof(fc.constant(null), fc.string({ unit: 'grapheme', maxLength: 6 }));
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.tuple(value, fc.option(fc.integer()), fc.option(fc.double())), {
					minLength: 1,
					maxLength: 400
				}),
				fc.boolean(),
				fc.integer({ min: 1, max: 300 }),
				async (rows, plain, groupRows) => {
					const encoding = plain ? ('PLAIN' as const) : undefined;
					const buffer = parquetWriteBuffer({
						columnData: [
							{ name: 's', type: 'STRING', data: rows.map((r) => r[0]), encoding },
							{ name: 'i', type: 'INT32', data: rows.map((r) => r[1]), encoding },
							{ name: 'd', type: 'DOUBLE', data: rows.map((r) => r[2]), encoding }
						],
						pageSize: 256,
						rowGroupSize: groupRows
					});
					const got = await compare(new Uint8Array(buffer));
					expect(got.fallback).toEqual([]);
				}
			),
			{ seed, numRuns: 60 }
		);
	});
});
