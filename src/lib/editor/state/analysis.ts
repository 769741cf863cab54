// What the editor shows about a document: the compiler's result and its diagnostics, per node and
// per edge. Compiling ignores positions, so a drag (a new document per pointer move) reuses the
// last result instead of compiling again.

import { compile, type CompileOptions, type CompileResult } from '../../compiler';
import type { Diagnostic } from '../../graph/diagnostics';
import type { PipelineDocument, PipelineNode } from '../../graph/document';
import type { InferContext } from '../../nodes/types';

export type NodeStatus = 'ok' | 'warning' | 'error';

export interface Analysis {
	compiled: CompileResult;
	/** Every diagnostic, a checker warning dropped when the compiler reports it as an error too. */
	diagnostics: Diagnostic[];
	byNode: Map<string, Diagnostic[]>;
	byEdge: Map<string, Diagnostic[]>;
}

/** True when the two nodes differ at most in position (the compiler never reads positions). */
function sameButPosition(a: PipelineNode, b: PipelineNode): boolean {
	return (
		a === b || (a.id === b.id && a.kind === b.kind && a.label === b.label && a.params === b.params)
	);
}

function sameForCompiler(a: PipelineDocument, b: PipelineDocument): boolean {
	return (
		a.edges === b.edges &&
		a.nodes.length === b.nodes.length &&
		a.nodes.every((node, index) => sameButPosition(node, b.nodes[index]))
	);
}

function group(
	diagnostics: readonly Diagnostic[],
	key: 'node' | 'edge'
): Map<string, Diagnostic[]> {
	const grouped = new Map<string, Diagnostic[]>();
	for (const diagnostic of diagnostics) {
		const id = diagnostic[key];
		if (id === undefined) continue;
		const list = grouped.get(id) ?? [];
		list.push(diagnostic);
		grouped.set(id, list);
	}
	return grouped;
}

/** The checker warns of an unwired input and the compiler then errs on it: keep the error only. */
function withoutRepeats(diagnostics: readonly Diagnostic[]): Diagnostic[] {
	const errors = new Set(
		diagnostics
			.filter((item) => item.severity === 'error')
			.map((item) => `${item.code}\0${item.node}`)
	);
	return diagnostics.filter(
		(item) => item.severity === 'error' || !errors.has(`${item.code}\0${item.node}`)
	);
}

/** Compiles documents for the editor, reusing the last result when only positions changed. */
export class Analyser {
	#last: { doc: PipelineDocument; analysis: Analysis; datasets?: number } | null = null;

	constructor(
		readonly options: Partial<CompileOptions> = {},
		readonly ctx?: InferContext
	) {}

	analyse(doc: PipelineDocument): Analysis {
		const last = this.#last;
		// A context with a `version` (the editor's datasets) changes schemas under the same doc.
		const datasets = (this.ctx as { version?: number } | undefined)?.version;
		if (last !== null && last.datasets === datasets && sameForCompiler(last.doc, doc)) {
			this.#last = { doc, analysis: last.analysis, datasets };
			return last.analysis;
		}
		let compiled: CompileResult;
		try {
			compiled = compile(doc, this.options, this.ctx);
		} catch (thrown) {
			// A node kind's inferSchema threw (a catalogue bug): say so rather than break the editor.
			const message = `could not check this pipeline: ${String(thrown)}`;
			const diagnostic: Diagnostic = { severity: 'error', code: 'internal', message };
			compiled = { logical: null, plan: null, diagnostics: [diagnostic], explain: '' };
		}
		const diagnostics = withoutRepeats(compiled.diagnostics);
		const analysis: Analysis = {
			compiled,
			diagnostics,
			byNode: group(diagnostics, 'node'),
			byEdge: group(diagnostics, 'edge')
		};
		this.#last = { doc, analysis, datasets };
		return analysis;
	}
}

/** The worst severity among a node's diagnostics. */
export function statusOf(diagnostics: readonly Diagnostic[] | undefined): NodeStatus {
	if (diagnostics === undefined || diagnostics.length === 0) return 'ok';
	return diagnostics.some((item) => item.severity === 'error') ? 'error' : 'warning';
}
