// The editor's link to the pipeline library: which library pipeline the open document is, its
// autosave, the other tabs, and whether this document may run or be saved at all (a shared
// link opens inert and unsaved; a tab that another took over is read-only).
//
// Lineage: every document opened (restored, from the library, New, an example, a link) starts a
// lineage with its own Autosaver. A document replaced through PipelineState.replaceDocument
// (history cleared: nothing to undo or redo) starts a new, unsaved lineage, so opening an example
// never writes over the pipeline that was open; the old lineage's pending save is still written.
// A lineage is stored on its first edit (or run), under a fresh library id.
import { untrack } from 'svelte';
import type { PipelineDocument } from '../../graph/document';
import { Autosaver, type AutosaveState } from '../../store/autosave';
import type { View } from '../../store/db';
import type { PipelineStore } from '../../store/library';
import { writeStash } from '../../store/stash';
import { TabPresence } from '../../store/tab-presence';
import type { EditorEngine } from '../engine/engine.svelte';
import type { FullRun } from '../engine/full-run';
import type { PipelineState } from '../state/pipeline.svelte';
import type { Boot, BrokenPipeline } from './boot';
import { summariseRun } from './run-summary';
import { Toasts } from './toasts.svelte';

export type SaveStatus = AutosaveState | 'off' | 'shared' | 'read-only';

interface Lineage {
	/** The library id, once stored. */
	id: string | null;
	/** The document the lineage started with (an unchanged one is not saved). */
	start: PipelineDocument;
	saver: Autosaver;
}

export class LibrarySession {
	status = $state<SaveStatus>('saved');
	statusError = $state<string | null>(null);
	libraryId = $state<string | null>(null);
	/** From a link and not kept: never saved until "Keep in library". */
	shared = $state(false);
	/** False while a shared pipeline waits for "Trust and preview": no engine, no fetch. */
	trusted = $state(true);
	readOnly = $state(false);
	/** Set when another tab has the pipeline this tab just opened: asks read-only or take over. */
	tabPrompt = $state<string | null>(null);
	broken = $state.raw<BrokenPipeline | null>(null);
	shareError = $state<string | null>(null);
	storeError = $state<string | null>(null);
	dialog = $state<'library' | 'runs' | null>(null);
	/** A viewport the canvas should take (restored pipeline), or 'fit'. */
	viewRequest = $state.raw<{ view: View | 'fit'; seq: number } | null>(null);
	/** Bumped when the library or the run history changed (lists reload). */
	changes = $state(0);
	readonly toasts = new Toasts();
	readonly store: PipelineStore | null;
	/** Called by "Trust and preview" to start the engine. */
	ontrust: (() => void) | null = null;

	#lineage: Lineage;
	#edited = false;
	#presence: TabPresence;
	#engine: EditorEngine | null = null;
	#run: { fullRun: FullRun; at: number } | null = null;
	#cleanup: (() => void)[] = [];

