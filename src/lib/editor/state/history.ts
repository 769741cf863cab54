// The undo stack: document diffs grouped under named marks (tldraw's HistoryManager). A mark opens
// a group; every diff pushed while it is open merges into one entry, so a drag or a burst of typing
// undoes in one step. Undo, redo and the next mark close the group. Plain TypeScript: the state
// class wraps it and makes what the UI reads reactive.

import type { PipelineDocument } from '../../graph/document';
import {
	applyDiff,
	composeDiffs,
	invertDiff,
	isEmptyDiff,
	type DocumentDiff
} from './document-diff';

export {
	applyDiff,
	composeDiffs,
	diffDocuments,
	emptyDiff,
	invertDiff,
	isEmptyDiff,
	jsonEqual,
	type DocumentDiff,
	type RecordChanges
} from './document-diff';

/** Undo steps kept by default; older ones are forgotten. */
export const DEFAULT_HISTORY_DEPTH = 500;

/** One undo step: the diff it undoes and the name of the mark it was made under. */
export interface HistoryEntry {
	/** The mark's name (what `mark` was given). */
	mark: string;
	/** Words for an "Undo …" menu item, e.g. 'Move nodes'. */
	label: string;
	diff: DocumentDiff;
}

export interface HistoryOptions {
	/** Undo steps kept; the oldest is dropped past it. At least 1 (default 500). */
	maxDepth?: number;
}

export class HistoryManager {
	readonly maxDepth: number;
	#undos: HistoryEntry[] = [];
	#redos: HistoryEntry[] = [];
	/** The open group: its mark, label, and whether its entry is on top of the undo stack. */
	#open: { mark: string; label: string; hasEntry: boolean } | null = null;

	constructor({ maxDepth = DEFAULT_HISTORY_DEPTH }: HistoryOptions = {}) {
		if (!Number.isInteger(maxDepth) || maxDepth < 1) {
			throw new RangeError(`maxDepth must be a whole number of at least 1; got ${maxDepth}`);
		}
		this.maxDepth = maxDepth;
	}

	/**
	 * Opens a new group named `name`: the next push starts a new undo step, and later pushes merge
	 * into it until another mark, an undo, a redo or `clear`. Marking twice with the same name
	 * still makes two steps. `label` is the step's name in menus (default: `name`).
	 */
	mark(name: string, label: string = name): void {
		this.#open = { mark: name, label, hasEntry: false };
	}

	/** The name of the open group, or null when none is open (pushes then make their own step). */
	get openMark(): string | null {
		return this.#open?.mark ?? null;
	}

	/**
	 * Records an edit, `diff` taken from the current document. Merges into the open group's step,
	 * else starts a step; either way the redo stack is dropped. An empty diff records nothing.
	 */
	push(diff: DocumentDiff): void {
		if (isEmptyDiff(diff)) return;
		this.#redos = [];
		const open = this.#open;
		if (open !== null && open.hasEntry) {
			const top = this.#undos[this.#undos.length - 1];
			top.diff = composeDiffs(top.diff, diff);
			// Edits that cancel out (typed then deleted) leave nothing to undo.
			if (isEmptyDiff(top.diff)) {
				this.#undos.pop();
				open.hasEntry = false;
			}
			return;
		}
		const entry: HistoryEntry = { mark: open?.mark ?? '', label: open?.label ?? '', diff };
		this.#undos.push(entry);
		if (open !== null) open.hasEntry = true;
		if (this.#undos.length > this.maxDepth) this.#undos.shift();
	}

	get canUndo(): boolean {
		return this.#undos.length > 0;
	}

	get canRedo(): boolean {
		return this.#redos.length > 0;
	}

	/** Label of the step `undo` would take back, or null. */
	get undoLabel(): string | null {
		return this.#undos[this.#undos.length - 1]?.label ?? null;
	}

	/** Label of the step `redo` would do again, or null. */
	get redoLabel(): string | null {
		return this.#redos[this.#redos.length - 1]?.label ?? null;
	}

	/** Steps on the undo stack. */
	get undoDepth(): number {
		return this.#undos.length;
	}

	/** `doc` (the current document) with the last step taken back; `doc` itself when none. */
	undo(doc: PipelineDocument): PipelineDocument {
		this.#open = null;
		const entry = this.#undos.pop();
		if (entry === undefined) return doc;
		this.#redos.push(entry);
		return applyDiff(doc, invertDiff(entry.diff));
	}

	/** `doc` with the last undone step done again; `doc` itself when none. */
	redo(doc: PipelineDocument): PipelineDocument {
		this.#open = null;
		const entry = this.#redos.pop();
		if (entry === undefined) return doc;
		this.#undos.push(entry);
		return applyDiff(doc, entry.diff);
	}

	/** Forgets every step (a new or loaded document starts a fresh history). */
	clear(): void {
		this.#undos = [];
		this.#redos = [];
		this.#open = null;
	}
}
