// What the editor's panels share besides the document: the port schemas of every node, short
// notices (a refused connection, a paste that failed), and which dialog is open. The document
// itself lives in PipelineState; this class only derives views from it.

import { getContext, hasContext, setContext } from 'svelte';
import type { EditorEngine } from '../engine/engine.svelte';
import type { NodeResult } from '../engine/results';
import type { PipelineState } from '../state/pipeline.svelte';
import { expectedSourceRows, formatCount } from './run-progress';
import { nodeKind } from '../../nodes/catalogue';
import { schemaIndex, type NodeSchemas, type SchemaIndex } from './schemas';
import { bytesFigure, reportsBytes } from '../engine/source-progress';
import {
	localFileMissing,
	pageDatasets,
	type DatasetStatus,
	type EditorDatasets
} from '../engine/datasets.svelte';
import { displayName } from '../engine/failure';
import { sourceDataset } from '../../nodes/datasets';
import { formatSize } from '../../store/dataset-cache-messages';

export type NoticeKind = 'refused' | 'error' | 'info';

export interface Notice {
	id: number;
	kind: NoticeKind;
	text: string;
}

/** How long a notice stays up. */
export const NOTICE_MS = 6000;

/** What a node card's badge says. */
export interface CardStatus {
	/** 'loading': its (or an upstream source's) dataset is downloading or being read. */
	state: 'idle' | 'loading' | 'running' | 'done' | 'error';
	/** The badge text: "idle", "loading…", "running 40%", "1,234 rows", "error". */
	text: string;
	/** A longer sentence (the error message, rows and timing). */
	detail: string;
	/** 0..1 while running, when known. */
	progress?: number;
	/** A source's bytes: "12.3 MB / 200.0 MB" (or "12.3 MB read") while it reads, and after a
	 * full run the bytes that run read. */
	bytes?: string;
}

const IDLE: CardStatus = { state: 'idle', text: 'idle', detail: 'not previewed yet' };

/** A file source's card while its dataset loads or after it failed; null once it is ready. */
export function datasetCard(status: DatasetStatus | undefined, source: string): CardStatus | null {
	switch (status?.state) {
		case 'loading': {
			const { loaded, total } = status;
			if (status.part === 'footer')
				return {
					state: 'loading',
					text: 'loading…',
					detail: `reading the Parquet footer of ${source}: ${formatSize(loaded)}`
				};
			const of = total ? ` of ${formatSize(total)}` : '';
			return {
				state: 'loading',
				text: total ? `loading ${Math.floor((loaded / total) * 100)}%` : 'loading…',
				detail: `downloading ${source}: ${formatSize(loaded)}${of}`
			};
		}
		case 'error':
			return { state: 'error', text: 'error', detail: status.message };
		case 'missing':
			return { state: 'error', text: 'error', detail: localFileMissing(status.name) };
		default:
			return null;
	}
}

/** A node's last finished result and the node it was made for. */
interface LastGood {
	result: NodeResult;
	/** The document the node was in. */
	doc: string;
	kind: string;
}

const NO_SCHEMAS: NodeSchemas = { inputs: [], outputs: [] };

export class EditorUi {
	notices = $state.raw<Notice[]>([]);
	/** The open dialog, if any. */
	dialog = $state<'plan' | null>(null);
	helpOpen = $state(false);
	/** The node "Connect to…" is choosing an edge for; null when its list is closed. */
	connectFrom = $state<string | null>(null);
	/** The id of the document the last Run was started on (its outcome shows only with it). */
	runDocument = $state<string | null>(null);
	/** Where the pointer is over the canvas, in flow coordinates; null when it is elsewhere.
	 * Pastes land there. Plain (not reactive): read only when pasting. */
	pointer: { x: number; y: number } | null = null;
	/** The canvas element (for the viewport centre). */
	canvasElement = $state.raw<HTMLElement | undefined>();
	/** Shown on an empty canvas after "New". */
	readonly hint = 'Add a source from the palette, then a transform and a sink, and wire them.';

	readonly schemas: SchemaIndex = $derived.by(() =>
		schemaIndex(this.state.doc, this.state.diagnostics, this.state.inferContext)
	);

