// Run history: one summary per full run, per pipeline, newest RUN_HISTORY_LIMIT kept (the
// oldest dropped in the same transaction that adds a new one).
import type { IDBPObjectStore, StoreNames } from 'idb';
import type { RunRecord, SluiceDb, SluiceSchema } from './db';

/** Runs kept per pipeline. */
export const RUN_HISTORY_LIMIT = 20;

const ofPipeline = (pipelineId: string) =>
	IDBKeyRange.bound([pipelineId, -Infinity], [pipelineId, Infinity]);

/** Adds `run` and drops the pipeline's oldest runs beyond `limit`. Resolves with `run`. */
export async function addRun(
	db: SluiceDb,
	run: RunRecord,
	limit = RUN_HISTORY_LIMIT
): Promise<RunRecord> {
	const tx = db.transaction('runs', 'readwrite');
	await tx.store.put(run);
	const index = tx.store.index('pipeline-at');
	let extra = (await index.count(ofPipeline(run.pipelineId))) - limit;
	// The index orders a pipeline's runs by `at`, oldest first.
	let cursor = extra > 0 ? await index.openCursor(ofPipeline(run.pipelineId)) : null;
	while (cursor !== null && extra > 0) {
		await cursor.delete();
		extra--;
		cursor = await cursor.continue();
	}
	await tx.done;
	return run;
}

/** The pipeline's runs, newest first. */
export async function listRuns(db: SluiceDb, pipelineId: string): Promise<RunRecord[]> {
	const runs = await db.getAllFromIndex('runs', 'pipeline-at', ofPipeline(pipelineId));
	return runs.reverse();
}

export function getRun(db: SluiceDb, id: string): Promise<RunRecord | undefined> {
	return db.get('runs', id);
}

/** Deletes a pipeline's runs inside the caller's transaction; resolves with what it deleted. */
export async function deleteRunsOf(
	store: IDBPObjectStore<SluiceSchema, ArrayLike<StoreNames<SluiceSchema>>, 'runs', 'readwrite'>,
	pipelineId: string
): Promise<RunRecord[]> {
	const deleted: RunRecord[] = [];
	let cursor = await store.index('pipeline-at').openCursor(ofPipeline(pipelineId));
	while (cursor !== null) {
		deleted.push(cursor.value);
		await cursor.delete();
		cursor = await cursor.continue();
	}
	return deleted;
}
