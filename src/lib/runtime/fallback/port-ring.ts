// The fallback's ring channel: the methods a stage uses of RingChannel (StageRing), carried
// over a MessagePort pair instead of a SharedArrayBuffer. For pages without cross-origin
// isolation; slower (a postMessage per batch), same semantics.
//
// Threads: the producer thread holds a PortProducer (here) over one port of a MessageChannel,
// the consumer thread a PortConsumer (port-consumer.ts) over the other. Each side's
// state lives in its own thread; the other side learns of changes only by message, and a
// message is handled only while its host awaits (see wakeup.ts).
//
// Protocol (all on the one port pair, so each direction is in order):
//   producer -> consumer   BATCH   the block's ArrayBuffer, transferred, with its descriptor
//                          CLOSE   end of stream, after every BATCH
//                          QUIET   teardown: no BATCH follows (sent when not closed)
//   consumer -> producer   RETURN  a released block's buffer, transferred back (recycling),
//                                  with the consumer's running count of pops
//                          POPPED  the running count of pops alone
//                          ABANDON the consumer wants no more batches (early termination)
//   either way             FAIL (with the message) and CANCEL; the first stop wins per side
// Abandon: the consumer hands back every queued batch unread and, from then on, each BATCH on
// arrival (as at teardown), and keeps listening until CLOSE or QUIET says none follows. The
// producer, once ABANDON arrives, refuses pushes (tryPush false, abandoned() true: its stage
// releases the block) and still sends CLOSE when its stage ends. Batches it sent before hearing
// ABANDON come back as RETURNs, so every owned buffer gets home.
// Occupancy is pushed - popped as the producer last heard it, so a slot frees when the
// consumer pops (as in the shared ring), not when it releases the block. The producer's view
// of `popped` is stale in the safe direction: the ring looks fuller than it is. The consumer
// reports pops with each RETURN and, through `flush()`, before its host parks, so a producer
// waiting for room always hears of it.
//
// Memory: a pushed block's buffer leaves the producer's LocalPool (`detach`) but keeps the
// reference the ring took; the consumer adopts it into its own LocalPool, and its last release
// transfers it back, which reattaches it and drops that reference. Fan-out pushes one block
// into several rings; only one of them can take the buffer, so while a block has more than one
// reference each push sends a copy in a fresh block of the producer's pool (the last push,
// with one reference left, transfers the original). If no block is free for the copy, tryPush
// answers false, like a full ring, until a buffer comes back.
//
// Allocation: postMessage clones a small descriptor per batch (the message object and the
// transfer list are reused); the consumer's queue grows to the ring's capacity once. The
// try* methods never throw.
import { NO_BLOCK, RING } from '../contracts';
import type { BlockHandle, RingStatus } from '../contracts';
import { checksum } from '../memory/checksum';
import type { LocalPool } from './local-pool';
import type { Wakeup } from './wakeup';

export const MSG = {
	BATCH: 0,
	CLOSE: 1,
	QUIET: 2,
	RETURN: 3,
	POPPED: 4,
	FAIL: 5,
	CANCEL: 6,
	ABANDON: 7
} as const;

export const OPEN = 0;
export const CLOSED = 1;
export const FAILED = 2;
export const CANCELLED = 3;
const SEQ_MASK = 0x7fffffff;

/** The slice of MessagePort a ring uses (DOM and Node ports alike). */
export interface RingPort {
	postMessage(message: unknown, transfer: Transferable[]): void;
	onmessage: ((event: MessageEvent) => void) | null;
	close(): void;
}

/** One end of a ring as a worker receives it at run start. */
export interface PortRingEnd {
	ring: number;
	side: 'producer' | 'consumer';
	port: MessagePort;
	name: string;
	capacity: number;
	integrity: boolean;
}

/** Every protocol message; fields a kind does not use are left as they were. */
export interface Message {
	t: number;
	buffer: ArrayBuffer | null;
	byteLength: number;
	rows: number;
	seq: number;
	checksum: number;
	token: number;
	popped: number;
	message: string;
}

/** What both ends share: identity, stop state, and sending. */
export abstract class PortEnd {
	readonly name: string;
	readonly capacity: number;
	protected state = OPEN;
	private failure: string | undefined;
	protected readonly out: Message = {
		t: 0,
		buffer: null,
		byteLength: 0,
		rows: 0,
		seq: 0,
		checksum: 0,
		token: 0,
		popped: 0,
		message: ''
	};
	protected readonly transfer: Transferable[] = [];

	constructor(
		end: PortRingEnd,
		protected readonly port: RingPort,
		protected readonly pool: LocalPool,
		protected readonly wake: Wakeup
	) {
		this.name = end.name;
		this.capacity = end.capacity;
		port.onmessage = (event) => {
			this.receive(event.data as Message);
			wake.ring();
		};
	}

