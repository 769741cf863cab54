// Autosave's timing and ordering, framework-free (the editor's AutosaveSession wires it to the
// document). Every edit is saved within `maxWaitMs`: a save starts `debounceMs` after the last
// edit, or `maxWaitMs` after the first unsaved one while edits keep coming. Saves never overlap:
// a save that starts while an earlier one is still being written waits for it and takes the
// version it produced, so a slow earlier save can never land after (and over) a later one.
import type { PipelineDocument } from '../graph/document';
import { ConflictError, StorageFullError } from './errors';

export const AUTOSAVE_DEBOUNCE_MS = 300;
export const AUTOSAVE_MAX_WAIT_MS = 1000;

/** 'conflict': someone else saved this pipeline; autosave stops until the caller decides. */
export type AutosaveState = 'saved' | 'pending' | 'saving' | 'full' | 'conflict' | 'error';

export interface AutosaverOptions {
	/** Writes `doc` if the stored version is `expectedVersion`; resolves with the new version. */
	save(doc: PipelineDocument, expectedVersion: number): Promise<number>;
	/** The stored version the first save starts from (0: not stored yet). */
	version: number;
	debounceMs?: number;
	maxWaitMs?: number;
	onChange?(state: AutosaveState, error: Error | null): void;
}

export class Autosaver {
	#version: number;
	#pending: PipelineDocument | null = null;
	#inFlight: Promise<void> | null = null;
	#debounce: ReturnType<typeof setTimeout> | undefined;
	#maxWait: ReturnType<typeof setTimeout> | undefined;
	#state: AutosaveState = 'saved';
	#error: Error | null = null;
	#disposed = false;
	readonly #options: AutosaverOptions;

	constructor(options: AutosaverOptions) {
		this.#options = options;
		this.#version = options.version;
	}

	/** The stored version the next save expects. */
	get version(): number {
		return this.#version;
	}

	get state(): AutosaveState {
		return this.#state;
	}

	get error(): Error | null {
		return this.#error;
	}

	/** The latest edit not yet written (nor being written), if any. */
	get pending(): PipelineDocument | null {
		return this.#pending;
	}

	/** True while a save is being written. */
	get saving(): boolean {
		return this.#inFlight !== null;
	}

	/** True while an edit is not yet written. */
	get dirty(): boolean {
		return this.#pending !== null || this.#inFlight !== null;
	}

	/** Takes `doc` as the latest edit; it is written within maxWaitMs. */
	schedule(doc: PipelineDocument): void {
		if (this.#disposed) return;
		this.#pending = doc;
		if (this.#state === 'conflict') return; // kept, but not written over the other tab's
		this.#set('pending', this.#error);
		clearTimeout(this.#debounce);
		this.#debounce = setTimeout(
			() => void this.flush(),
			this.#options.debounceMs ?? AUTOSAVE_DEBOUNCE_MS
		);
		this.#maxWait ??= setTimeout(
			() => void this.flush(),
			this.#options.maxWaitMs ?? AUTOSAVE_MAX_WAIT_MS
		);
	}

	/** Writes the latest edit now (after any save in flight). Resolves once nothing is pending
	 * or a save failed; never rejects (the failure is in `state` and `error`). */
	async flush(): Promise<void> {
		clearTimeout(this.#debounce);
		clearTimeout(this.#maxWait);
		this.#debounce = this.#maxWait = undefined;
		while (this.#inFlight !== null) await this.#inFlight;
		const doc = this.#pending;
		if (doc === null || this.#state === 'conflict' || this.#disposed) return;
		this.#pending = null;
		this.#inFlight = this.#write(doc);
		await this.#inFlight;
		this.#inFlight = null;
		// Edits made while this one was written are saved by their own timers (or a flush).
	}

	/** After a conflict: continue from `version` (e.g. after taking over or reloading). */
	resume(version: number): void {
		this.#version = version;
		this.#set(this.#pending === null ? 'saved' : 'pending', null);
		if (this.#pending !== null) void this.flush();
	}

	/** Stops the timers; what is pending is dropped (flush first to keep it). */
	dispose(): void {
		this.#disposed = true;
		clearTimeout(this.#debounce);
		clearTimeout(this.#maxWait);
	}

	async #write(doc: PipelineDocument): Promise<void> {
		this.#set('saving', null);
		try {
			this.#version = await this.#options.save(doc, this.#version);
			this.#set(this.#pending === null ? 'saved' : 'pending', null);
		} catch (error) {
			// The edit stays pending, so the next edit or flush writes it (quota) or the caller
			// decides (conflict); nothing is lost from memory.
			this.#pending ??= doc;
			const err = error instanceof Error ? error : new Error(String(error));
			if (error instanceof ConflictError) this.#set('conflict', err);
			else this.#set(error instanceof StorageFullError ? 'full' : 'error', err);
		}
	}

	#set(state: AutosaveState, error: Error | null): void {
		this.#state = state;
		this.#error = error;
		this.#options.onChange?.(state, error);
	}
}
