// The editor's commands as the toolbar, the keyboard and the clipboard events call them: each
// is one call into PipelineState (or the engine) plus what the user sees (a notice, a view fit).

import type { FitViewOptions } from '@xyflow/svelte';
import type { PipelineDocument } from '../../graph/document';
import { emptyDocument } from '../../graph/document';
import type { PipelineState } from '../state/pipeline.svelte';
import type { EditorUi } from './editor-ui.svelte';
import { FIT_VIEW } from './fit-view';
import { fetchExample } from './examples';
import type { Command } from './shortcuts';

/** What the actions need of the canvas (xyflow's useSvelteFlow). */
export interface ViewPort {
	fitView(options?: FitViewOptions): Promise<boolean>;
}

/** What the actions need of the engine: run and stop. */
export interface Runner {
	readonly isRunning: boolean;
	run(doc: PipelineDocument): void;
	stop(): void;
}

const FIT = FIT_VIEW;

export class EditorActions {
	runner: Runner | null = null;

	constructor(
		readonly state: PipelineState,
		readonly ui: EditorUi,
		readonly view: ViewPort
	) {}

	undo(): void {
		this.state.undo();
	}

	redo(): void {
		this.state.redo();
	}

	duplicate(): void {
		if (this.state.duplicateSelection().length === 0) {
			this.ui.notify('info', 'Select nodes to duplicate them.');
		}
	}

	/** "Connect to…": the nodes whose ports fit the focused node, else the one selected node. */
	connectSelected(): void {
		const focused = focusedNode();
		const { nodes } = this.state.selection;
		const subject = focused ?? (nodes.length === 1 ? nodes[0] : null);
		if (subject === null) return this.ui.notify('info', 'Select one node to connect it.');
		this.ui.connectFrom = subject;
	}

	deleteSelection(): void {
		this.state.removeSelection();
	}

	/** An empty pipeline with a fresh history; the canvas shows the hint. */
	newDocument(): void {
		this.runner?.stop();
		this.state.replaceDocument(emptyDocument());
	}

	/** Opens a pipeline (an example, a file) and fits it in view. */
	open(doc: PipelineDocument): void {
		this.runner?.stop();
		this.state.replaceDocument(doc);
		void this.view.fitView(FIT);
	}

	async openExample(file: string): Promise<void> {
		const loaded = await fetchExample(file);
		if (loaded.ok) this.open(loaded.doc);
		else this.ui.notify('error', loaded.error);
	}

	autoLayout(): void {
		this.state.autoLayout();
		void this.view.fitView(FIT);
	}

	fitView(): void {
		void this.view.fitView({ ...FIT, duration: 200 });
	}

	toggleRun(): void {
		if (!this.runner) return;
		if (this.runner.isRunning) this.runner.stop();
		else this.runner.run(this.state.doc);
	}

	/** Writes the selection to the system clipboard (the Copy button). */
	async copy(): Promise<void> {
		const text = this.state.copySelection();
		if (text === null) return this.ui.notify('info', 'Select nodes to copy them.');
		try {
			await navigator.clipboard.writeText(text);
			this.ui.notify('info', `Copied ${this.state.selection.nodes.length} node(s) as JSON.`);
		} catch {
			this.ui.notify('error', 'The browser refused the clipboard: use Ctrl+C (Cmd+C) instead.');
		}
	}

	/** Reads the system clipboard (the Paste button). */
	async pasteFromClipboard(): Promise<void> {
		let text: string;
		try {
			text = await navigator.clipboard.readText();
		} catch {
			return this.ui.notify(
				'error',
				'The browser refused the clipboard: use Ctrl+V (Cmd+V) instead.'
			);
		}
		this.paste(text);
	}

	/** Pastes at the pointer when it is over the canvas, else offset from the originals. */
	paste(text: string): void {
		const result = this.state.paste(text, this.ui.pointer ?? undefined);
		if (!result.ok) this.ui.notify('error', `Nothing pasted: ${result.error}`);
	}

	/** The 'copy'/'cut' event: nodes as document JSON, unless the user copies text. */
	onClipboard(event: ClipboardEvent, cut: boolean): void {
		if (!event.clipboardData || textIsSelected(event)) return;
		const text = cut ? this.state.cutSelection() : this.state.copySelection();
		if (text === null) return;
		event.clipboardData.setData('text/plain', text);
		event.preventDefault();
	}

	onPaste(event: ClipboardEvent): void {
		if (!event.clipboardData || isEditable(event.target)) return;
		const text = event.clipboardData.getData('text/plain');
		if (!text) return;
		event.preventDefault();
		this.paste(text);
	}

	exec(command: Command, event?: KeyboardEvent): void {
		switch (command) {
			case 'undo':
				return this.undo();
			case 'redo':
				return this.redo();
			case 'duplicate':
				return this.duplicate();
			case 'select-all':
				return this.state.selectAll();
			case 'fit-view':
				return this.fitView();
			case 'auto-layout':
				return this.autoLayout();
			case 'connect':
				return this.connectSelected();
			case 'run':
				return this.toggleRun();
			case 'help':
				this.ui.helpOpen = !this.ui.helpOpen;
				return;
			case 'escape':
				if (this.ui.helpOpen || this.ui.dialog !== null || this.ui.connectFrom !== null) {
					this.ui.helpOpen = false;
					this.ui.dialog = null;
					this.ui.connectFrom = null;
				} else if (!event || !isEditable(event.target)) {
					this.state.clearSelection();
				}
				return;
		}
	}
}

/** The canvas node that has keyboard focus, if one has. */
function focusedNode(): string | null {
	const active = typeof document === 'undefined' ? null : document.activeElement;
	return active?.classList.contains('svelte-flow__node') ? active.getAttribute('data-id') : null;
}

function isEditable(target: EventTarget | null): boolean {
	const element = target as HTMLElement | null;
	if (!element || typeof element.closest !== 'function') return false;
	return element.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** True when the user is copying text (in a field, or selected on the page). */
function textIsSelected(event: Event): boolean {
	if (isEditable(event.target)) return true;
	const selection = typeof window === 'undefined' ? null : window.getSelection();
	return selection !== null && !selection.isCollapsed && selection.toString().length > 0;
}
