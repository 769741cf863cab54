// Reads a pipeline the user gave us (a file's text, a decoded URL, a stored object) into a
// document plus diagnostics. Never throws: every way the input can be wrong is a diagnostic.

import { checkDocument } from './check';
import type { Diagnostic, KindLookup } from './diagnostics';
import { DOCUMENT_VERSION, type PipelineDocument } from './document';
import { isRecord } from './json-value';
import { graphMessages } from './messages';
import { migrateDocument } from './migrations';
import { validateStructure } from './schema';

/** Longest pipeline text read (characters); a longer string is refused before parsing. */
export const MAX_DOCUMENT_CHARS = 10_000_000;

export interface LoadResult {
	/** The document, or null when the input could not be read as one (see `loadDocument`). */
	document: PipelineDocument | null;
	/** Every problem found, errors and warnings, each naming its node, edge or param when it has one. */
	diagnostics: Diagnostic[];
	/** The version the input was saved with, present only when it was upgraded. */
	migratedFrom?: number;
}

function invalid(message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
	return { severity: 'error', code: 'invalid-document', message, ...extra };
}

function failed(diagnostic: Diagnostic): LoadResult {
	return { document: null, diagnostics: [diagnostic] };
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
	if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
	return `a ${typeof value}`;
}

/** 1-based line and column of a character offset, for people reading the file in an editor. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let index = 0; index < offset && index < text.length; index++) {
		if (text.charCodeAt(index) === 10) {
			line++;
			lineStart = index + 1;
		}
	}
	return { line, column: offset - lineStart + 1 };
}

/** JSON.parse's complaint, with line and column when the engine says where (V8: "at position N"). */
function parseError(text: string, thrown: unknown): Diagnostic {
	const detail = thrown instanceof Error ? thrown.message : String(thrown);
	const at = /at position (\d+)/.exec(detail);
	if (at === null) {
		const atEnd = /end of JSON input/.test(detail)
			? { start: text.length, end: text.length }
			: undefined;
		return invalid(graphMessages.notJson(detail), atEnd === undefined ? {} : { position: atEnd });
	}
	const offset = Number(at[1]);
	const { line, column } = lineAndColumn(text, offset);
	const reason = detail
		.slice(0, at.index)
		.replace(/\s*in JSON\s*$/, '')
		.trim();
	const message = graphMessages.notJson(`${reason} at line ${line}, column ${column}`);
	return invalid(message, { position: { start: offset, end: Math.min(offset + 1, text.length) } });
}

function read(input: unknown, kinds: KindLookup | undefined): LoadResult {
	// Step 1 — text to a value.
	let value = input;
	if (typeof input === 'string') {
		if (input.length > MAX_DOCUMENT_CHARS) {
			return failed(invalid(graphMessages.tooLarge(input.length, MAX_DOCUMENT_CHARS)));
		}
		try {
			value = JSON.parse(input);
		} catch (thrown) {
			return failed(parseError(input, thrown));
		}
	}
	if (!isRecord(value)) return failed(invalid(graphMessages.notAnObject(describeValue(value))));

	// Step 2 — version: missing means the first format (0); newer than ours cannot be read.
	const version = value.version === undefined ? 0 : value.version;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
		return failed(invalid(graphMessages.badVersion(describeValue(version))));
	}
	if (version > DOCUMENT_VERSION) {
		const message = graphMessages.futureVersion(version, DOCUMENT_VERSION);
		return failed({ severity: 'error', code: 'future-version', message });
	}

	// Step 3 — upgrade, one version at a time.
	const migrated = migrateDocument(value, version);
	const migratedFrom = version < DOCUMENT_VERSION ? { migratedFrom: version } : {};
	if (!migrated.ok) {
		const message =
			migrated.to === undefined
				? graphMessages.noMigration(migrated.from)
				: graphMessages.migrationFailed(migrated.from, migrated.to, String(migrated.error));
		return { ...failed(invalid(message)), ...migratedFrom };
	}

	// Step 4 — shape (valibot); a value that is not shaped like a document stops here.
	const { document, diagnostics } = validateStructure(migrated.document);
	if (document === null) return { document, diagnostics, ...migratedFrom };

	// Step 5 — meaning: the document is kept whatever these find, so the editor can show it.
	try {
		diagnostics.push(...checkDocument(document, kinds));
	} catch (thrown) {
		diagnostics.push({
			severity: 'error',
			code: 'invalid-document',
			message: graphMessages.checkFailed(String(thrown))
		});
	}
	return { document, diagnostics, ...migratedFrom };
}

/**
 * Reads a pipeline from JSON text or an already-parsed value, upgrading older versions, and
 * never throws. `kinds` (the node catalogue) enables the checks that need it: unknown kinds
 * with a "did you mean", ports, params, unconnected inputs.
 *
 * `document` is null — nothing usable could be read — when the input: is not JSON; is longer
 * than MAX_DOCUMENT_CHARS or holds more than MAX_NODES nodes or MAX_EDGES edges; is not an
 * object; has a version that is not a whole number, or is newer than DOCUMENT_VERSION
 * ('future-version'); cannot be upgraded; or is not shaped like a PipelineDocument (a field of
 * the wrong type, a missing field, params that are not plain JSON: 'invalid-document' naming
 * the node or edge and the field path).
 *
 * Otherwise `document` is a fresh copy (sharing nothing with the input) and is returned even
 * when diagnostics hold errors: unknown fields (warning, dropped), duplicate ids, dangling
 * edges, unknown kinds or ports, bad params, an input with two edges, unconnected inputs
 * (warning), cycles. Those concern what the pipeline means, and the editor shows them on it.
 */
export function loadDocument(input: unknown, kinds?: KindLookup): LoadResult {
	try {
		return read(input, kinds);
	} catch (thrown) {
		// Only a hostile object (a throwing getter, a revoked proxy) gets here; text never does.
		return failed(invalid(graphMessages.internal(String(thrown))));
	}
}
