// Exporting a node's full result as a file: the document cut to what the node depends on, with a
// hidden collect sink on the node's output (for a sink, on what feeds it), run over the whole
// data; the collected Arrow IPC bytes are then encoded (CSV, Arrow IPC, Parquet) in a worker
// (export-worker.ts) that posts the file back chunk by chunk, so the page never runs a long task
// encoding a million rows, and the chunks become the download's Blob without being joined.
import type { PipelineDocument } from '../../graph/document';
import type { CollectResult } from '../../nodes/collect';
import { nodeKind } from '../../nodes/catalogue';
import { EXPORT_MIME, type ExportFormat } from '../../io/export';
import { upstreamOf } from './preview-doc';

/** Id of the hidden collect sink an export adds. */
export const EXPORT_NODE = '__export';

const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', arrow: 'arrow', parquet: 'parquet' };

/** `doc` cut to `nodeId`'s upstream, collecting its output; a message when it has none. */
export function exportDocument(
	doc: PipelineDocument,
	nodeId: string
): { ok: true; doc: PipelineDocument } | { ok: false; message: string } {
	const node = doc.nodes.find((n) => n.id === nodeId);
	const def = node && nodeKind(node.kind);
	if (!node || !def) return { ok: false, message: `there is no node '${nodeId}' to export` };
	let from: { node: string; port: string } | undefined;
	if (def.outputs.length > 0) from = { node: nodeId, port: def.outputs[0].name };
	else from = doc.edges.find((e) => e.to.node === nodeId)?.from;
	if (!from) return { ok: false, message: `${node.label || node.id} has no input to export yet` };
	const keep = upstreamOf(doc, [from.node]);
	return {
		ok: true,
		doc: {
			...doc,
			nodes: [
				...doc.nodes.filter((n) => keep.has(n.id)),
				{ id: EXPORT_NODE, kind: 'collect', params: {}, position: { x: 0, y: 0 } }
			],
			edges: [
				...doc.edges.filter((e) => keep.has(e.from.node) && keep.has(e.to.node)),
				{ id: `${EXPORT_NODE}-in`, from, to: { node: EXPORT_NODE, port: 'in' } }
			]
		}
	};
}

/** A file name from the pipeline's and the node's names: 'sales-by-region-top-k.csv'. */
export function exportFileName(pipelineName: string, nodeName: string, format: ExportFormat) {
	const slug = (s: string) =>
		s
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60);
	const base = [slug(pipelineName), slug(nodeName)].filter((s) => s !== '').join('-') || 'result';
	return `${base}.${EXTENSIONS[format]}`;
}

export type EncodeMessage =
	{ chunk: Uint8Array; bytes: number } | { done: true; bytes: number } | { error: string };

/** Encodes `result` as `format` in a worker; resolves with the file as a Blob of its chunks. */
export function encodeInWorker(
	result: CollectResult,
	format: ExportFormat,
	onBytes?: (bytes: number) => void
): Promise<Blob> {
	const worker = new Worker(new URL('./export-worker.ts', import.meta.url), {
		type: 'module',
		name: 'sluice-export'
	});
	const parts: Uint8Array<ArrayBuffer>[] = [];
	return new Promise<Blob>((resolve, reject) => {
		worker.onmessage = (event: MessageEvent<EncodeMessage>) => {
			const m = event.data;
			if ('chunk' in m) {
				parts.push(m.chunk as Uint8Array<ArrayBuffer>);
				onBytes?.(m.bytes);
			} else if ('done' in m) {
				worker.terminate();
				resolve(new Blob(parts, { type: EXPORT_MIME[format] }));
			} else {
				worker.terminate();
				reject(new Error(m.error));
			}
		};
		worker.onerror = (event) => {
			worker.terminate();
			reject(new Error(event.message || 'the export worker failed to start'));
		};
		worker.postMessage({ format, result });
	});
}

/** Starts the browser's download of `blob` as `name`. */
export function downloadBlob(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	a.style.display = 'none';
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
