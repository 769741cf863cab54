// The page decompressors the Parquet reader hands hyparquet, beyond the two it has itself
// (UNCOMPRESSED and a pure-JS SNAPPY): GZIP, BROTLI, ZSTD, LZ4 (Hadoop framing or bare blocks)
// and LZ4_RAW — every codec pyarrow, DuckDB, Spark, polars and parquet-mr write. LZO is not
// written by any of them by default and is refused by hyparquet with its codec's name.
//
// Pure JavaScript, the same in the page, in pool workers and in Node: hyparquet-compressors'
// GZIP, BROTLI and LZ4 files and fzstd (the ZSTD decoder hyparquet-compressors itself uses).
// They are imported file by file, not through the package's index: its index also builds a WASM
// SNAPPY decoder when imported (`new WebAssembly.Module`), which the app's Content-Security-
// Policy refuses (script-src 'self', no 'wasm-unsafe-eval'; security-headers.js) — and
// hyparquet's own SNAPPY needs no WASM. No eval, no WASM: the CSP stays as it is.
import type { Compressors } from 'hyparquet';
import { decompress as zstd } from 'fzstd';
import { decompressBrotli } from 'hyparquet-compressors/src/brotli.js';
import { gunzip } from 'hyparquet-compressors/src/gzip.js';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';

export const PARQUET_COMPRESSORS: Compressors = {
	GZIP: (input, length) => gunzip(input, new Uint8Array(length)),
	BROTLI: decompressBrotli,
	ZSTD: (input, length) => zstd(input, new Uint8Array(length)),
	LZ4: decompressLz4,
	LZ4_RAW: decompressLz4Raw
};