	/** Either side: stops the ring with `message`; the first stop wins. */
	fail(message: string): void {
		if (!this.stopLocally(FAILED, message)) return;
		this.send(MSG.FAIL, message);
	}

	/** Either side: stops the ring without an error. */
	cancel(): void {
		if (this.stopLocally(CANCELLED, undefined)) this.send(MSG.CANCEL, '');
	}

	error(): string | undefined {
		return this.state === FAILED ? this.failure : undefined;
	}

	isClosed(): boolean {
		return this.state !== OPEN;
	}

	protected receive(m: Message): void {
		if (m.t === MSG.FAIL) this.stopLocally(FAILED, m.message);
		else if (m.t === MSG.CANCEL) this.stopLocally(CANCELLED, undefined);
	}

	protected send(t: number, message: string): void {
		const out = this.out;
		out.t = t;
		out.message = message;
		this.transfer.length = 0;
		this.port.postMessage(out, this.transfer);
		out.message = '';
	}

	private stopLocally(to: number, message: string | undefined): boolean {
		if (this.state === FAILED || this.state === CANCELLED) return false;
		this.state = to;
		this.failure = message;
		return true;
	}
}

/** The producer's end: tryPush, close; the consumer methods answer "nothing here". */
export class PortProducer extends PortEnd {
	private pushed = 0;
	private popped = 0;
	private seq = 0;
	private quietSent = false;
	/** ABANDON arrived: the consumer wants no more batches. */
	private consumerGone = false;
	private readonly integrity: boolean;

	constructor(end: PortRingEnd, pool: LocalPool, wake: Wakeup) {
		super(end, end.port, pool, wake);
		this.integrity = end.integrity;
	}

	tryPush(block: BlockHandle, byteLength: number, rows: number): boolean {
		if (this.state !== OPEN || this.consumerGone || this.pushed - this.popped >= this.capacity)
			return false;
		const pool = this.pool;
		let send = block;
		if (pool.refCount(block) > 1) {
			// Fan-out: other rings still need this block here, so this one gets a copy.
			send = pool.tryAcquire(byteLength);
			if (send === NO_BLOCK) return false;
			new Uint8Array(pool.bufferOf(send), 0, byteLength).set(
				new Uint8Array(pool.bufferOf(block), pool.offsetOf(block), byteLength)
			);
		}
		const buffer = pool.detach(send);
		if (!buffer) {
			// Only a block whose buffer is already away: refuse rather than send nothing.
			if (send !== block) pool.release(send);
			return false;
		}
		const out = this.out;
		out.t = MSG.BATCH;
		out.buffer = buffer;
		out.byteLength = byteLength;
		out.rows = rows;
		out.seq = this.seq;
		out.token = send;
		out.checksum = this.integrity ? checksum(buffer, 0, byteLength) : 0;
		this.transfer.length = 0;
		this.transfer.push(buffer);
		this.port.postMessage(out, this.transfer);
		out.buffer = null;
		this.transfer.length = 0;
		// The copy went out: this ring's reference to the original is done with.
		if (send !== block) pool.release(block);
		this.pushed++;
		this.seq = (this.seq + 1) & SEQ_MASK;
		return true;
	}

	/** End of stream after what was pushed. No-op unless open. */
	close(): void {
		if (this.state !== OPEN) return;
		this.state = CLOSED;
		this.send(MSG.CLOSE, '');
	}

	/** Teardown: tells the consumer no batch follows, so it may stop listening. */
	quiet(): void {
		if (this.quietSent) return;
		this.quietSent = true;
		this.send(MSG.QUIET, '');
	}

	/** Batches pushed and not yet popped, as last heard (0 once the consumer abandoned). */
	size(): number {
		return this.consumerGone ? 0 : this.pushed - this.popped;
	}

	/** True once ABANDON arrived and the ring was not stopped (a push would be refused). */
	abandoned(): boolean {
		return this.consumerGone && (this.state === OPEN || this.state === CLOSED);
	}

	tryPop(): boolean {
		return false;
	}

	/** The consumer's; nothing to do at the producer's end. */
	abandon(): void {}

	drainOne(): boolean {
		return false;
	}

	status(): RingStatus {
		return this.state === FAILED
			? RING.FAILED
			: this.state === CANCELLED
				? RING.CANCELLED
				: RING.OK;
	}

	/** Closes the port (both ends); call once every pushed buffer is back, or at the deadline. */
	detachPort(): void {
		this.port.onmessage = null;
		this.port.close();
	}

	protected override receive(m: Message): void {
		if (m.t === MSG.RETURN || m.t === MSG.POPPED) {
			if (m.popped > this.popped) this.popped = m.popped;
			if (m.t === MSG.RETURN && m.buffer) {
				if (this.pool.reattach(m.token, m.buffer)) this.pool.release(m.token);
			}
			return;
		}
		if (m.t === MSG.ABANDON) this.consumerGone = true;
		else super.receive(m);
	}
}
