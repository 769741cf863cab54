// The pipeline library: every pipeline the user keeps, autosaved. Framework-free (idb only).
//
// Saving is optimistic concurrency: each record has a version counter, a save names the version
// it started from (`expectedVersion`), and the check and the write happen in ONE readwrite
// transaction, so two tabs (or a slow earlier save and a later one) can never silently overwrite
// each other: the loser gets a ConflictError. Every write turns the browser's quota errors into
// a StorageFullError that says what to delete; nothing in memory is touched by a failed write.
import type { KindLookup } from '../graph/diagnostics';
import type { PipelineDocument } from '../graph/document';
import type { AppState, PipelineRecord, RunRecord, SluiceDb, TrashRecord, View } from './db';
import { openSluiceDb, type OpenOptions } from './db';
import {
	ConflictError,
	isQuotaError,
	NotFoundError,
	StorageFullError,
	type StorageUsage
} from './errors';
import { exportFile, readImport, type ExportedFile, type ImportResult } from './files';
import { documentFields, newRecord, readRecord, recordBytes, type OpenedPipeline } from './records';
import { addRun, getRun, listRuns, RUN_HISTORY_LIMIT } from './runs';
import {
	emptyTrash,
	listTrash,
	moveToTrash,
	restoreFromTrash,
	TRASH_MS,
	type TrashItem
} from './trash';

export { RUN_HISTORY_LIMIT, TRASH_MS, type TrashItem };

const SESSION = 'session';

export interface StoreOptions {
	/** The node catalogue, so loading reports unknown kinds and bad params. */
	kinds?: KindLookup;
	now?: () => number;
	newId?: () => string;
}

export interface PipelineListItem {
	id: string;
	name: string;
	updatedAt: number;
	nodeCount: number;
	summary: string;
	bytes: number;
}

export class PipelineStore {
	readonly #kinds: KindLookup | undefined;
	readonly #now: () => number;
	readonly #newId: () => string;

	constructor(
		readonly db: SluiceDb,
		options: StoreOptions = {}
	) {
		this.#kinds = options.kinds;
		this.#now = options.now ?? Date.now;
		this.#newId = options.newId ?? (() => crypto.randomUUID());
	}

	close(): void {
		this.db.close();
	}

