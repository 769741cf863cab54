// The dataset cache's IndexedDB database, 'sluice-datasets' — separate from the 'sluice' database
// of pipelines (db.ts), so clearing one never touches the other. A dataset's bytes are stored as
// a run of Blob chunks under a fresh blob id; its entry points at that id. A new version of a URL
// is written under a new id and swapped in by one transaction when complete, so a reader always
// sees a whole dataset (the old one until the new one is committed) and a failed write leaves
// only chunks that `discardChunks` removes.
//
// Store version 1:
//   entries  key: url                  index 'lastUsedAt' (least recently used first)
//   chunks   key: [blobId, index]      value { blobId, index, data: Blob }
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const DATASET_DB_NAME = 'sluice-datasets';
export const DATASET_DB_VERSION = 1;

/** What the cache knows about one dataset (its bytes are in the chunks store). */
export interface DatasetEntry {
	url: string;
	/** The id its chunks are stored under. */
	blobId: string;
	chunkCount: number;
	size: number;
	contentType: string;
	etag?: string;
	lastModified?: string;
	/** When the bytes were downloaded (ms since the epoch). */
	fetchedAt: number;
	/** When the server last confirmed them (download or 304). */
	validatedAt: number;
	/** When the page last used them: the least recently used go first. */
	lastUsedAt: number;
}

export interface ChunkRecord {
	blobId: string;
	index: number;
	data: Blob;
}

export interface DatasetCacheSchema extends DBSchema {
	entries: { key: string; value: DatasetEntry; indexes: { lastUsedAt: number } };
	chunks: { key: [string, number]; value: ChunkRecord };
}

export type DatasetDb = IDBPDatabase<DatasetCacheSchema>;

/** Opens (creating or upgrading) the dataset cache database. */
export function openDatasetDb(name: string, onClosed: () => void): Promise<DatasetDb> {
	if (typeof indexedDB === 'undefined')
		return Promise.reject(new Error('IndexedDB is not available here'));
	return openDB<DatasetCacheSchema>(name, DATASET_DB_VERSION, {
		upgrade(db) {
			const entries = db.createObjectStore('entries', { keyPath: 'url' });
			entries.createIndex('lastUsedAt', 'lastUsedAt');
			db.createObjectStore('chunks', { keyPath: ['blobId', 'index'] });
		},
		// Another tab wants a newer version: step aside, the next call reopens.
		blocking() {
			onClosed();
		},
		terminated() {
			onClosed();
		}
	});
}

const chunkRange = (blobId: string) => IDBKeyRange.bound([blobId, 0], [blobId, Infinity]);

/** The dataset's bytes as one Blob of its chunks, or undefined when a chunk is missing. */
export async function readBlob(db: DatasetDb, entry: DatasetEntry): Promise<Blob | undefined> {
	const chunks = await db.getAll('chunks', chunkRange(entry.blobId));
	if (chunks.length !== entry.chunkCount) return undefined;
	return new Blob(
		chunks.map((c) => c.data),
		{ type: entry.contentType }
	);
}

/** Stores one chunk of a dataset being written. */
export async function putChunk(db: DatasetDb, chunk: ChunkRecord): Promise<void> {
	const tx = db.transaction('chunks', 'readwrite');
	// Both the request and the transaction may fail (a quota error arrives as either).
	await Promise.all([tx.store.put(chunk), tx.done]);
}

/** Removes the chunks of a write that will not be committed. */
export async function discardChunks(db: DatasetDb, blobId: string): Promise<void> {
	const tx = db.transaction('chunks', 'readwrite');
	await Promise.all([tx.store.delete(chunkRange(blobId)), tx.done]);
}

/** Makes `entry` the URL's dataset and drops the chunks of the version it replaces. */
export async function commitEntry(db: DatasetDb, entry: DatasetEntry): Promise<void> {
	const tx = db.transaction(['entries', 'chunks'], 'readwrite');
	const entries = tx.objectStore('entries');
	const old = await entries.get(entry.url);
	await entries.put(entry);
	if (old && old.blobId !== entry.blobId)
		await tx.objectStore('chunks').delete(chunkRange(old.blobId));
	await tx.done;
}

/** Deletes a URL's entry and its chunks; false when there was none. */
export async function deleteEntry(db: DatasetDb, url: string): Promise<boolean> {
	const tx = db.transaction(['entries', 'chunks'], 'readwrite');
	const entries = tx.objectStore('entries');
	const old = await entries.get(url);
	if (old) {
		await entries.delete(url);
		await tx.objectStore('chunks').delete(chunkRange(old.blobId));
	}
	await tx.done;
	return old !== undefined;
}

/** Updates an entry's times (a hit or a 304); no-op when the entry is gone. */
export async function touchEntry(
	db: DatasetDb,
	url: string,
	times: Partial<Pick<DatasetEntry, 'lastUsedAt' | 'validatedAt'>>
): Promise<DatasetEntry | undefined> {
	const tx = db.transaction('entries', 'readwrite');
	const entry = await tx.store.get(url);
	if (entry) await tx.store.put({ ...entry, ...times });
	await tx.done;
	return entry && { ...entry, ...times };
}

/** Every entry, least recently used first. */
export function entriesByUse(db: DatasetDb): Promise<DatasetEntry[]> {
	return db.getAllFromIndex('entries', 'lastUsedAt');
}

/**
 * Evicts least recently used entries (never those in `keep`) until the others plus `incoming`
 * bytes fit in `limit`. Returns the bytes the remaining others take, and the evicted URLs.
 */
export async function makeRoom(
	db: DatasetDb,
	incoming: number,
	limit: number,
	keep: ReadonlySet<string>
): Promise<{ othersBytes: number; evicted: string[] }> {
	const others = (await entriesByUse(db)).filter((e) => !keep.has(e.url));
	let othersBytes = others.reduce((sum, e) => sum + e.size, 0);
	const evicted: string[] = [];
	for (const entry of others) {
		if (othersBytes + incoming <= limit) break;
		await deleteEntry(db, entry.url);
		othersBytes -= entry.size;
		evicted.push(entry.url);
	}
	return { othersBytes, evicted };
}

/** Empties both stores. */
export async function clearAll(db: DatasetDb): Promise<void> {
	const tx = db.transaction(['entries', 'chunks'], 'readwrite');
	await Promise.all([tx.objectStore('entries').clear(), tx.objectStore('chunks').clear(), tx.done]);
}
