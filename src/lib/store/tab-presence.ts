// Which tab has which pipeline open, over BroadcastChannel 'sluice-pipelines', so a second tab
// opening the same pipeline is told and can choose read-only or "take over", and the first is
// told when it is taken over. Messages carry the sender's tab id; a tab ignores its own.
//
//   open      {id}            "I opened pipeline id": tabs holding it answer 'in-use'
//   in-use    {id, to}        "I have id open (for editing)", to the tab that asked
//   take-over {id}            "I edit id from now on": the holder saves what it has, goes
//                             read-only, and answers 'released'
//   released  {id, to}        "my last edit of id is saved"
export const PRESENCE_CHANNEL = 'sluice-pipelines';

export type PresenceMessage =
	| { type: 'open'; id: string; tab: string }
	| { type: 'in-use'; id: string; tab: string; to: string }
	| { type: 'take-over'; id: string; tab: string }
	| { type: 'released'; id: string; tab: string; to: string };

export interface PresenceHandlers {
	/** Another tab has the pipeline this tab just opened. */
	inUseElsewhere(id: string): void;
	/** Another tab took this tab's pipeline over; resolve once this tab's edits are saved. */
	takenOver(id: string): Promise<void>;
}

/** How long `takeOver` waits for the holder to save and release. */
export const RELEASE_WAIT_MS = 1500;

export class TabPresence {
	readonly tab = crypto.randomUUID();
	#channel: BroadcastChannel | null;
	/** The pipeline this tab has open, and whether it edits it (a read-only tab does not answer). */
	#current: { id: string; editing: boolean } | null = null;
	#released = new Map<string, () => void>();

	constructor(private readonly handlers: PresenceHandlers) {
		this.#channel =
			typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(PRESENCE_CHANNEL);
		this.#channel?.addEventListener('message', (event) => this.#receive(event.data));
	}

	/** This tab opened `id` for editing; asks who else has it. */
	claim(id: string): void {
		this.#current = { id, editing: true };
		this.#post({ type: 'open', id, tab: this.tab });
	}

	/** This tab keeps `id` open but read-only (does not answer 'open'). */
	readOnly(): void {
		if (this.#current) this.#current = { ...this.#current, editing: false };
	}

	/** This tab has no library pipeline open. */
	leave(): void {
		this.#current = null;
	}

	/** Tells the holder of `id` to stop editing; resolves once it saved (or after a wait). */
	takeOver(id: string): Promise<void> {
		this.#current = { id, editing: true };
		return new Promise((resolve) => {
			const timer = setTimeout(done, RELEASE_WAIT_MS);
			const released = this.#released;
			function done() {
				clearTimeout(timer);
				released.delete(id);
				resolve();
			}
			released.set(id, done);
			this.#post({ type: 'take-over', id, tab: this.tab });
		});
	}

	close(): void {
		this.#channel?.close();
		this.#channel = null;
	}

	#post(message: PresenceMessage): void {
		this.#channel?.postMessage(message);
	}

	#receive(data: unknown): void {
		const message = data as PresenceMessage;
		if (typeof message !== 'object' || message === null || message.tab === this.tab) return;
		const mine = this.#current?.id === message.id ? this.#current : null;
		switch (message.type) {
			case 'open':
				if (mine?.editing)
					this.#post({ type: 'in-use', id: message.id, tab: this.tab, to: message.tab });
				return;
			case 'in-use':
				if (message.to === this.tab && mine) this.handlers.inUseElsewhere(message.id);
				return;
			case 'take-over':
				if (!mine?.editing) return;
				this.#current = { id: message.id, editing: false };
				void this.handlers
					.takenOver(message.id)
					.finally(() =>
						this.#post({ type: 'released', id: message.id, tab: this.tab, to: message.tab })
					);
				return;
			case 'released':
				if (message.to === this.tab) this.#released.get(message.id)?.();
		}
	}
}
