// What the page opens with, read before the editor renders (from +page.ts, in parallel with the
// first example's fetch so a fresh profile opens no slower): a share link from the URL
// fragment (decoded, inert), else the last pipeline the user had open, else the example.
// Never throws: a library that cannot be opened leaves the editor working without saving.
import type { Diagnostic } from '../../graph/diagnostics';
import type { PipelineDocument } from '../../graph/document';
import { decodeShareFragment, isShareFragment } from '../../graph/share-link';
import { kindLookup } from '../../nodes/catalogue';
import type { View } from '../../store/db';
import { openStore, type PipelineStore } from '../../store/library';
import { storeMessages } from '../../store/errors';
import { recoverStash } from '../../store/stash';

/** A stored pipeline that no longer reads: kept as it is, shown with why. */
export interface BrokenPipeline {
	id: string;
	name: string;
	messages: string[];
}

export interface Boot {
	/** The library, or null (with `storeError`) when this browser cannot give one. */
	store: PipelineStore | null;
	storeError?: string;
	/** The last open pipeline, when there is one and it reads. */
	restored?: {
		id: string;
		doc: PipelineDocument;
		version: number;
		view?: View;
		migratedFrom?: number;
	};
	/** The last open pipeline did not read: it stays in the library untouched. */
	broken?: BrokenPipeline;
	/** A pipeline from the link: opens inert. */
	shared?: { doc: PipelineDocument; diagnostics: Diagnostic[] };
	/** The link was not readable: why (the library is not touched). */
	shareError?: string;
}

export async function bootSession(hash: string): Promise<Boot> {
	const sharing = isShareFragment(hash) ? decodeShareFragment(hash, kindLookup) : null;
	let store: PipelineStore | null = null;
	const boot: Boot = { store: null };
	try {
		store = await openStore({ kinds: kindLookup });
		boot.store = store;
	} catch (error) {
		boot.storeError = storeMessages.unavailable(
			error instanceof Error ? error.message : String(error)
		);
	}
	if (sharing !== null) {
		const decoded = await sharing;
		if (decoded.ok)
			return { ...boot, shared: { doc: decoded.doc, diagnostics: decoded.diagnostics } };
		boot.shareError = decoded.error;
	}
	if (store === null) return boot;
	try {
		await recoverStash(store);
		const last = await store.getLastOpen();
		const opened = last === undefined ? undefined : await store.getPipeline(last);
		if (opened === undefined) return boot;
		const { record, doc, diagnostics } = opened;
		if (doc === null) {
			const messages = diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
			return { ...boot, broken: { id: record.id, name: record.name, messages } };
		}
		boot.restored = { id: record.id, doc, version: record.version };
		if (record.view) boot.restored.view = record.view;
		if (opened.migratedFrom !== undefined) boot.restored.migratedFrom = opened.migratedFrom;
	} catch (error) {
		boot.storeError = storeMessages.unavailable(
			error instanceof Error ? error.message : String(error)
		);
	}
	return boot;
}