	/** The node the preview panel shows: the first selected one, else the last sink. */
	readonly shownNode: string | undefined = $derived.by(() => {
		const selected = this.state.selection.nodes[0];
		if (selected !== undefined) return selected;
		const sinks = this.state.doc.nodes.filter((n) => n.kind && this.#isSink(n.kind));
		return sinks.at(-1)?.id;
	});

	/** The nodes previewed as the document changes: the selection, and every sink for its card. */
	readonly previewIds: string[] = $derived.by(() => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, returned as an array
		const ids = new Set(this.state.selection.nodes);
		for (const node of this.state.doc.nodes) if (this.#isSink(node.kind)) ids.add(node.id);
		return [...ids];
	});

	/** Rows the sources will make in a full run, when they all say. */
	readonly expectedRows: number | null = $derived.by(() => expectedSourceRows(this.state.doc));

	/** 0..1 share a running full run has read: of the source rows when every source says how
	 * many, else of the source bytes when every file source knows its size; or null. */
	get runFraction(): number | null {
		const running = this.engine?.running;
		if (!running) return null;
		const expected = this.expectedRows;
		if (expected) return Math.min(1, running.sourceRows / expected);
		return running.bytes?.progress ?? null;
	}

	/**
	 * The last finished result of each node, kept while a newer one is wrong or on its way. Ids
	 * are reused (a new pipeline's first CSV source is `csv-1` again, as is a node added after
	 * one was deleted), so an entry holds the node it was made for: its document and kind, and
	 * it goes when its node leaves the document (`forgetGone`).
	 */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced, never mutated
	#lastGood = $state.raw<ReadonlyMap<string, LastGood>>(new Map());

	#nextNotice = 0;
	// Plain bookkeeping, not shown: no reactivity wanted.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	constructor(
		readonly state: PipelineState,
		readonly engine: EditorEngine | null = null,
		readonly datasets: EditorDatasets = pageDatasets()
	) {}

