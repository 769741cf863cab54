// Short messages from the library with buttons ("Moved 'X' to the trash. Undo"), shown for a few seconds.
export interface ToastAction {
	label: string;
	testId: string;
	run(): void;
}

export interface Toast {
	id: number;
	kind: 'info' | 'error';
	text: string;
	actions: ToastAction[];
	/** A link to show in a field the user can select (share links). */
	link?: string;
	testId: string;
}

export const TOAST_MS = 6000;

export class Toasts {
	list = $state.raw<Toast[]>([]);
	#next = 0;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not shown
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	show(
		toast: Omit<Toast, 'id' | 'actions' | 'testId'> & Partial<Pick<Toast, 'actions' | 'testId'>>,
		ms = TOAST_MS
	): number {
		const id = ++this.#next;
		const full: Toast = { actions: [], testId: `toast-${toast.kind}`, ...toast, id };
		this.list = [...this.list, full];
		this.#timers.set(
			id,
			setTimeout(() => this.dismiss(id), ms)
		);
		return id;
	}

	dismiss(id: number): void {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		this.list = this.list.filter((t) => t.id !== id);
	}
}

/** Starts a download of `text` as `fileName`. */
export function download(fileName: string, text: string, type = 'application/json'): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "just now", "5 min ago", "3 h ago", "yesterday", else the date. */
export function relativeTime(at: number, now = Date.now()): string {
	const s = Math.max(0, (now - at) / 1000);
	if (s < 45) return 'just now';
	if (s < 3600) return `${Math.round(s / 60)} min ago`;
	if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
	if (s < 172_800) return 'yesterday';
	return new Date(at).toLocaleDateString(); // eslint-disable-line svelte/prefer-svelte-reactivity -- formatted once
}
