// Reads a pipeline file for the command line: the document, the context its sources' schemas
// come from, and every problem as a one-line `error: node 'flt': ...` message.
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../lib/graph/diagnostics';
import type { PipelineDocument } from '../lib/graph/document';
import { loadDocument } from '../lib/graph/load';
import { kindLookup, nodeKind } from '../lib/nodes/catalogue';
import { DatasetRegistry, probeDocumentDatasets } from '../lib/nodes/datasets';
import type { InferContext } from '../lib/nodes/types';

export type PipelineFile =
	{ ok: true; document: PipelineDocument; warnings: string[] } | { ok: false; errors: string[] };

/** What a user reads for one diagnostic: one line, naming the node or edge it concerns. */
export function diagnosticLine(d: Diagnostic, doc: PipelineDocument | null): string {
	let message = oneLine(d.message);
	if (d.node !== undefined) {
		const subject = `node '${d.node}'`;
		// The compiler starts its messages with the node's display name; the id says it already.
		const node = doc?.nodes.find((n) => n.id === d.node);
		const title = node ? nodeKind(node.kind)?.title : undefined;
		const shown = node?.label?.trim() || (title ? `${title} (${d.node})` : undefined);
		if (shown && message.startsWith(`${shown}: `)) message = message.slice(shown.length + 2);
		if (!message.startsWith(subject)) {
			const param = d.param ? ` param '${d.param}'` : '';
			message = `${subject}${param}: ${message}`;
		}
	} else if (d.edge !== undefined && !message.includes(`'${d.edge}'`)) {
		message = `edge '${d.edge}': ${message}`;
	}
	return `${d.severity}: ${message}`;
}

/** Error and warning lines of `diagnostics`, errors first. */
export function splitDiagnostics(
	diagnostics: readonly Diagnostic[],
	doc: PipelineDocument | null
): { errors: string[]; warnings: string[] } {
	const errors: string[] = [];
	const warnings: string[] = [];
	for (const d of diagnostics) {
		(d.severity === 'error' ? errors : warnings).push(diagnosticLine(d, doc));
	}
	return { errors, warnings };
}

/** Reads and checks `path`; never throws for a missing or malformed file. */
export async function readPipelineFile(path: string): Promise<PipelineFile> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		const code = (error as { code?: string }).code;
		const why =
			code === 'ENOENT'
				? 'no such file'
				: code === 'EISDIR'
					? 'it is a directory'
					: code === 'EACCES'
						? 'permission denied'
						: error instanceof Error
							? error.message
							: String(error);
		return { ok: false, errors: [`error: cannot read '${path}': ${why}`] };
	}
	const loaded = loadDocument(text, kindLookup);
	const { errors, warnings } = splitDiagnostics(loaded.diagnostics, loaded.document);
	if (!loaded.document || errors.length > 0) {
		return { ok: false, errors: errors.length > 0 ? errors : [`error: '${path}' is empty`] };
	}
	return { ok: true, document: loaded.document, warnings };
}

/**
 * The schemas of the datasets the document's CSV sources name, read from the first bytes of
 * each file or URL; a source that cannot be read is an error line naming its node.
 */
export async function datasetContext(
	doc: PipelineDocument
): Promise<{ ctx: InferContext; errors: string[] }> {
	const registry = new DatasetRegistry();
	const problems = await probeDocumentDatasets(doc, registry);
	const errors = problems.map((p) => {
		const message = oneLine(p.message);
		const why = message.includes(p.source) ? message : `cannot read '${p.source}': ${message}`;
		return `error: node '${p.node}': ${why}`;
	});
	return { ctx: registry, errors };
}

function oneLine(text: string): string {
	return text.replace(/\s*\n\s*/g, ' ');
}