	/** What node `id`'s own dataset says (loading, failed, missing), if it reads one. */
	#datasetCard(id: string): CardStatus | null {
		const node = this.state.node(id);
		const dataset = node && sourceDataset(node);
		return dataset ? datasetCard(this.datasets.statusOf(dataset.source), dataset.source) : null;
	}

	#isSink(kind: string): boolean {
		return nodeKind(kind)?.category === 'sink';
	}

	/** Remembers the finished results among `results` (called as the engine's results change). */
	remember(results: ReadonlyMap<string, NodeResult>): void {
		const doc = this.state.doc;
		let next: Map<string, LastGood> | null = null;
		for (const [id, result] of results) {
			const node = this.state.node(id);
			if (result.status !== 'done' || !node || this.#lastGood.get(id)?.result === result) continue;
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, then stored raw
			next ??= new Map(this.#lastGood);
			next.set(id, { result, doc: doc.id, kind: node.kind });
		}
		if (next) this.#lastGood = next;
	}

	/** Forgets the results of nodes no longer in the open document (called as it changes). */
	forgetGone(): void {
		const gone = [...this.#lastGood].filter(([id, kept]) => !this.#sameNode(id, kept));
		if (gone.length === 0) return;
		const next = new Map(this.#lastGood); // eslint-disable-line svelte/prefer-svelte-reactivity -- stored raw
		for (const [id] of gone) next.delete(id);
		this.#lastGood = next;
	}

	/** Node `id`'s own last finished result, if it had one since it was added. */
	lastGood(id: string): NodeResult | undefined {
		const kept = this.#lastGood.get(id);
		return kept && this.#sameNode(id, kept) ? kept.result : undefined;
	}

	#sameNode(id: string, kept: LastGood): boolean {
		return kept.doc === this.state.doc.id && this.state.node(id)?.kind === kept.kind;
	}

	schemasOf(id: string): NodeSchemas {
		return this.schemas.get(id) ?? NO_SCHEMAS;
	}

	/**
	 * The badge of node `id`: its dataset loading or failed, else its first error, else what the
	 * engine last did with it. (While a dataset loads the compiler says its schema is not known
	 * yet: the card says it is loading instead.)
	 */
	cardStatus(id: string): CardStatus {
		const dataset = this.#datasetCard(id);
		if (dataset) return dataset;
		const error = this.state.nodeDiagnostics(id).find((d) => d.severity === 'error');
		if (error) return { state: 'error', text: 'error', detail: error.message };
		const activity = this.engine?.nodeStatus(id) ?? 'idle';
		// A source reading now (a full run, or a preview that reads it for a node downstream).
		const reading = this.engine?.sourceBytes(id);
		if (reportsBytes(reading)) {
			const bytes = bytesFigure(reading);
			const p = reading.progress;
			return {
				state: 'running',
				text: p === null ? 'reading…' : `${Math.floor(p * 100)}%`,
				detail: `${bytes}${this.engine?.running ? '' : ' (preview)'}`,
				progress: p ?? undefined,
				bytes
			};
		}
		// A node the last full run passed rows through shows the run's count, not the preview's.
		const ran = this.engine?.lastRunRows(this.state.doc, id) ?? null;
		if (activity === 'idle' && ran !== null) {
			const rows = formatCount(ran);
			const bytes = this.#lastRead(id)?.bytes;
			return {
				state: 'done',
				text: `${rows} rows`,
				detail: `${rows} rows from the last run`,
				...(bytes ? { bytes } : {})
			};
		}
		if (activity === 'idle') return this.#lastRead(id) ?? IDLE;
		if (activity === 'running') {
			const fraction = this.runFraction;
			return fraction === null
				? { state: 'running', text: 'running…', detail: 'computing its result' }
				: {
						state: 'running',
						text: `${Math.floor(fraction * 100)}%`,
						detail: 'the run is streaming',
						progress: fraction
					};
		}
		if ('error' in activity)
			return this.#upstreamDataset(id) ?? { state: 'error', text: 'error', detail: activity.error };
		const read = this.#lastRead(id);
		const from = this.engine?.results.get(id);
		const whole = (from?.status === 'done' && from.from === 'run') || ran !== null;
		const rows = formatCount(
			from?.status === 'done' && from.from === 'run' ? activity.done : (ran ?? activity.done)
		);
		return {
			state: 'done',
			text: `${rows} rows`,
			detail: `${rows} rows ${whole ? 'from the last run' : 'in the preview (first rows of each source)'}`,
			...(read?.bytes ? { bytes: read.bytes } : {})
		};
	}

	/** A preview that failed on an upstream source whose dataset is loading or failed: say so. */
	#upstreamDataset(id: string): CardStatus | null {
		const r = this.engine?.results.get(id);
		if (r?.status !== 'error' || r.node === undefined || r.node === id) return null;
		const card = this.#datasetCard(r.node);
		if (!card) return null;
		const name = displayName(this.state.doc, r.node);
		return card.state === 'loading'
			? { ...card, text: 'waiting…', detail: `waiting for ${name}: ${card.detail}` }
			: { ...card, detail: `${name}: ${card.detail}` };
	}

	/** A source's card after a full run that read it (unchanged since): "read 1.2 MB / 1.2 MB". */
	#lastRead(id: string): CardStatus | null {
		const node = this.state.node(id);
		const read = node ? this.engine?.lastRunBytes(node) : null;
		if (!reportsBytes(read)) return null;
		const bytes = bytesFigure(read);
		return { state: 'done', text: 'read', detail: `the last run read ${bytes}`, bytes };
	}

	/** Shows `text` for a few seconds; a notice of the same kind replaces the last one. */
	notify(kind: NoticeKind, text: string): void {
		const id = ++this.#nextNotice;
		for (const old of this.notices.filter((n) => n.kind === kind)) this.dismiss(old.id);
		this.notices = [...this.notices, { id, kind, text }];
		this.#timers.set(
			id,
			setTimeout(() => this.dismiss(id), NOTICE_MS)
		);
	}

	dismiss(id: number): void {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		this.notices = this.notices.filter((n) => n.id !== id);
	}
}

const KEY = Symbol('sluice.editor-ui');

export function setEditorUi(ui: EditorUi): EditorUi {
	return setContext(KEY, ui);
}

/** The EditorUi the shell set; throws when a panel is used outside the editor shell. */
export function getEditorUi(): EditorUi {
	if (!hasContext(KEY)) {
		throw new Error('EditorUi is missing: render editor panels inside <EditorShell>');
	}
	return getContext<EditorUi>(KEY);
}
