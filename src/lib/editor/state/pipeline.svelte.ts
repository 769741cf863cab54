// The editor's document state: the pipeline being edited, the selection, and every command that
// changes them. Each command is one undo step (or merges into the open one when called with the
// same `mark`, e.g. each pointer move of one drag). The document is replaced, never mutated
// ($state.raw), so the canvas, the inspector and the undo stack can all hold on to it safely.

import type { CompileOptions } from '../../compiler';
import type { Diagnostic } from '../../graph/diagnostics';
import { emptyDocument, type PipelineDocument, type PipelineNode } from '../../graph/document';
import { MAX_NODES } from '../../graph/schema';
import { nodeKind } from '../../nodes/catalogue';
import type { InferContext } from '../../nodes/types';
import { Analyser, statusOf, type Analysis, type NodeStatus } from './analysis';
import { fragmentOf, fragmentText, readFragment } from './clipboard';
import { checkConnection, type Connection, type ConnectionCheck } from './connection';
import * as edits from './edits';
import { NO_SELECTION, type Selection, type SelectMode } from './edits';
import { HistoryManager, diffDocuments, isEmptyDiff } from './history';
import { IdAllocator } from './ids';
import { layeredLayout, type LayoutOptions, type Point } from './layout';
import { freeOffset, spotRightOf } from './placement';

export type { Selection, SelectMode } from './edits';
export type { Connection, ConnectionCheck } from './connection';
export type { NodeStatus } from './analysis';
export type { LayoutOptions, Point } from './layout';

/** How far duplicates land from their originals, and pastes without a point from theirs. */
export const COPY_OFFSET: Point = { x: 40, y: 40 };

export interface PipelineStateOptions {
	/** The document to start with (default: an empty one). */
	doc?: PipelineDocument;
	/** Undo steps kept (default 500). */
	historyDepth?: number;
	/** Options for the compile behind `diagnostics`. */
	compile?: Partial<CompileOptions>;
	/** Schemas of datasets sources name (uploaded files), for the compiler. */
	inferContext?: InferContext;
	layout?: LayoutOptions;
}

export interface EditOptions {
	/**
	 * Edits with the same mark, one right after another, make one undo step: pass one mark for a
	 * whole gesture (e.g. `drag-${pointerId}-${startTime}`, or `param:${id}:${field}` while typing).
	 * Without a mark every call is its own step.
	 */
	mark?: string;
}

export type ConnectResult = { ok: true; edge: string } | { ok: false; reason: string };

export type PasteResult = { ok: true; nodes: string[] } | { ok: false; error: string };

export class PipelineState {
	#doc = $state.raw<PipelineDocument>(emptyDocument());
	#selection = $state.raw<Selection>(NO_SELECTION);
	/** Bumped on every history change, so the undo/redo getters are reactive. */
	#historyVersion = $state(0);
	readonly #history: HistoryManager;
	readonly #analyser: Analyser;
	readonly #inferContext: InferContext | undefined;
	readonly #layout: LayoutOptions;
	#autoMarks = 0;

	/** The compile of the current document and its diagnostics, per node and per edge. */
	readonly analysis: Analysis = $derived.by(() => this.#analyser.analyse(this.#doc));
	/** Every problem with the current document (checker and compiler), errors and warnings. */
	readonly diagnostics: Diagnostic[] = $derived(this.analysis.diagnostics);
	/** The selected nodes, in document order. */
	readonly selectedNodes: PipelineNode[] = $derived.by(() => {
		const ids = new Set(this.#selection.nodes); // eslint-disable-line svelte/prefer-svelte-reactivity -- local lookup
		return this.#doc.nodes.filter((node) => ids.has(node.id));
	});

	constructor(options: PipelineStateOptions = {}) {
		this.#history = new HistoryManager({ maxDepth: options.historyDepth });
		this.#analyser = new Analyser(options.compile, options.inferContext);
		this.#inferContext = options.inferContext;
		this.#layout = options.layout ?? {};
		if (options.doc !== undefined) this.#doc = options.doc;
	}

	/** What the compile behind `diagnostics` knows of datasets (their schemas), if anything. */
	get inferContext(): InferContext | undefined {
		return this.#inferContext;
	}

	/** The document being edited. Change it through the commands (or `replaceDocument`). */
	get doc(): PipelineDocument {
		return this.#doc;
	}

	/** Selected node and edge ids; only ids in the document. */
	get selection(): Selection {
		return this.#selection;
	}

	get canUndo(): boolean {
		void this.#historyVersion;
		return this.#history.canUndo;
	}

	get canRedo(): boolean {
		void this.#historyVersion;
		return this.#history.canRedo;
	}

	/** What undo would take back ('Move'), or null. */
	get undoLabel(): string | null {
		void this.#historyVersion;
		return this.#history.undoLabel;
	}

	get redoLabel(): string | null {
		void this.#historyVersion;
		return this.#history.redoLabel;
	}

	node(id: string): PipelineNode | undefined {
		return this.#doc.nodes.find((node) => node.id === id);
	}

	nodeDiagnostics(id: string): readonly Diagnostic[] {
		return this.analysis.byNode.get(id) ?? [];
	}

	edgeDiagnostics(id: string): readonly Diagnostic[] {
		return this.analysis.byEdge.get(id) ?? [];
	}

	/** 'error' when the node has an error, 'warning' when only warnings, else 'ok'. */
	nodeStatus(id: string): NodeStatus {
		return statusOf(this.analysis.byNode.get(id));
	}

	// ---- Selection (not part of undo; ids the document lacks are dropped) ----

	/** Selects ids instead of the selection, adds them to it, or toggles them in it. */
	select(ids: Partial<Selection>, mode: SelectMode = 'replace'): void {
		const { nodes, edges } = this.#selection;
		this.#select({
			nodes: edits.combineIds(nodes, ids.nodes ?? [], mode),
			edges: edits.combineIds(edges, ids.edges ?? [], mode)
		});
	}

