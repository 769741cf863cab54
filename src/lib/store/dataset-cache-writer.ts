// Writes one downloaded dataset into the cache while it streams in. Incoming pieces are gathered
// into chunks of `chunkBytes`; each chunk becomes a Blob at once (the pieces are dropped), is
// stored, and the same Blob is a part of the Blob handed to the page — one copy of the data, not
// two. Room is made chunk by chunk by evicting least recently used entries, never the one being
// written. If the dataset outgrows the whole limit, or storage refuses a write (quota), caching
// stops — the chunks written so far are removed — but the download carries on, and the reason
// is kept for the page to show.
import {
	commitEntry,
	discardChunks,
	makeRoom,
	putChunk,
	type DatasetDb,
	type DatasetEntry
} from './dataset-cache-db';
import { datasetCacheMessages } from './dataset-cache-messages';

/** Why a dataset was served but not kept in the cache. */
export interface CacheSkip {
	readonly code: 'too_big' | 'quota' | 'write_failed' | 'unavailable';
	/** A sentence for the page: what, why, and what to do. */
	readonly message: string;
}

export interface WriterOptions {
	readonly url: string;
	readonly limitBytes: number;
	readonly chunkBytes: number;
	readonly blobId: string;
}

export class DatasetWriter {
	/** The Blob parts of the whole dataset (also the stored chunks while caching). */
	private readonly parts: Blob[] = [];
	private pending: Uint8Array[] = [];
	private pendingBytes = 0;
	private storedChunks = 0;
	private storedBytes = 0;
	private othersBytes = 0;
	/** Bytes received so far. */
	size = 0;
	skip: CacheSkip | undefined;

	constructor(
		private readonly db: DatasetDb | undefined,
		private readonly opts: WriterOptions,
		unavailable?: string
	) {
		if (!db)
			this.skip = {
				code: 'unavailable',
				message: datasetCacheMessages.unavailable(opts.url, unavailable ?? 'no IndexedDB')
			};
	}

	/** Makes room for an announced size up front, or skips caching if it can never fit. */
	async start(announced: number | undefined): Promise<void> {
		if (this.skip || !this.db) return;
		if (announced !== undefined && announced > this.opts.limitBytes)
			return this.stop('too_big', datasetCacheMessages.tooBig(this.opts.url, this.opts.limitBytes));
		try {
			const room = await makeRoom(this.db, announced ?? 0, this.opts.limitBytes, this.keep());
			this.othersBytes = room.othersBytes;
		} catch (error) {
			await this.stopForError(error);
		}
	}

	/** Takes the next piece of the body. */
	async push(bytes: Uint8Array): Promise<void> {
		this.pending.push(bytes);
		this.pendingBytes += bytes.byteLength;
		this.size += bytes.byteLength;
		if (this.pendingBytes >= this.opts.chunkBytes) await this.flush();
	}

	/** Stores the rest and commits the entry; returns the dataset as one Blob. */
	async finish(
		meta: Omit<DatasetEntry, 'url' | 'blobId' | 'chunkCount' | 'size'>
	): Promise<{ blob: Blob; entry?: DatasetEntry }> {
		await this.flush();
		const blob = new Blob(this.parts, { type: meta.contentType });
		if (this.skip || !this.db) return { blob };
		const entry: DatasetEntry = {
			...meta,
			url: this.opts.url,
			blobId: this.opts.blobId,
			chunkCount: this.storedChunks,
			size: this.size
		};
		try {
			await commitEntry(this.db, entry);
			return { blob, entry };
		} catch (error) {
			await this.stopForError(error);
			return { blob };
		}
	}

	/** Gives up the write (download failed or was cancelled): removes stored chunks. */
	async abort(): Promise<void> {
		if (this.db && this.storedChunks > 0) await discardChunks(this.db, this.opts.blobId);
	}

	private keep() {
		return new Set([this.opts.url]);
	}

	private async flush(): Promise<void> {
		if (this.pendingBytes === 0) return;
		const chunk = new Blob(this.pending as BlobPart[]);
		this.pending = [];
		this.pendingBytes = 0;
		this.parts.push(chunk);
		if (!this.skip) await this.store(chunk);
	}

	private async store(chunk: Blob): Promise<void> {
		const db = this.db!;
		const { limitBytes, url } = this.opts;
		if (this.storedBytes + chunk.size > limitBytes)
			return this.stop('too_big', datasetCacheMessages.tooBig(url, limitBytes));
		try {
			if (this.othersBytes + this.storedBytes + chunk.size > limitBytes) {
				const needed = this.storedBytes + chunk.size;
				this.othersBytes = (await makeRoom(db, needed, limitBytes, this.keep())).othersBytes;
			}
			await putChunk(db, { blobId: this.opts.blobId, index: this.storedChunks, data: chunk });
			this.storedChunks++;
			this.storedBytes += chunk.size;
		} catch (error) {
			await this.stopForError(error);
		}
	}

	private async stopForError(error: unknown): Promise<void> {
		const name = (error as { name?: string })?.name;
		const detail = error instanceof Error ? error.message : String(error);
		if (name === 'QuotaExceededError')
			return this.stop('quota', datasetCacheMessages.quota(this.opts.url, detail));
		return this.stop('write_failed', datasetCacheMessages.writeFailed(this.opts.url, detail));
	}

	private async stop(code: CacheSkip['code'], message: string): Promise<void> {
		this.skip = { code, message };
		try {
			await this.abort();
		} catch {
			// The chunks stay orphaned until the next clearCache; nothing reads them.
		}
		this.storedChunks = 0;
		this.storedBytes = 0;
	}
}
