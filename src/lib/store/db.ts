// The 'sluice' IndexedDB database: its object stores, their records and how it is opened.
// The dataset cache lives in a database of its own (dataset-cache*.ts); this one holds what the
// user made: pipelines, their run history, and small app state (the last open pipeline).
//
// Store version 2 (the IndexedDB schema, not the document version):
//   pipelines  key: id                     index 'updatedAt'
//   runs       key: id                     index 'pipeline-at' on [pipelineId, at]
//   app        key: a name ('session')     small values
//   trash      key: id (the pipeline's)    index 'deletedAt'   (added in version 2)
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const DB_NAME = 'sluice';
export const DB_VERSION = 2;

/** The canvas viewport a pipeline was last looked at with. */
export interface View {
	x: number;
	y: number;
	zoom: number;
}

export interface PipelineRecord {
	/** The library's own id (not the document's `id`, which is content and may repeat). */
	id: string;
	name: string;
	/** The document as saved: JSON text, kept byte for byte even when it no longer validates. */
	json: string;
	/** The document format version `json` was written with (DOCUMENT_VERSION at the time). */
	docVersion: number;
	/** Bumped by every write of `json`; a save names the version it started from. */
	version: number;
	createdAt: number;
	updatedAt: number;
	nodeCount: number;
	/** Node kinds in flow order, e.g. "csv → filter → table". */
	summary: string;
	view?: View;
}

export interface RunSinkSummary {
	node: string;
	name: string;
	rowsIn: number;
	rowsOut: number;
}

export interface RunEdgeSummary {
	/** The ring's name, e.g. "filter → table". */
	name: string;
	/** Mean rows per second over the run's samples. */
	rowsPerSec: number;
	/** Highest share of a window the producer spent blocked, 0..1. */
	peakBackpressure: number;
}

export interface RunRecord {
	id: string;
	pipelineId: string;
	/** When the run started (ms since the epoch). */
	at: number;
	durationMs: number;
	status: 'done' | 'failed' | 'cancelled';
	/** The failure's sentence, for a failed run. */
	message?: string;
	sourceRows: number;
	sinks: RunSinkSummary[];
	edges: RunEdgeSummary[];
	peakBackpressure: number;
	bottleneck: string | null;
	/** The run's metrics report ('sluice-metrics' v1) or the last rates window before it exists. */
	metrics?: unknown;
	/** Sources that skipped, nulled or cut rows or dropped columns: "2 rows skipped" per node. */
	sources?: RunSourceSummary[];
}

export interface RunSourceSummary {
	node: string;
	name: string;
	text: string;
}

/** A deleted pipeline with its runs, kept until restored, emptied or TRASH_MS old. */
export interface TrashRecord {
	/** The pipeline's library id (it keeps it when restored). */
	id: string;
	record: PipelineRecord;
	runs: RunRecord[];
	deletedAt: number;
}

export interface AppState {
	lastOpen?: string;
}

export interface SluiceSchema extends DBSchema {
	pipelines: { key: string; value: PipelineRecord; indexes: { updatedAt: number } };
	runs: { key: string; value: RunRecord; indexes: { 'pipeline-at': [string, number] } };
	app: { key: string; value: AppState };
	trash: { key: string; value: TrashRecord; indexes: { deletedAt: number } };
}

export type SluiceDb = IDBPDatabase<SluiceSchema>;

export interface OpenOptions {
	/** Database name (tests use one per test). Default 'sluice'. */
	name?: string;
	/** Give up opening after this long (another tab holding an old version open). Default 3 s. */
	timeoutMs?: number;
}

/** Opens (creating or upgrading) the database. Rejects when IndexedDB is missing or blocked. */
export async function openSluiceDb(options: OpenOptions = {}): Promise<SluiceDb> {
	if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is missing');
	const opening = openDB<SluiceSchema>(options.name ?? DB_NAME, DB_VERSION, {
		upgrade(db, oldVersion) {
			// One step per store version; each runs once, in order.
			if (oldVersion < 1) {
				const pipelines = db.createObjectStore('pipelines', { keyPath: 'id' });
				pipelines.createIndex('updatedAt', 'updatedAt');
				const runs = db.createObjectStore('runs', { keyPath: 'id' });
				runs.createIndex('pipeline-at', ['pipelineId', 'at']);
				db.createObjectStore('app');
			}
			if (oldVersion < 2) {
				// Deleted pipelines go to a trash instead of away (version 1 deleted them outright).
				db.createObjectStore('trash', { keyPath: 'id' }).createIndex('deletedAt', 'deletedAt');
			}
		},
		blocking() {
			// A newer version wants to open in another tab: let it, this tab reopens on reload.
			void opening.then((db) => db.close());
		}
	});
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error('opening the library timed out (another tab may hold it)')),
			options.timeoutMs ?? 3000
		);
	});
	try {
		return await Promise.race([opening, timeout]);
	} finally {
		clearTimeout(timer);
	}
}
