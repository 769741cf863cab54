// Exporting a node's full result as a file: the document cut to what the node depends on, with a
// hidden collect sink on the node's output (for a sink, on what feeds it), run over the whole
// data; the collected Arrow IPC bytes are then transferred to a worker (export-worker.ts) that
// encodes them (CSV, Arrow IPC, Parquet) chunk by chunk into a Blob and posts back only progress
// and the Blob, so the page never copies, encodes or joins the file's bytes itself.
import type { PipelineDocument } from '../../graph/document';
import type { CollectResult } from '../../nodes/collect';
import { nodeKind } from '../../nodes/catalogue';
import type { ExportFormat } from '../../io/export';
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

/** What the export worker is sent: the format and the collected rows as Arrow IPC bytes. */
export interface EncodeRequest {
	format: ExportFormat;
	result: CollectResult;
}

/**
 * What it posts back: progress (bytes encoded so far), then the whole file as a Blob (cloned by
 * reference, so the page receives a handle, not the bytes), or an error.
 */
export type EncodeMessage = { bytes: number } | { done: Blob } | { error: string };

/**
 * Encodes `result` as `format` in a worker; resolves with the file as a Blob.
 *
 * The page does no per-byte work: the IPC bytes are transferred to the worker (not copied, so
 * `result.ipc` is empty afterwards; the export's hidden sink result is not used again), the worker
 * encodes and builds the Blob, and only progress figures and the Blob's handle come back.
 */
export function encodeInWorker(
	result: CollectResult,
	format: ExportFormat,
	onBytes?: (bytes: number) => void
): Promise<Blob> {
	const worker = new Worker(new URL('./export-worker.ts', import.meta.url), {
		type: 'module',
		name: 'sluice-export'
	});
	return new Promise<Blob>((resolve, reject) => {
		worker.onmessage = (event: MessageEvent<EncodeMessage>) => {
			const m = event.data;
			if ('bytes' in m) return onBytes?.(m.bytes);
			worker.terminate();
			if ('done' in m) resolve(m.done);
			else reject(new Error(m.error));
		};
		worker.onerror = (event) => {
			worker.terminate();
			reject(new Error(event.message || 'the export worker failed to start'));
		};
		const buffer = result.ipc.buffer;
		const request: EncodeRequest = { format, result };
		worker.postMessage(request, buffer instanceof ArrayBuffer ? [buffer] : []);
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
