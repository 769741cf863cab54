// The schema of a Parquet source (main thread, before compiling): its footer only.
import { parquetMetadataAsync } from 'hyparquet';
import type { FrameSchema } from '../../runtime/batch/types';
import { locateSource } from '../kernels/source-locate';
import { openRangeBuffer } from './parquet-buffer';
import { PARQUET_PARSERS, parquetFrameSchema } from './parquet-types';

export async function probeParquetSchema(source: string): Promise<FrameSchema> {
	const buffer = await openRangeBuffer(locateSource(source));
	try {
		const metadata = await parquetMetadataAsync(buffer, { parsers: PARQUET_PARSERS }).catch(
			(error: unknown) => {
				const why = error instanceof Error ? error.message : String(error);
				throw new Error(`'${source}' is not a Parquet file (${why})`, { cause: error });
			}
		);
		return parquetFrameSchema(metadata, source);
	} finally {
		buffer.close();
	}
}
