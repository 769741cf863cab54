// The consumer's end of a port ring (see port-ring.ts for the protocol). Runs in the consumer
// stage's worker: queues BATCH messages as they arrive, adopts each popped buffer into the
// worker's LocalPool, and transfers it back to the producer when the last reference is
// dropped (RETURN, carrying the running count of pops).
import { RING } from '../contracts';
import type { BatchSlot, RingStatus } from '../contracts';
import { integrityFailed } from '../channel/messages';
import { checksum } from '../memory/checksum';
import type { LocalPool, ReturnPath } from './local-pool';
import {
	CANCELLED,
	CLOSED,
	FAILED,
	MSG,
	OPEN,
	PortEnd,
	type Message,
	type PortRingEnd
} from './port-ring';
import type { Wakeup } from './wakeup';

/** The consumer's end: tryPop, status; adopted blocks go home through giveBack. */
export class PortConsumer extends PortEnd implements ReturnPath {
	private readonly queue: (Message | undefined)[] = [];
	private head = 0;
	private popped = 0;
	private reported = 0;
	private draining = false;
	/** The producer said no batch follows (CLOSE or QUIET). */
	quietHeard = false;
	/** This end abandoned the ring: it wants no more batches (see port-ring.ts). */
	private gone = false;
	private readonly integrity: boolean;

	constructor(end: PortRingEnd, pool: LocalPool, wake: Wakeup) {
		super(end, end.port, pool, wake);
		this.integrity = end.integrity;
	}

	tryPop(out: BatchSlot): boolean {
		if (this.state === FAILED || this.state === CANCELLED || this.head === this.queue.length)
			return false;
		if (this.gone) return false;
		const m = this.queue[this.head]!;
		this.queue[this.head++] = undefined;
		if (this.head === this.queue.length) this.queue.length = this.head = 0;
		const buffer = m.buffer!;
		this.popped++;
		if (this.integrity) {
			const sum = checksum(buffer, 0, m.byteLength);
			if (sum !== m.checksum) {
				this.giveBack(m.token, buffer);
				this.fail(integrityFailed(this.name, m.seq, m.checksum, sum));
				return false;
			}
		}
		out.block = this.pool.adopt(buffer, this, m.token);
		out.byteLength = m.byteLength;
		out.rows = m.rows;
		out.seq = m.seq;
		out.checksum = m.checksum;
		return true;
	}

	/** OK while batches may come, END once closed and drained, FAILED, CANCELLED. */
	status(): RingStatus {
		if (this.state === FAILED) return RING.FAILED;
		if (this.state === CANCELLED) return RING.CANCELLED;
		if (this.gone) return RING.END;
		return this.state === CLOSED && this.head === this.queue.length ? RING.END : RING.OK;
	}

	/** Batches received and not yet popped. */
	size(): number {
		return this.queue.length - this.head;
	}

	tryPush(): boolean {
		return false;
	}

	/**
	 * Wants no more batches: hands back what is queued (and, from now on, what arrives) unread
	 * and tells the producer (ABANDON). No-op once stopped or abandoned.
	 */
	abandon(): void {
		if (this.gone || this.state === FAILED || this.state === CANCELLED) return;
		this.gone = true;
		this.drain();
		this.flush();
		this.send(MSG.ABANDON, '');
	}

	/** True once this end abandoned the ring. */
	abandoned(): boolean {
		return this.gone;
	}

	/** Whether the host must keep listening for batches to hand back (abandoned, not yet quiet). */
	get awaitingQuiet(): boolean {
		return this.gone && !this.quietHeard;
	}

	/** Queued batches were handed back by abandon(): nothing is left for the stage to release. */
	drainOne(): boolean {
		return false;
	}

	close(): void {}

	/** Sends a released block's buffer home, with the pops so far. */
	giveBack(token: number, buffer: ArrayBuffer): void {
		const out = this.out;
		out.t = MSG.RETURN;
		out.token = token;
		out.buffer = buffer;
		out.popped = this.reported = this.popped;
		this.transfer.length = 0;
		this.transfer.push(buffer);
		this.port.postMessage(out, this.transfer);
		out.buffer = null;
		this.transfer.length = 0;
	}

	/** Reports pops not yet reported; the host calls it before it parks. */
	flush(): void {
		if (this.reported === this.popped) return;
		this.out.popped = this.reported = this.popped;
		this.send(MSG.POPPED, '');
	}

	/** Teardown: returns every queued batch unread, and any that arrives later on arrival. */
	drain(): void {
		this.draining = true;
		while (this.head < this.queue.length) {
			const m = this.queue[this.head++]!;
			this.popped++;
			this.giveBack(m.token, m.buffer!);
		}
		this.queue.length = this.head = 0;
	}

	/** Stops listening (the producer closes the pair). */
	detachPort(): void {
		this.port.onmessage = null;
	}

	protected override receive(m: Message): void {
		if (m.t === MSG.BATCH) {
			if (!this.draining) this.queue.push(m);
			else {
				this.popped++;
				this.giveBack(m.token, m.buffer!);
			}
		} else if (m.t === MSG.CLOSE) {
			this.quietHeard = true;
			if (this.state === OPEN) this.state = CLOSED;
		} else if (m.t === MSG.QUIET) this.quietHeard = true;
		else super.receive(m);
	}
}