	selectAll(): void {
		const { nodes, edges } = this.#doc;
		this.#select({ nodes: nodes.map((node) => node.id), edges: edges.map((edge) => edge.id) });
	}

	clearSelection(): void {
		this.#selection = NO_SELECTION;
	}

	// ---- Commands: each is one undo step; one that changes nothing records nothing ----

	/** Adds a node of `kind` with its default params, selects it, returns its id ('filter-2'). */
	addNode(kind: string, position: Point, options: { label?: string } = {}): string {
		const { doc, id } = edits.withNewNode(this.#doc, kind, position, options.label);
		this.#commit(doc, `Add ${nodeKind(kind)!.title}`);
		this.#select({ nodes: [id], edges: [] });
		return id;
	}

	/**
	 * Adds a node of `kind` one column right of node `after` (its first free row), fed by that
	 * node's first output when the new node's first input takes it: one undo step. Selects it.
	 */
	addNodeAfter(kind: string, after: string): string | null {
		const from = this.node(after);
		const def = nodeKind(kind);
		if (!from || !def) return null;
		const added = edits.withNewNode(this.#doc, kind, spotRightOf(this.#doc, from));
		let doc = added.doc;
		const output = nodeKind(from.kind)?.outputs[0]?.name;
		const input = def.inputs[0]?.name;
		if (output !== undefined && input !== undefined) {
			const link = { from: { node: after, port: output }, to: { node: added.id, port: input } };
			if (checkConnection(doc, link, 'new-edge', this.#inferContext).ok) {
				const id = new IdAllocator(doc.edges.map((edge) => edge.id)).edge(link.from, link.to);
				doc = { ...doc, edges: [...doc.edges, { id, ...link }] };
			}
		}
		this.#commit(doc, `Add ${def.title}`);
		this.#select({ nodes: [added.id], edges: [] });
		return added.id;
	}

	/** Deletes the selected nodes (with their edges) and the selected edges. */
	removeSelection(): boolean {
		const { nodes, edges } = this.#selection;
		return this.#commit(edits.without(this.#doc, nodes, edges), 'Delete');
	}

	/** Puts nodes at new positions (ids not in the document are ignored). */
	moveNodes(moves: Iterable<{ id: string; position: Point }>, options: EditOptions = {}): boolean {
		const positions = [...moves].map(({ id, position }) => [id, position] as const);
		return this.#commit(edits.withPositions(this.#doc, positions), 'Move', options.mark);
	}

	/** Replaces a node's params (a JSON object, copied). False when there is no such node. */
	setParams(id: string, params: Record<string, unknown>, options: EditOptions = {}): boolean {
		const copy = edits.copyParams(id, params);
		const next = edits.withNode(this.#doc, id, (node) => ({ ...node, params: copy }));
		return next !== null && this.#commit(next, 'Edit params', options.mark);
	}

	/** Sets a node's label; '' or undefined removes it. False when there is no such node. */
	setLabel(id: string, label: string | undefined, options: EditOptions = {}): boolean {
		const next = edits.withNode(this.#doc, id, (node) => edits.labelled(node, label));
		return next !== null && this.#commit(next, 'Rename node', options.mark);
	}

	/** Renames the pipeline. */
	rename(name: string, options: EditOptions = {}): boolean {
		return this.#commit({ ...this.#doc, name }, 'Rename pipeline', options.mark);
	}

	/** Whether `connect` would take this edge, and if not, why (nothing changes). */
	checkConnection(connection: Connection): ConnectionCheck {
		return checkConnection(this.#doc, connection, 'new-edge', this.#inferContext);
	}

	/**
	 * Adds an edge, or refuses with a sentence saying why: a missing node or port, a node feeding
	 * itself, an input that already has an edge (an input takes one; disconnect it first), a loop,
	 * or an input the target's params cannot use (the compiler's message, e.g. join key types).
	 */
	connect(connection: Connection): ConnectResult {
		const checked = this.checkConnection(connection);
		if (!checked.ok) return checked;
		const from = { node: connection.from.node, port: connection.from.port };
		const to = { node: connection.to.node, port: connection.to.port };
		const id = new IdAllocator(this.#doc.edges.map((edge) => edge.id)).edge(from, to);
		this.#commit({ ...this.#doc, edges: [...this.#doc.edges, { id, from, to }] }, 'Connect');
		return { ok: true, edge: id };
	}

	/** Removes edges by id. */
	disconnect(edgeIds: Iterable<string>): boolean {
		return this.#commit(edits.without(this.#doc, [], edgeIds), 'Disconnect');
	}

	/** Copies the selected nodes and the edges between them, offset; selects the copies. */
	duplicateSelection(): string[] {
		const fragment = fragmentOf(this.#doc, this.#selection.nodes);
		if (fragment.nodes.length === 0) return [];
		const offset = freeOffset(this.#doc, fragment.nodes, COPY_OFFSET);
		return this.#insert(fragment.nodes, fragment.edges, offset, 'Duplicate');
	}

	/** The selected nodes and the edges between them as document JSON, or null when none. */
	copySelection(): string | null {
		const fragment = fragmentOf(this.#doc, this.#selection.nodes);
		return fragment.nodes.length === 0 ? null : fragmentText(fragment);
	}

	/** `copySelection`, then deletes the selection (one undo step). */
	cutSelection(): string | null {
		const text = this.copySelection();
		if (text !== null) this.removeSelection();
		return text;
	}

	/**
	 * Adds the nodes and edges of clipboard text (`copySelection`'s, or a saved pipeline's) with
	 * new ids, params and labels kept; their top-left at `at`, else offset from where they were.
	 * Selects them. Text that is not such JSON changes nothing and gives `error`.
	 */
	paste(text: string, at?: Point): PasteResult {
		const read = readFragment(text);
		if (!read.ok) return read;
		const total = this.#doc.nodes.length + read.nodes.length;
		if (total > MAX_NODES) {
			const error = `pasting would make ${total} nodes; a pipeline holds at most ${MAX_NODES}`;
			return { ok: false, error };
		}
		const offset =
			at === undefined
				? freeOffset(this.#doc, read.nodes, COPY_OFFSET)
				: edits.offsetTo(read.nodes, at);
		return { ok: true, nodes: this.#insert(read.nodes, read.edges, offset, 'Paste') };
	}

	/** Lays nodes out left to right by depth (see layout.ts). */
	autoLayout(): boolean {
		const positions = layeredLayout(this.#doc, this.#layout);
		return this.#commit(edits.withPositions(this.#doc, positions), 'Tidy layout');
	}

	/** Takes back the last step. False when there was none. */
	undo(): boolean {
		return this.#travel(this.#history.undo(this.#doc));
	}

	/** Does the last undone step again. False when there was none. */
	redo(): boolean {
		return this.#travel(this.#history.redo(this.#doc));
	}

	/** A new, loaded or example document: edited from here with a fresh history and no selection. */
	replaceDocument(doc: PipelineDocument): void {
		this.#doc = doc;
		this.#selection = NO_SELECTION;
		this.#history.clear();
		this.#historyVersion++;
	}

	// ---- Internals ----

	#travel(next: PipelineDocument): boolean {
		const moved = next !== this.#doc;
		this.#setDoc(next);
		this.#historyVersion++;
		return moved;
	}

	/** Records the step from the current document to `next` and makes `next` current. */
	#commit(next: PipelineDocument, label: string, mark?: string): boolean {
		const diff = diffDocuments(this.#doc, next);
		if (isEmptyDiff(diff)) return false;
		if (mark === undefined || this.#history.openMark !== mark) {
			// A command without a mark gets a name no caller can pass, so it never merges.
			this.#history.mark(mark ?? `\0auto:${++this.#autoMarks}`, label);
		}
		this.#history.push(diff);
		this.#setDoc(next);
		this.#historyVersion++;
		return true;
	}

	/** Adds copies (see edits.withCopies) as one step and selects them. */
	#insert(
		nodes: readonly PipelineNode[],
		edges: PipelineDocument['edges'],
		offset: Point,
		label: string
	): string[] {
		const added = edits.withCopies(this.#doc, nodes, edges, offset);
		this.#commit(added.doc, label);
		this.#select({ nodes: added.nodes, edges: added.edges });
		return added.nodes;
	}

	#setDoc(next: PipelineDocument): void {
		this.#doc = next;
		this.#selection = edits.selectionWithin(next, this.#selection);
	}

	#select(selection: Selection): void {
		this.#selection = edits.selectionWithin(this.#doc, selection);
	}
}
