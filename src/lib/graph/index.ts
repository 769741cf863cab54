// The pipeline document layer: types, loading (parse, upgrade, validate, check), saving.

export { checkDocument } from './check';
export { closestName } from './closest';
export type {
	Diagnostic,
	GraphDiagnosticCode,
	KindInfo,
	KindLookup,
	Severity
} from './diagnostics';
export { hasErrors } from './diagnostics';
export type { PipelineDocument, PipelineEdge, PipelineNode } from './document';
export { DOCUMENT_VERSION, emptyDocument, UNTITLED } from './document';
export { loadDocument, MAX_DOCUMENT_CHARS, type LoadResult } from './load';
export { graphMessages } from './messages';
export { MIGRATIONS, migrateDocument, type Migration } from './migrations';
export { MAX_EDGES, MAX_NODES } from './schema';
export { serializeDocument } from './serialize';
export { topologicalOrder, type TopologicalOrder } from './topo';
