// Turning documents into stored records and back: a record keeps the document's JSON text as
// saved; reading one upgrades an older document version and validates it, and a record that no
// longer reads as a pipeline comes back with its raw text and the reasons, never as a blank one.
import type { Diagnostic, KindLookup } from '../graph/diagnostics';
import { DOCUMENT_VERSION, type PipelineDocument } from '../graph/document';
import { loadDocument } from '../graph/load';
import { serializeDocument } from '../graph/serialize';
import type { PipelineRecord, View } from './db';
import { summarise } from './summary';

/** A stored pipeline as the editor opens it. */
export interface OpenedPipeline {
	record: PipelineRecord;
	/** The document at the current version, or null when the stored text does not read as one. */
	doc: PipelineDocument | null;
	/** What the loader found: errors and warnings (and, when `doc` is null, why). */
	diagnostics: Diagnostic[];
	/** The document version it was stored with, present when it was upgraded on the way in. */
	migratedFrom?: number;
}

export function readRecord(record: PipelineRecord, kinds?: KindLookup): OpenedPipeline {
	const loaded = loadDocument(record.json, kinds);
	const opened: OpenedPipeline = {
		record,
		doc: loaded.document,
		diagnostics: loaded.diagnostics
	};
	if (loaded.migratedFrom !== undefined) opened.migratedFrom = loaded.migratedFrom;
	return opened;
}

/** The fields of a record that follow from its document. */
export function documentFields(
	doc: PipelineDocument
): Pick<PipelineRecord, 'name' | 'json' | 'docVersion' | 'nodeCount' | 'summary'> {
	return {
		name: doc.name,
		json: serializeDocument({ ...doc, version: DOCUMENT_VERSION }),
		docVersion: DOCUMENT_VERSION,
		nodeCount: doc.nodes.length,
		summary: summarise(doc)
	};
}

export function newRecord(
	id: string,
	doc: PipelineDocument,
	now: number,
	view?: View
): PipelineRecord {
	const record: PipelineRecord = {
		id,
		...documentFields(doc),
		version: 1,
		createdAt: now,
		updatedAt: now
	};
	if (view !== undefined) record.view = view;
	return record;
}

/** Saved size of a record, as the library shows it and the quota message ranks it. */
export function recordBytes(record: PipelineRecord): number {
	return record.json.length;
}
