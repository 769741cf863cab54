// Parking for the fallback host: instead of Atomics.wait on a doorbell, the host awaits the
// next message on any of its ports (or a timer). Single-threaded: message handlers run only
// while the host is awaiting, so a message that arrives while stages step is handled at the
// next await, after which the host steps again — no wake-up is lost.
//
// Allocates one promise and one timer per wait.

export class Wakeup {
	private resolve: (() => void) | null = null;
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** Called by every message handler (and by control): ends the current wait, if any. */
	ring(): void {
		const resolve = this.resolve;
		if (!resolve) return;
		this.resolve = null;
		clearTimeout(this.timer);
		resolve();
	}

	/** Resolves at the next ring() or after `ms`, whichever comes first. */
	wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			this.resolve = resolve;
			this.timer = setTimeout(() => {
				this.resolve = null;
				resolve();
			}, ms);
		});
	}
}
