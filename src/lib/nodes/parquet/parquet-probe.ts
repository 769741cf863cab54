// The schema of a Parquet source (main thread, before compiling): its footer only. `onBytes`
// hears the bytes read so far after each range (a large file's footer comes by Range requests).
import { parquetMetadataAsync, type AsyncBuffer } from 'hyparquet';
import type { FrameSchema } from '../../runtime/batch/types';
import { decoderReason } from '../formats/decoder-reason';
import { untrusted } from '../formats/untrusted-text';
import { locateSource } from '../kernels/source-locate';
import { openRangeBuffer, type RangeBuffer } from './parquet-buffer';
import { PARQUET_PARSERS, parquetFrameSchema, parquetMessages } from './parquet-types';

function reporting(buffer: RangeBuffer, onBytes: (read: number) => void): AsyncBuffer {
	return {
		byteLength: buffer.byteLength,
		slice(start: number, end?: number) {
			const got = buffer.slice(start, end);
			const note = (bytes: ArrayBuffer) => {
				onBytes(buffer.bytesRead);
				return bytes;
			};
			return got instanceof Promise ? got.then(note) : note(got);
		}
	};
}

export async function probeParquetSchema(
	source: string,
	onBytes?: (read: number) => void
): Promise<FrameSchema> {
	const buffer = await openRangeBuffer(locateSource(source));
	try {
		if (buffer.byteLength === 0) throw new Error(parquetMessages.empty(source));
		const file = onBytes ? reporting(buffer, onBytes) : buffer;
		const metadata = await parquetMetadataAsync(file, { parsers: PARQUET_PARSERS }).catch(
			(error: unknown) => {
				const why = untrusted(decoderReason(error, 'its footer metadata is damaged'), 160);
				throw new Error(`'${source}' is not a Parquet file (${why})`, { cause: error });
			}
		);
		return parquetFrameSchema(metadata, source);
	} finally {
		buffer.close();
	}
}
