// The schema of a JSON source from its first records (main thread, before compiling): reads
// PROBE_START bytes, and more (up to PROBE_MAX) while they do not hold one whole record, so a
// file whose first record is huge still gets a schema.
import type { FrameSchema } from '../../runtime/batch/types';
import { readPrefix } from '../kernels/source-bytes';
import { locateSource } from '../kernels/source-locate';
import { DEFAULT_JSON_DEPTH, inferJsonSchema } from './json-infer';
import { JsonError, JsonSplitter } from './json-split';

export const PROBE_START = 64 * 1024;
export const PROBE_MAX = 64 * 1024 * 1024;

/** Whether `bytes` are only white space, after a byte order mark if any. */
function isBlank(bytes: Uint8Array): boolean {
	const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	return bytes.subarray(bom).every((b) => b <= 0x20);
}

/** Whether `bytes` hold at least one whole record (or are all of the input). */
function holdsRecord(bytes: Uint8Array): boolean {
	return new JsonSplitter().push(bytes).length > 0;
}

export async function probeJsonSchema(
	source: string,
	depth = DEFAULT_JSON_DEPTH
): Promise<FrameSchema> {
	const location = locateSource(source);
	for (let want = PROBE_START; ; want *= 4) {
		const bytes = await readPrefix(location, want);
		const complete = bytes.length < want;
		try {
			if (!complete && !holdsRecord(bytes) && want < PROBE_MAX) continue;
			const schema = inferJsonSchema(bytes, complete, depth);
			if (schema.names.length === 0)
				throw new JsonError(
					complete && isBlank(bytes)
						? 'is empty: it has no JSON records'
						: 'has no fields in its first records: give it objects with at least one field'
				);
			return schema;
		} catch (error) {
			if (error instanceof JsonError)
				throw new Error(`'${source}' ${error.message}`, { cause: error });
			throw error;
		}
	}
}
