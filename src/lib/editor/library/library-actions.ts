// What the library dialog, the toolbar and a dropped file ask of the library, with what the
// user sees: rename, duplicate, delete with undo, import, export, copy a share link.
import { encodeShareFragment, MAX_SHARE_URL_CHARS } from '../../graph/share-link';
import { serializeDocument } from '../../graph/serialize';
import { fileNameFor } from '../../store/files';
import type { LibrarySession } from './session.svelte';
import { download } from './toasts.svelte';

/** How long the "Undo" of a delete stays up. */
export const UNDO_TOAST_MS = 5000;

function fail(session: LibrarySession, error: unknown): void {
	const text = error instanceof Error ? error.message : String(error);
	session.toasts.show({ kind: 'error', text }, 12_000);
}

export async function renamePipeline(session: LibrarySession, id: string, name: string) {
	const clean = name.trim();
	if (!clean || !session.store) return;
	// The open pipeline is renamed by an edit (undoable, autosaved); others in the store.
	if (id === session.libraryId) session.pipeline.rename(clean, { mark: 'rename' });
	else await session.store.renamePipeline(id, clean).catch((e: unknown) => fail(session, e));
	session.changes++;
}

export async function duplicatePipeline(session: LibrarySession, id: string) {
	if (!session.store) return;
	if (id === session.libraryId) await session.flush();
	await session.store.duplicatePipeline(id).catch((e: unknown) => fail(session, e));
	session.changes++;
}

/** Moves a pipeline to the trash (30 days; restore it from the Library), with a quick Undo. */
export async function deletePipeline(session: LibrarySession, id: string) {
	if (!session.store || id === session.libraryId) return;
	try {
		const trashed = await session.store.deletePipeline(id);
		session.changes++;
		session.toasts.show(
			{
				kind: 'info',
				text: `Moved '${trashed.record.name}' to the trash.`,
				testId: 'deleted-toast',
				actions: [
					{
						label: 'Undo',
						testId: 'undo-delete',
						run: () => void restorePipeline(session, id)
					}
				]
			},
			UNDO_TOAST_MS
		);
	} catch (error) {
		fail(session, error);
	}
}

/** Puts a pipeline back from the trash into the library. */
export async function restorePipeline(session: LibrarySession, id: string) {
	if (!session.store) return;
	try {
		await session.store.restorePipeline(id);
		session.changes++;
	} catch (error) {
		fail(session, error);
	}
}

/** Deletes everything in the trash for good. */
export async function emptyTrash(session: LibrarySession) {
	if (!session.store) return;
	try {
		await session.store.emptyTrash();
		session.changes++;
	} catch (error) {
		fail(session, error);
	}
}

/** Imports a pipeline file into the library and opens it (unless a shared one is on show). */
export async function importPipeline(session: LibrarySession, text: string, fileName: string) {
	if (!session.store) return fail(session, session.storeError);
	try {
		const result = await session.store.importPipelineFile(text);
		if (!result.ok) return fail(session, `${fileName}: ${result.error.replace(/^this file /, '')}`);
		session.changes++;
		if (session.shared) {
			session.toasts.show({
				kind: 'info',
				text: `Imported '${result.record.name}' into the library.`
			});
		} else {
			await session.open(result.record.id);
			session.toasts.show({
				kind: 'info',
				text: `Imported '${result.record.name}' from ${fileName}.`
			});
		}
	} catch (error) {
		fail(session, error);
	}
}

/** Downloads a library pipeline, or the open one as it is in the editor now. */
export async function exportPipeline(session: LibrarySession, id: string | null) {
	if (id === null || id === session.libraryId) {
		const doc = session.pipeline.doc;
		return download(fileNameFor(doc.name), serializeDocument(doc));
	}
	try {
		const file = await session.store!.exportPipelineFile(id);
		download(file.fileName, file.text);
	} catch (error) {
		fail(session, error);
	}
}

/** Puts the whole document in a link; over MAX_SHARE_URL_CHARS, offers the JSON file instead. */
export async function copyShareLink(session: LibrarySession) {
	const doc = session.pipeline.doc;
	const url = `${location.origin}${location.pathname}#${await encodeShareFragment(doc)}`;
	if (url.length > MAX_SHARE_URL_CHARS) {
		return session.toasts.show(
			{
				kind: 'error',
				testId: 'share-too-long',
				text:
					`The link would be ${url.length.toLocaleString('en')} characters — too long for most ` +
					`chat tools (about ${MAX_SHARE_URL_CHARS.toLocaleString('en')}). Send the JSON file instead.`,
				actions: [
					{
						label: 'Download JSON',
						testId: 'share-download',
						run: () => download(fileNameFor(doc.name), serializeDocument(doc))
					}
				]
			},
			15_000
		);
	}
	let copied = true;
	try {
		await navigator.clipboard.writeText(url);
	} catch {
		copied = false;
	}
	session.toasts.show(
		{
			kind: 'info',
			testId: 'share-toast',
			link: url,
			text: copied
				? `Link copied (${url.length.toLocaleString('en')} characters). Whoever opens it sees this pipeline; nothing runs until they trust it.`
				: 'The browser refused the clipboard: copy the link below.'
		},
		15_000
	);
}