	constructor(
		readonly pipeline: PipelineState,
		boot: Boot
	) {
		this.store = boot.store;
		this.storeError = boot.storeError ?? null;
		this.shareError = boot.shareError ?? null;
		this.broken = boot.broken ?? null;
		this.#presence = new TabPresence({
			inUseElsewhere: (id) => {
				if (id !== this.libraryId) return;
				this.tabPrompt = id;
				this.#refreshStatus();
			},
			takenOver: (id) => this.#takenOver(id)
		});
		this.#lineage = this.#newLineage(null, pipeline.doc, 0);
		if (boot.shared) {
			this.shared = true;
			this.trusted = false;
		} else if (boot.restored) {
			this.#lineage = this.#newLineage(boot.restored.id, pipeline.doc, boot.restored.version);
			this.#presence.claim(boot.restored.id);
			if (boot.restored.view) this.viewRequest = { view: boot.restored.view, seq: 1 };
			if (boot.restored.migratedFrom !== undefined) this.#upgraded(boot.restored.migratedFrom);
		}
		this.#refreshStatus();
		this.#cleanup.push(
			$effect.root(() => {
				$effect(() => {
					const doc = this.pipeline.doc;
					untrack(() => this.#changed(doc));
				});
			})
		);
		this.#listen();
	}

	/** The library id of the open document, or null while it is not stored. */
	get currentId(): string | null {
		return this.libraryId;
	}

	get canSave(): boolean {
		return this.store !== null && !this.shared && !this.readOnly && this.tabPrompt === null;
	}

	/** Writes the pending edit now (the page is being hidden or closed). */
	flush(): Promise<void> {
		return this.#lineage.saver.flush();
	}

	/** Records each full run's summary in the pipeline's history. */
	attachEngine(engine: EditorEngine): void {
		this.#engine = engine;
		this.#cleanup.push(
			$effect.root(() => {
				$effect(() => {
					const fullRun = engine.fullRun;
					if (fullRun) untrack(() => (this.#run = { fullRun, at: Date.now() }));
				});
				$effect(() => {
					const outcome = engine.lastRun;
					if (outcome) untrack(() => void this.#recordRun(outcome));
				});
			})
		);
	}

	/** Opens library pipeline `id` (after writing the current one's pending edit). */
	async open(id: string): Promise<void> {
		if (!this.store) return;
		await this.flush();
		const opened = await this.store.getPipeline(id);
		if (!opened)
			return void this.toasts.show({
				kind: 'error',
				text: `That pipeline is gone: it was deleted.`
			});
		const { record, doc, diagnostics } = opened;
		if (doc === null) {
			const messages = diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
			this.broken = { id: record.id, name: record.name, messages };
			return;
		}
		this.#engine?.stop();
		this.#adopt(record.id, doc, record.version);
		this.viewRequest = { view: record.view ?? 'fit', seq: (this.viewRequest?.seq ?? 0) + 1 };
		if (opened.migratedFrom !== undefined) this.#upgraded(opened.migratedFrom);
		void this.store.setLastOpen(record.id).catch(() => {});
		this.dialog = null;
	}

	/** Stores a shared pipeline in the library (it stays inert until trusted). */
	async keep(): Promise<void> {
		if (!this.store)
			return void this.toasts.show({ kind: 'error', text: this.storeError ?? 'No library.' });
		try {
			const record = await this.store.createPipeline(this.pipeline.doc);
			this.shared = false;
			this.#lineage.saver.dispose();
			this.#lineage = this.#newLineage(record.id, this.#lineage.start, record.version);
			this.#edited = false;
			this.#presence.claim(record.id);
			history.replaceState(history.state, '', location.pathname + location.search);
			this.#refreshStatus();
			this.#lineage.saver.schedule(this.pipeline.doc); // edits made while it was inert
			this.changes++;
			this.toasts.show({ kind: 'info', text: `'${record.name}' is in your library now.` });
		} catch (error) {
			this.#fail(error);
		}
	}

	/** "Trust and preview": the engine starts and the pipeline previews (▶ Run is the user's). */
	trust(): void {
		this.trusted = true;
		this.ontrust?.();
	}

	/** Leaves a shared pipeline: the page reloads without the link. */
	discard(): void {
		history.replaceState(history.state, '', location.pathname + location.search);
		location.reload();
	}

	/** The other tab stops editing; this one continues from the stored version. */
	async takeOver(): Promise<void> {
		const id = this.libraryId;
		if (!id || !this.store) return;
		await this.#presence.takeOver(id);
		const opened = await this.store.getPipeline(id);
		this.tabPrompt = null;
		this.readOnly = false;
		if (opened?.doc && !this.#edited) this.#adopt(id, opened.doc, opened.record.version);
		else {
			// This tab's edits win, as the user asked; they go on top of the stored version.
			this.#lineage.saver.resume(opened?.record.version ?? 0);
			this.#lineage.saver.schedule(this.pipeline.doc);
		}
		this.#refreshStatus();
	}

	stayReadOnly(): void {
		this.tabPrompt = null;
		this.readOnly = true;
		this.#presence.readOnly();
		this.#refreshStatus();
	}

	/** After a conflict: take the stored version and drop this tab's unsaved edit. */
	async reloadStored(): Promise<void> {
		const id = this.libraryId;
		const opened = id && this.store ? await this.store.getPipeline(id) : undefined;
		if (id && opened?.doc) this.#adopt(id, opened.doc, opened.record.version);
	}

	/** Saves the document as a new library pipeline and continues editing that one. */
	async saveAsCopy(): Promise<void> {
		if (!this.store) return;
		try {
			const doc = { ...this.pipeline.doc, name: `${this.pipeline.doc.name} (copy)` };
			const record = await this.store.createPipeline(doc);
			this.readOnly = false;
			this.tabPrompt = null;
			this.#adopt(record.id, doc, record.version);
			this.changes++;
		} catch (error) {
			this.#fail(error);
		}
	}

	/** Remembers the canvas viewport of the open library pipeline. */
	saveView(view: View): void {
		const id = this.libraryId;
		if (id === null || !this.store || !this.canSave) return;
		void this.store.saveView(id, view).catch(() => {});
	}

	dispose(): void {
		for (const stop of this.#cleanup) stop();
		this.#lineage.saver.dispose();
		this.#presence.close();
	}

	/** Makes `doc` (stored as `id` at `version`) the document being edited. */
	#adopt(id: string, doc: PipelineDocument, version: number): void {
		this.#lineage.saver.dispose();
		this.#lineage = this.#newLineage(id, doc, version);
		this.#edited = false;
		this.broken = null;
		this.pipeline.replaceDocument(doc);
		this.#presence.claim(id);
		this.#refreshStatus();
	}

	#newLineage(id: string | null, start: PipelineDocument, version: number): Lineage {
		const lineage: Lineage = { id, start, saver: null as unknown as Autosaver };
		lineage.saver = new Autosaver({
			version,
			save: async (doc, expectedVersion) => {
				if (!this.store) throw new Error(this.storeError ?? 'no library');
				if (lineage.id === null) {
					lineage.id = crypto.randomUUID();
					if (this.#lineage === lineage) {
						this.libraryId = lineage.id;
						this.#presence.claim(lineage.id);
					}
				}
				const record = await this.store.savePipeline(lineage.id, doc, { expectedVersion });
				this.changes++;
				return record.version;
			},
			onChange: (state, error) => {
				if (this.#lineage !== lineage) return;
				this.statusError = error?.message ?? null;
				this.#refreshStatus(state);
			}
		});
		this.libraryId = id;
		return lineage;
	}

	#changed(doc: PipelineDocument): void {
		const lineage = this.#lineage;
		if (doc === lineage.start && !this.#edited) return;
		if (!this.pipeline.canUndo && !this.pipeline.canRedo && doc !== lineage.start) {
			// replaceDocument (New, an example): a new, unsaved pipeline; the old one's edit is kept.
			void lineage.saver.flush();
			this.#presence.leave();
			this.#lineage = this.#newLineage(null, doc, 0);
			this.#edited = false;
			this.#refreshStatus();
			return;
		}
		this.#edited = true;
		if (this.canSave) lineage.saver.schedule(doc);
		else this.#refreshStatus();
	}

	#refreshStatus(state: AutosaveState = this.#lineage.saver.state): void {
		if (this.store === null) this.status = 'off';
		else if (this.shared) this.status = 'shared';
		else if (this.readOnly || this.tabPrompt !== null) this.status = 'read-only';
		else this.status = state;
		if (state === 'full' && this.statusError)
			this.toasts.show({ kind: 'error', text: this.statusError }, 12_000);
	}

	async #takenOver(id: string): Promise<void> {
		if (id !== this.libraryId) return;
		await this.flush();
		this.readOnly = true;
		this.#refreshStatus();
		this.toasts.show(
			{
				kind: 'error',
				text: `'${this.pipeline.doc.name}' was taken over in another tab; this tab is read-only now.`,
				testId: 'taken-over',
				actions: [{ label: 'Take back', testId: 'take-back', run: () => void this.takeOver() }]
			},
			12_000
		);
	}

	async #recordRun(outcome: Parameters<typeof summariseRun>[0]): Promise<void> {
		const run = this.#run;
		this.#run = null;
		const summary = summariseRun(outcome, run?.fullRun ?? null, run?.at ?? Date.now());
		if (!summary || !this.store || !this.canSave) return;
		try {
			const lineage = this.#lineage;
			if (lineage.id === null) {
				lineage.saver.schedule(this.pipeline.doc);
				await lineage.saver.flush();
			}
			if (lineage.id === null) return;
			await this.store.addRun(lineage.id, summary);
			this.changes++;
		} catch (error) {
			this.#fail(error);
		}
	}

	/** Keeps the unsaved edit in localStorage: the IndexedDB write may not finish as the page goes. */
	#stash(): void {
		const { saver, id } = this.#lineage;
		if (!this.canSave || (!saver.pending && !saver.saving)) return;
		const libraryId = id ?? crypto.randomUUID();
		if (id === null) this.#lineage.id = this.libraryId = libraryId;
		writeStash({ id: libraryId, version: saver.version, saving: saver.saving }, this.pipeline.doc);
	}

	#upgraded(from: number): void {
		this.toasts.show({
			kind: 'info',
			text: `This pipeline was saved by an older Sluice (document version ${from}); it was upgraded and is saved in the new format with your next edit.`
		});
	}

	#fail(error: unknown): void {
		this.toasts.show(
			{ kind: 'error', text: error instanceof Error ? error.message : String(error) },
			12_000
		);
	}

	#listen(): void {
		const hide = () => {
			if (document.visibilityState === 'hidden') void this.flush();
		};
		const pagehide = () => {
			this.#stash();
			void this.flush();
		};
		const hashchange = () => {
			if (location.hash.startsWith('#p=')) location.reload();
		};
		document.addEventListener('visibilitychange', hide);
		window.addEventListener('pagehide', pagehide);
		window.addEventListener('hashchange', hashchange);
		this.#cleanup.push(() => {
			document.removeEventListener('visibilitychange', hide);
			window.removeEventListener('pagehide', pagehide);
			window.removeEventListener('hashchange', hashchange);
		});
	}
}
