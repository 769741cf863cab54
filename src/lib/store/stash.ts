// The last edit of a closing page, kept synchronously. An IndexedDB write started while a tab
// closes may never commit, so on 'pagehide' the editor also writes its unsaved document to
// localStorage (synchronous, survives the close); the next start writes it into the library,
// guarded by the same version counter, and clears it. A crash (no pagehide) loses at most the
// autosave window.
import type { PipelineDocument } from '../graph/document';
import { loadDocument } from '../graph/load';
import { ConflictError } from './errors';
import type { PipelineStore } from './library';

export const STASH_KEY = 'sluice-unsaved-edit';

export interface Stash {
	id: string;
	/** The stored version the edit was made on. */
	version: number;
	/** True when a save of an earlier edit was being written at the time (it may have landed). */
	saving: boolean;
	json: string;
}

/** Keeps `doc` for `recoverStash`. Never throws (a full or missing localStorage keeps nothing). */
export function writeStash(stash: Omit<Stash, 'json'>, doc: PipelineDocument): void {
	try {
		localStorage.setItem(STASH_KEY, JSON.stringify({ ...stash, json: JSON.stringify(doc) }));
	} catch {
		// Nothing more can be done while the page closes.
	}
}

export function clearStash(): void {
	try {
		localStorage.removeItem(STASH_KEY);
	} catch {
		// as above
	}
}

/**
 * Writes a stashed edit into the library when the stored pipeline is still the version it was
 * made on (or the one the save in flight at the time produced); else leaves the library alone.
 * Resolves with the pipeline id written, or null.
 */
export async function recoverStash(store: PipelineStore): Promise<string | null> {
	let stash: Stash;
	try {
		const text = localStorage.getItem(STASH_KEY);
		if (text === null) return null;
		stash = JSON.parse(text) as Stash;
	} catch {
		clearStash();
		return null;
	}
	const { document } = loadDocument(stash.json);
	if (document === null || typeof stash.id !== 'string') return (clearStash(), null);
	const stored = (await store.db.get('pipelines', stash.id))?.version ?? 0;
	const base = stash.version;
	if (stored !== base && !(stash.saving && stored === base + 1)) return (clearStash(), null);
	try {
		await store.savePipeline(stash.id, document, { expectedVersion: stored });
		clearStash();
		return stash.id;
	} catch (error) {
		if (error instanceof ConflictError) clearStash();
		return null; // a full disk keeps the stash for the next start
	}
}
