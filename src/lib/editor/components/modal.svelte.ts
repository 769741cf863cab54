// The one mechanism behind every modal dialog (ModalDialog.svelte): how many are open, so the
// page's own key handlers (shortcuts, xyflow's Delete) stand down while one is, and the focus
// helpers the dialog uses to keep Tab inside and give focus back when it closes.

const open = $state({ count: 0 });

/** True while a modal dialog is open: keys belong to it, not to the canvas behind it. */
export function modalOpen(): boolean {
	return open.count > 0;
}

/** Marks one more dialog open; the returned function marks it closed (call it once). */
export function enterModal(): () => void {
	open.count += 1;
	let left = false;
	return () => {
		if (left) return;
		left = true;
		open.count -= 1;
	};
}

const TABBABLE = [
	'a[href]',
	'button:not([disabled])',
	'input:not([disabled]):not([type="hidden"])',
	'select:not([disabled])',
	'textarea:not([disabled])',
	'[tabindex]:not([tabindex="-1"])'
].join(', ');

/** The elements Tab visits inside `root`, in order (hidden ones left out). */
export function tabbables(root: HTMLElement): HTMLElement[] {
	return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter(
		(el) => el.tabIndex >= 0 && el.getClientRects().length > 0
	);
}

/**
 * Keeps Tab inside `root`: from the last element Tab goes to the first, from the first
 * Shift+Tab to the last, and from anywhere else not in the list (the dialog itself, an element
 * that just disappeared) to the first or last. Returns true when it moved focus.
 */
export function wrapTab(root: HTMLElement, event: KeyboardEvent): boolean {
	const list = tabbables(root);
	if (list.length === 0) {
		event.preventDefault();
		root.focus();
		return true;
	}
	const first = list[0];
	const last = list[list.length - 1];
	const at = list.indexOf(document.activeElement as HTMLElement);
	const target = event.shiftKey
		? at <= 0
			? last
			: null
		: at === -1 || at === list.length - 1
			? first
			: null;
	if (!target) return false;
	event.preventDefault();
	target.focus();
	return true;
}
