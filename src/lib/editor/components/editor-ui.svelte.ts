// What the editor's panels share besides the document: the port schemas of every node, short
// notices (a refused connection, a paste that failed), and which dialog is open. The document
// itself lives in PipelineState; this class only derives views from it.

import { getContext, hasContext, setContext } from 'svelte';
import type { PipelineState } from '../state/pipeline.svelte';
import { schemaIndex, type NodeSchemas, type SchemaIndex } from './schemas';

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
	state: 'idle' | 'running' | 'done' | 'error';
	/** The badge text: "idle", "running 40%", "1,234 rows", "error". */
	text: string;
	/** A longer sentence (the error message, rows and timing). */
	detail: string;
	/** 0..1 while running, when known. */
	progress?: number;
}

const IDLE: CardStatus = { state: 'idle', text: 'idle', detail: 'not previewed yet' };

const NO_SCHEMAS: NodeSchemas = { inputs: [], outputs: [] };

export class EditorUi {
	notices = $state.raw<Notice[]>([]);
	/** The open dialog, if any. */
	dialog = $state<'plan' | null>(null);
	helpOpen = $state(false);
	/** The canvas element (for the viewport centre). */
	canvasElement = $state.raw<HTMLElement | undefined>();
	/** Shown on an empty canvas after "New". */
	readonly hint = 'Add a source from the palette, then a transform and a sink, and wire them.';

	readonly schemas: SchemaIndex = $derived.by(() =>
		schemaIndex(this.state.doc, this.state.diagnostics)
	);

	#nextNotice = 0;
	// Plain bookkeeping, not shown: no reactivity wanted.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	constructor(readonly state: PipelineState) {}

	schemasOf(id: string): NodeSchemas {
		return this.schemas.get(id) ?? NO_SCHEMAS;
	}

	/** The badge of node `id`: its first error, else what the engine last did with it. */
	cardStatus(id: string): CardStatus {
		const error = this.state.nodeDiagnostics(id).find((d) => d.severity === 'error');
		if (error) return { state: 'error', text: 'error', detail: error.message };
		return IDLE;
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
