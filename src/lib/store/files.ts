// Pipeline JSON files in and out of the library: an import is read with the document loader
// (upgraded, validated) and refused with the loader's reasons when it is not a pipeline; an
// export is the stored text byte for byte, named after the pipeline.
import type { Diagnostic, KindLookup } from '../graph/diagnostics';
import type { PipelineDocument } from '../graph/document';
import { loadDocument } from '../graph/load';
import type { PipelineRecord } from './db';

export type ImportResult =
	{ ok: true; record: PipelineRecord; diagnostics: Diagnostic[] } | { ok: false; error: string };

export interface ExportedFile {
	fileName: string;
	text: string;
}

/** A file name from a pipeline name: "Taxi fares / 2024" → "taxi-fares-2024.json". */
export function fileNameFor(name: string): string {
	const slug = name
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80);
	return `${slug || 'pipeline'}.json`;
}

/** The document of an imported file, or a sentence saying why it is not one. */
export function readImport(
	text: string,
	kinds?: KindLookup,
	fileName = 'this file'
): { ok: true; doc: PipelineDocument; diagnostics: Diagnostic[] } | { ok: false; error: string } {
	const { document, diagnostics } = loadDocument(text, kinds);
	if (document === null) {
		const reasons = diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
		return { ok: false, error: `${fileName} is not a Sluice pipeline: ${reasons.join('; ')}` };
	}
	return { ok: true, doc: document, diagnostics };
}

export function exportFile(record: PipelineRecord): ExportedFile {
	return { fileName: fileNameFor(record.name), text: record.json };
}
