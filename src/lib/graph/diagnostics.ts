// Diagnostics: problems found in a pipeline, attached to the node, edge or param they concern
// (STYLE.md "Errors": validation problems are diagnostics, never throws). Also the seam through
// which the node catalogue tells the graph layer about kinds, so this folder never imports it.

export type Severity = 'error' | 'warning';

/** The codes this folder emits; other layers (compiler, expressions) may add their own. */
export type GraphDiagnosticCode =
	| 'invalid-document' // not JSON, wrong shape, too large: the document could not be read
	| 'future-version' // saved by a newer Sluice
	| 'unknown-field' // a field this version does not know; it is dropped (warning)
	| 'duplicate-id' // two nodes or two edges share an id
	| 'dangling-edge' // an edge names a node that does not exist
	| 'unknown-kind' // a node kind the catalogue does not have
	| 'unknown-port' // an edge names a port its node's kind does not have
	| 'bad-param' // params that the kind's validateParams rejects
	| 'input-taken' // a second edge into an input that already has one
	| 'missing-input' // an input with no edge (warning)
	| 'cycle'; // nodes that feed themselves, or wait on such nodes

export interface Diagnostic {
	severity: Severity;
	/** A `GraphDiagnosticCode` here; kept a string so other layers can add codes. */
	code: string;
	/** A sentence for the user, naming the node/edge it concerns. */
	message: string;
	/** Id of the node the problem belongs to (the editor marks it). */
	node?: string;
	/** Id of the edge the problem belongs to. */
	edge?: string;
	/** Dotted path of the param concerned, as `validateParams` reported it. */
	param?: string;
	/** Character offsets [start, end) into the text the user typed: an expression, or the JSON. */
	position?: { start: number; end: number };
}

/** What the graph layer needs to know about one node kind (the catalogue implements it). */
export interface KindInfo {
	inputs: { name: string }[];
	outputs: { name: string }[];
	/** Every problem with `params`; an empty list when they are fine. Should not throw. */
	validateParams(params: unknown): { path: string; message: string }[];
}

/** Looks a kind up by name; `kinds()` lists every known name (for "did you mean"). */
export interface KindLookup {
	(kind: string): KindInfo | undefined;
	kinds(): string[];
}

/** True when any diagnostic is an error (warnings alone do not stop a run). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
	return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
