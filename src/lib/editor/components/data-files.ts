// Data files brought into the editor (dropped on the canvas, picked with "Open file…"): which
// source kind reads a file, and whether a dropped .json is a pipeline document rather than data.
//
// Pipeline .json files are imported into the library (library/library-actions.ts) — the shell
// does that for drops anywhere; a drop on the canvas is handled here for every file, so the
// canvas asks `isPipelineFile` and hands pipeline documents to the same import. A .json is a
// pipeline when it is a small JSON object with `nodes` and `edges` arrays; an array of objects,
// NDJSON (several lines of objects) or any other object is data. Only files whose first bytes
// mention "nodes" are read whole for that check, so a large dataset is never read here.
import { nodeKind } from '../../nodes/catalogue';
import { SAMPLE_FILES } from '../../nodes/kernels/source-locate';
import { sampleFormat } from '../../nodes/datasets';

/** File name extensions the editor opens as data, for the file picker's `accept`. */
export const DATA_FILE_ACCEPT =
	'.csv,.tsv,.txt,.json,.ndjson,.jsonl,.arrow,.arrows,.feather,.ipc,.parquet';

/** Pipeline documents are far smaller than this; larger .json files are data. */
const PIPELINE_MAX_BYTES = 4 * 1024 * 1024;

/** The source node kind and params (besides `source`) that read a file of this name, or null. */
export function sourceForFile(
	name: string
): { kind: string; params: Record<string, unknown> } | null {
	const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
	if (ext === 'csv' || ext === 'txt') return { kind: 'csv', params: {} };
	if (ext === 'tsv') return { kind: 'csv', params: { delimiter: '\t' } };
	if (ext === 'json' || ext === 'ndjson' || ext === 'jsonl') return { kind: 'json', params: {} };
	if (['arrow', 'arrows', 'feather', 'ipc'].includes(ext)) return { kind: 'arrow', params: {} };
	if (ext === 'parquet' || ext === 'pq') return { kind: 'parquet', params: {} };
	return null;
}

/** The source node kind of a built-in sample ('trips' → 'parquet'). */
export function sampleKind(name: string): string {
	return sampleFormat(name) ?? 'csv';
}

/** Built-in samples the palette offers: name, file and node kind. */
export const SAMPLES = Object.entries(SAMPLE_FILES).map(([name, file]) => ({
	name,
	file,
	kind: sampleKind(name),
	title: nodeKind(sampleKind(name))?.title ?? sampleKind(name)
}));

/** True when `file` is a Sluice pipeline document (see the module header). */
export async function isPipelineFile(file: File): Promise<boolean> {
	if (!/\.json$/i.test(file.name) && file.type !== 'application/json') return false;
	if (file.size > PIPELINE_MAX_BYTES) return false;
	const head = await file.slice(0, 64 * 1024).text();
	if (!/^\s*\{/.test(head) || !head.includes('"nodes"')) return false;
	try {
		const doc = JSON.parse(await file.text()) as Record<string, unknown>;
		return Array.isArray(doc.nodes) && Array.isArray(doc.edges);
	} catch {
		return false; // NDJSON, or not JSON at all: the JSON source will say what is wrong
	}
}

/** The source node params for a source of `kind` reading `source`. */
export function sourceParams(
	kind: string,
	source: string,
	extra: Record<string, unknown> = {}
): Record<string, unknown> {
	return { ...(nodeKind(kind)?.defaults as Record<string, unknown>), ...extra, source };
}
