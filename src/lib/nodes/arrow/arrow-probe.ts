// The schema of an Arrow IPC source (main thread, before compiling): the schema message at the
// start of the stream, read from the first bytes (more while they do not hold all of it).
import type { FrameSchema } from '../../runtime/batch/types';
import { readPrefix } from '../kernels/source-bytes';
import { locateSource } from '../kernels/source-locate';
import { arrowFrameSchema } from './arrow-columns';
import { arrowMessages, openArrowStream } from './arrow-read';

const PROBE_START = 64 * 1024;
const PROBE_MAX = 16 * 1024 * 1024;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
	yield bytes;
}

export async function probeArrowSchema(source: string): Promise<FrameSchema> {
	const location = locateSource(source);
	for (let want = PROBE_START; ; want *= 4) {
		const bytes = await readPrefix(location, want);
		if (bytes.length === 0) throw new Error(arrowMessages.empty(source));
		let stream;
		try {
			stream = await openArrowStream(once(bytes), source);
		} catch (error) {
			// The schema message may run past these bytes: read more, unless there is no more.
			if (bytes.length < want || want >= PROBE_MAX) throw error;
			continue;
		}
		return arrowFrameSchema(stream.schema, source);
	}
}