	/** Every pipeline, last edited first; `search` matches the name or the kinds, any case. */
	async listPipelines(options: { search?: string } = {}): Promise<PipelineListItem[]> {
		const records = await this.db.getAllFromIndex('pipelines', 'updatedAt');
		const words = (options.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
		return records
			.reverse()
			.filter((r) => words.every((w) => `${r.name} ${r.summary}`.toLowerCase().includes(w)))
			.map((r) => ({
				id: r.id,
				name: r.name,
				updatedAt: r.updatedAt,
				nodeCount: r.nodeCount,
				summary: r.summary,
				bytes: recordBytes(r)
			}));
	}

	/** The stored pipeline upgraded and validated (see OpenedPipeline), or undefined. */
	async getPipeline(id: string): Promise<OpenedPipeline | undefined> {
		const record = await this.db.get('pipelines', id);
		return record === undefined ? undefined : readRecord(record, this.#kinds);
	}

	/** Stores `doc` as a new pipeline (version 1) and makes it the last open one. */
	async createPipeline(doc: PipelineDocument, options: { view?: View } = {}) {
		return this.savePipeline(this.#newId(), doc, { expectedVersion: 0, view: options.view });
	}

	/**
	 * Writes `doc` over pipeline `id` in one transaction, if its stored version is still
	 * `expectedVersion` (0: the pipeline must not exist yet), and makes it the last open one.
	 * Resolves with the new record (version + 1). Rejects with ConflictError when someone saved
	 * in between, StorageFullError when the browser is out of room.
	 */
	async savePipeline(
		id: string,
		doc: PipelineDocument,
		options: { expectedVersion: number; view?: View }
	): Promise<PipelineRecord> {
		return this.#write(async () => {
			const tx = this.db.transaction(['pipelines', 'app'], 'readwrite');
			const pipelines = tx.objectStore('pipelines');
			const old = await pipelines.get(id);
			const actual = old?.version ?? 0;
			if (actual !== options.expectedVersion) {
				tx.abort();
				await tx.done.catch(() => {});
				throw new ConflictError(id, options.expectedVersion, actual, old?.name ?? doc.name);
			}
			const now = this.#now();
			const view = options.view ?? old?.view;
			const record: PipelineRecord =
				old === undefined
					? newRecord(id, doc, now, view)
					: { ...old, ...documentFields(doc), version: actual + 1, updatedAt: now };
			if (view !== undefined) record.view = view;
			await pipelines.put(record);
			await tx.objectStore('app').put({ lastOpen: id }, SESSION);
			await tx.done;
			return record;
		});
	}

	/** Remembers the viewport of pipeline `id` (no version bump: the document is unchanged). */
	async saveView(id: string, view: View): Promise<void> {
		await this.#write(async () => {
			const tx = this.db.transaction('pipelines', 'readwrite');
			const record = await tx.store.get(id);
			if (record !== undefined) await tx.store.put({ ...record, view });
			await tx.done;
		});
	}

	/** Renames a pipeline that is not open for editing (the editor renames its own by an edit). */
	async renamePipeline(id: string, name: string): Promise<PipelineRecord> {
		return this.#write(async () => {
			const tx = this.db.transaction('pipelines', 'readwrite');
			const old = await tx.store.get(id);
			if (old === undefined) throw new NotFoundError(id);
			const { doc } = readRecord(old, this.#kinds);
			// A record that no longer reads keeps its text: only the library's label changes.
			const fields = doc === null ? { name } : documentFields({ ...doc, name });
			const record = { ...old, ...fields, version: old.version + 1, updatedAt: this.#now() };
			await tx.store.put(record);
			await tx.done;
			return record;
		});
	}

	/** A copy named "… (copy)" with a new id, its own version 1 and no run history. */
	async duplicatePipeline(id: string): Promise<PipelineRecord> {
		return this.#write(async () => {
			const tx = this.db.transaction('pipelines', 'readwrite');
			const old = await tx.store.get(id);
			if (old === undefined) throw new NotFoundError(id);
			const name = `${old.name} (copy)`;
			const { doc } = readRecord(old, this.#kinds);
			const now = this.#now();
			const fields = doc === null ? { name } : documentFields({ ...doc, name });
			const record = {
				...old,
				...fields,
				id: this.#newId(),
				version: 1,
				createdAt: now,
				updatedAt: now
			};
			await tx.store.put(record);
			await tx.done;
			return record;
		});
	}

	/** Moves a pipeline and its runs to the trash, where it stays TRASH_MS (30 days). */
	async deletePipeline(id: string): Promise<TrashRecord> {
		return this.#write(() => moveToTrash(this.db, id, this.#now()));
	}

	/** Puts a pipeline back from the trash as it was (same id, version, view and runs). */
	async restorePipeline(id: string): Promise<PipelineRecord> {
		return this.#write(() => restoreFromTrash(this.db, id, this.#now()));
	}

	/** The trash, last deleted first (what is older than 30 days is dropped first). */
	listTrash(): Promise<TrashItem[]> {
		return listTrash(this.db, this.#now());
	}

	/** Deletes every pipeline in the trash for good; resolves with how many. */
	emptyTrash(): Promise<number> {
		return emptyTrash(this.db);
	}

	/** Reads a pipeline file and stores it as a new pipeline; a bad file stores nothing. */
	async importPipelineFile(text: string): Promise<ImportResult> {
		const read = readImport(text, this.#kinds);
		if (!read.ok) return read;
		const record = await this.createPipeline(read.doc);
		return { ok: true, record, diagnostics: read.diagnostics };
	}

	/** The pipeline as a JSON file to download: the stored text, byte for byte. */
	async exportPipelineFile(id: string): Promise<ExportedFile> {
		const record = await this.db.get('pipelines', id);
		if (record === undefined) throw new NotFoundError(id);
		return exportFile(record);
	}

	async getLastOpen(): Promise<string | undefined> {
		return (await this.db.get('app', SESSION))?.lastOpen;
	}

	async setLastOpen(id: string | undefined): Promise<void> {
		const state: AppState = id === undefined ? {} : { lastOpen: id };
		await this.#write(() => this.db.put('app', state, SESSION));
	}

	/** Stores a run summary; the pipeline keeps its newest RUN_HISTORY_LIMIT runs. */
	async addRun(pipelineId: string, summary: Omit<RunRecord, 'id' | 'pipelineId'>) {
		return this.#write(() => addRun(this.db, { ...summary, id: this.#newId(), pipelineId }));
	}

	/** The pipeline's runs, newest first. */
	listRuns(pipelineId: string): Promise<RunRecord[]> {
		return listRuns(this.db, pipelineId);
	}

	getRun(id: string): Promise<RunRecord | undefined> {
		return getRun(this.db, id);
	}

	/** What takes room: the largest pipelines and the number of runs kept. */
	async usage(): Promise<StorageUsage> {
		const records = await this.db.getAll('pipelines');
		const largest = records
			.map((r) => ({ id: r.id, name: r.name, bytes: recordBytes(r) }))
			.sort((a, b) => b.bytes - a.bytes)
			.slice(0, 5);
		return { largest, runs: await this.db.count('runs') };
	}

	/** Runs a write; a quota error of any browser becomes a StorageFullError. */
	async #write<T>(write: () => Promise<T>): Promise<T> {
		try {
			return await write();
		} catch (error) {
			if (!isQuotaError(error)) throw error;
			const usage = await this.usage().catch(() => null);
			throw new StorageFullError(usage, error);
		}
	}
}

/** Opens the 'sluice' database and a store over it. */
export async function openStore(options: OpenOptions & StoreOptions = {}): Promise<PipelineStore> {
	return new PipelineStore(await openSluiceDb(options), options);
}
