// `sluice run --out FILE`: one sink's result written to a file as CSV, Arrow IPC or Parquet
// (by `--format`, else by the file's extension), streamed chunk by chunk (src/lib/io/export.ts),
// so a large collect result is never turned into one giant string. With several sinks, `--sink`
// names the one to write (by node id or label).
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { PipelineDocument } from '../lib/graph/document';
import { EXPORT_FORMATS, exportResult, formatOfFile, type ExportFormat } from '../lib/io/export';

/** The format `--out` writes, or a message saying why it is not known. */
export function outFormat(
	file: string,
	format: string | undefined
): { format: ExportFormat } | { message: string } {
	if (format !== undefined) {
		return (EXPORT_FORMATS as readonly string[]).includes(format)
			? { format: format as ExportFormat }
			: { message: `--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${format}'` };
	}
	const byName = formatOfFile(file);
	return byName
		? { format: byName }
		: {
				message: `cannot tell the format of '${file}' from its extension: name it .csv, .arrow or .parquet, or give --format`
			};
}

/** The id of the sink whose result `--out` writes, or a message saying why there is none. */
export function pickSink(
	doc: PipelineDocument,
	results: ReadonlyMap<string, unknown>,
	sink: string | undefined
): { id: string } | { message: string } {
	const ids = doc.nodes.map((n) => n.id).filter((id) => results.has(id));
	if (sink !== undefined) {
		const node = doc.nodes.find((n) => n.id === sink || (n as { label?: string }).label === sink);
		if (node && results.has(node.id)) return { id: node.id };
		return {
			message: `--sink '${sink}' is not a sink of this pipeline: choose one of ${ids.join(', ')}`
		};
	}
	if (ids.length === 1) return { id: ids[0] };
	if (ids.length === 0)
		return { message: 'the pipeline has no sink whose result could be written' };
	return {
		message: `the pipeline has ${ids.length} sinks (${ids.join(', ')}): choose one with --sink`
	};
}

/** Thrown by writeResultFile when `stopped()` turned true: the partial file is removed. */
export class WriteStopped extends Error {
	constructor(file: string) {
		super(`stopped writing '${file}'`);
	}
}

/**
 * Writes `result` to `file` as `format`; resolves with the bytes written. `stopped` is asked
 * before each chunk: once it is true (Ctrl-C) the file is removed and WriteStopped thrown.
 */
export async function writeResultFile(
	file: string,
	format: ExportFormat,
	result: unknown,
	stopped: () => boolean = () => false
): Promise<number> {
	const stream = createWriteStream(file);
	const failed = once(stream, 'error').then(([error]) => {
		throw error;
	});
	let bytes = 0;
	try {
		for await (const chunk of exportResult(format, result)) {
			if (stopped()) {
				stream.destroy();
				await rm(file, { force: true });
				throw new WriteStopped(file);
			}
			bytes += chunk.byteLength;
			if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
		}
		stream.end();
		await Promise.race([once(stream, 'finish'), failed]);
		if (stopped()) {
			await rm(file, { force: true });
			throw new WriteStopped(file);
		}
	} finally {
		stream.destroy();
	}
	return bytes;
}
