// The trash: a deleted pipeline moves here with its runs (one transaction), and stays until the
// user restores it from the Library, empties the trash, or it is TRASH_MS old (dropped the next
// time the trash is listed). Restoring puts back the same record: id, version, view and runs.
import type { SluiceDb, TrashRecord } from './db';
import { deleteRunsOf } from './runs';
import { NotFoundError, storeMessages } from './errors';

/** How long a deleted pipeline stays in the trash: 30 days. */
export const TRASH_MS = 30 * 24 * 60 * 60 * 1000;

const SESSION = 'session';

/** What the Library lists for an item in the trash. */
export interface TrashItem {
	id: string;
	name: string;
	nodeCount: number;
	summary: string;
	deletedAt: number;
	/** When it will be dropped if nobody restores it. */
	expiresAt: number;
}

/** Moves pipeline `id` and its runs to the trash; forgets it as the last open one. */
export async function moveToTrash(db: SluiceDb, id: string, now: number): Promise<TrashRecord> {
	const tx = db.transaction(['pipelines', 'runs', 'app', 'trash'], 'readwrite');
	const record = await tx.objectStore('pipelines').get(id);
	if (record === undefined) throw new NotFoundError(id);
	const runs = await deleteRunsOf(tx.objectStore('runs'), id);
	await tx.objectStore('pipelines').delete(id);
	const app = await tx.objectStore('app').get(SESSION);
	if (app?.lastOpen === id) await tx.objectStore('app').put({}, SESSION);
	const trashed: TrashRecord = { id, record, runs, deletedAt: now };
	await tx.objectStore('trash').put(trashed);
	await tx.done;
	return trashed;
}

/** Puts pipeline `id` back from the trash, as it was; fails naming it if it is gone. */
export async function restoreFromTrash(db: SluiceDb, id: string, now: number) {
	const tx = db.transaction(['pipelines', 'runs', 'trash'], 'readwrite');
	const trashed = await tx.objectStore('trash').get(id);
	if (trashed === undefined || now - trashed.deletedAt > TRASH_MS) {
		tx.abort();
		await tx.done.catch(() => undefined);
		throw new Error(storeMessages.notInTrash(trashed?.record.name ?? id));
	}
	await tx.objectStore('pipelines').put(trashed.record);
	for (const run of trashed.runs) await tx.objectStore('runs').put(run);
	await tx.objectStore('trash').delete(id);
	await tx.done;
	return trashed.record;
}

/** The trash, last deleted first; drops what is older than TRASH_MS on the way. */
export async function listTrash(db: SluiceDb, now: number): Promise<TrashItem[]> {
	const tx = db.transaction('trash', 'readwrite');
	// The index orders by deletion time, oldest first: expired entries come first.
	let cursor = await tx.store
		.index('deletedAt')
		.openCursor(IDBKeyRange.upperBound(now - TRASH_MS, true));
	while (cursor !== null) {
		await cursor.delete();
		cursor = await cursor.continue();
	}
	const kept = await tx.store.index('deletedAt').getAll();
	await tx.done;
	return kept.reverse().map(({ id, record, deletedAt }) => ({
		id,
		name: record.name,
		nodeCount: record.nodeCount,
		summary: record.summary,
		deletedAt,
		expiresAt: deletedAt + TRASH_MS
	}));
}

/** Deletes everything in the trash for good; resolves with how many pipelines went. */
export async function emptyTrash(db: SluiceDb): Promise<number> {
	const tx = db.transaction('trash', 'readwrite');
	const count = await tx.store.count();
	await tx.store.clear();
	await tx.done;
	return count;
}
