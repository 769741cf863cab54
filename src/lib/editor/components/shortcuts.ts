// Keyboard shortcuts: one table for the help popover and for the key handler, so the two never
// disagree. "Mod" is Cmd on a Mac and Ctrl elsewhere.

export type Command =
	| 'undo'
	| 'redo'
	| 'duplicate'
	| 'select-all'
	| 'fit-view'
	| 'auto-layout'
	| 'connect'
	| 'run'
	| 'escape'
	| 'help';

export interface Shortcut {
	command: Command;
	/** How the help lists it. */
	keys: string;
	description: string;
	/** Also works while typing in a field. */
	inFields?: boolean;
	matches(event: KeyboardEvent): boolean;
}

const mod = (event: KeyboardEvent) => event.ctrlKey || event.metaKey;
const key = (event: KeyboardEvent, k: string) => event.key.toLowerCase() === k;

export const SHORTCUTS: readonly Shortcut[] = [
	{
		command: 'undo',
		keys: 'Mod+Z',
		description: 'Undo',
		inFields: true,
		matches: (e) => mod(e) && !e.shiftKey && key(e, 'z')
	},
	{
		command: 'redo',
		keys: 'Shift+Mod+Z',
		description: 'Redo (also Mod+Y)',
		inFields: true,
		matches: (e) => mod(e) && ((e.shiftKey && key(e, 'z')) || key(e, 'y'))
	},
	{
		command: 'duplicate',
		keys: 'Mod+D',
		description: 'Duplicate the selected nodes',
		matches: (e) => mod(e) && key(e, 'd')
	},
	{
		command: 'select-all',
		keys: 'Mod+A',
		description: 'Select every node and edge',
		matches: (e) => mod(e) && key(e, 'a')
	},
	{
		command: 'run',
		keys: 'Mod+Enter',
		description: 'Run the whole pipeline (again to stop)',
		inFields: true,
		matches: (e) => mod(e) && e.key === 'Enter'
	},
	{
		command: 'fit-view',
		keys: 'F',
		description: 'Fit the pipeline in view',
		matches: (e) => !mod(e) && !e.altKey && key(e, 'f')
	},
	{
		command: 'auto-layout',
		keys: 'L',
		description: 'Auto layout',
		matches: (e) => !mod(e) && !e.altKey && key(e, 'l')
	},
	{
		command: 'connect',
		keys: 'C',
		description: 'Connect the selected node to another node (a list of the nodes that fit)',
		matches: (e) => !mod(e) && !e.altKey && key(e, 'c')
	},
	{
		command: 'help',
		keys: '?',
		description: 'Show these shortcuts',
		matches: (e) => e.key === '?'
	},
	{
		command: 'escape',
		keys: 'Esc',
		description: 'Close a menu or dialog, clear the selection',
		inFields: true,
		matches: (e) => e.key === 'Escape'
	}
];

/** Other gestures the help lists (handled by the browser or the canvas). */
export const GESTURES: readonly { keys: string; description: string }[] = [
	{ keys: 'Delete / Backspace', description: 'Delete the selection' },
	{ keys: 'Tab', description: 'Go to the next node or edge and select it' },
	{ keys: 'Mod+C / Mod+X / Mod+V', description: 'Copy, cut, paste nodes (as JSON text)' },
	{ keys: 'Shift+drag', description: 'Box select' },
	{ keys: 'Mod+click', description: 'Add to the selection' },
	{ keys: 'Arrow keys', description: 'Move the selected nodes' },
	{ keys: 'Drag a handle', description: 'Connect an output to an input' },
	{ keys: 'Ctrl+Space', description: 'Complete a column or function in an expression' }
];

/** True when the key went to a text field, a select or an editable element. */
export function inField(event: Event): boolean {
	const target = event.target as HTMLElement | null;
	if (!target || typeof target.closest !== 'function') return false;
	return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/**
 * Marks a region whose keys are not the canvas's: dialogs and banners. It is xyflow's own
 * class, so its Delete/Backspace handler stands down there too.
 */
export const KEYS_OWNED = 'nokey';

/** True when the key was pressed in a dialog or a banner, which handle their own keys. */
export function inKeyOwner(event: Event): boolean {
	const target = event.target as HTMLElement | null;
	if (!target || typeof target.closest !== 'function') return false;
	return target.closest(`.${KEYS_OWNED}, dialog, [role="dialog"], [role="alertdialog"]`) !== null;
}

/** The command `event` asks for, if any (none for a key pressed in a dialog or a banner). */
export function commandOf(event: KeyboardEvent): Command | null {
	if (inKeyOwner(event)) return null;
	const typing = inField(event);
	for (const shortcut of SHORTCUTS) {
		if (typing && !shortcut.inFields) continue;
		if (shortcut.matches(event)) return shortcut.command;
	}
	return null;
}
