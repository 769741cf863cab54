// Peek: a sample of the rows passing one edge of a running pipeline, taken without stopping it.
//
// Roles: the page (main thread) asks; the edge's consumer stage (in its worker) answers with up
// to `maxRows` rows of the next batch it pops from that edge. The page never blocks and the
// worker never waits for the page, so a peek cannot deadlock a run or a cancel; the worker copies
// the rows during its own turn and keeps no reference, so no pool block is ever held for a peek.
//
// Shared-memory runs: one peek region per run (a SharedArrayBuffer), one request at a time.
//   Int32 cells (HEADER_BYTES = 64):
//     EDGE       the ring asked about, NONE when no request is open, CLAIMED while a consumer
//                fills the payload
//     STATE      IDLE, or FILLED once a payload is complete
//     MAX_ROWS   rows wanted (written before EDGE publishes the request)
//     LENGTH     payload bytes (UTF-8 JSON of PeekPayload)
//   bytes HEADER_BYTES.. : the payload.
//   Page: writes MAX_ROWS, STATE = IDLE, then `Atomics.store(EDGE, edge)` publishes the request.
//   Consumer (on every pop, one Atomics.load of EDGE): when EDGE is its ring it claims the request
//   with compareExchange(EDGE, edge, CLAIMED), writes the payload and LENGTH, then
//   `Atomics.store(STATE, FILLED)` publishes them, EDGE returns to NONE and STATE is notified.
//   The page polls STATE every POLL_MS while a request is open. To give up (timeout, run ended)
//   it takes the request back with compareExchange(EDGE, edge, NONE); if that fails a consumer
//   has claimed it and finishes without blocking (the claim always ends, with an empty payload if
//   sampling threw), so the page waits for FILLED up to CLAIM_GRACE_MS more. A claim that never
//   ends (its worker died) is abandoned; a later ask then answers from the last sample instead of
//   publishing over it, so a late payload can never answer the wrong request.
//   The payload is encoded into private memory and copied in: Chromium's TextEncoder.encodeInto
//   refuses views of a SharedArrayBuffer.
// Message-passing runs (fallback/): the page posts one `peek` message to the consumer's worker,
// which answers with one message carrying the same payload: one message each way per peek.
//
// Staleness: the rows are those of the first batch popped after the request. Allocation: the
// worker allocates the payload's rows and JSON once per peek; nothing per batch otherwise.
import { valueText } from '../batch/value-text';
import type { FrameSchema } from '../batch/types';
import { valueAt } from '../batch/values';
import type { BatchView } from '../contracts';

/** What `run.peek(edge)` returns: a sample of the rows crossing that edge. */
export interface PeekResult {
	edge: number;
	/** Sequence number of the sampled batch on its ring. */
	seq: number;
	rowsInBatch: number;
	schema: { names: string[]; types: string[] };
	/** At most maxRows rows, JSON-safe: int64 as strings, dates and timestamps as ISO text. */
	rows: unknown[][];
	/** Page clock (performance.timeOrigin + now) when the sample reached the page. */
	takenAtMs: number;
}

/** What the consumer sends: a PeekResult without the page's timestamp. */
export type PeekPayload = Omit<PeekResult, 'takenAtMs'>;

export const PEEK_REGION_BYTES = 256 << 10;
export const PEEK_MAX_ROWS = 1000;
const HEADER_BYTES = 64;
const EDGE = 0;
const STATE = 1;
const MAX_ROWS = 2;
const LENGTH = 3;
const NONE = -1;
const CLAIMED = -2;
const IDLE = 0;
const FILLED = 1;
const POLL_MS = 5;
/** How long a peek waits for a batch before answering with the previous sample (or null). */
export const PEEK_TIMEOUT_MS = 5000;
/** How long a peek that timed out waits for a consumer that already claimed it. */
const CLAIM_GRACE_MS = 1000;

/** A JSON-safe copy of up to `maxRows` live rows of a batch. */
export function samplePayload(
	edge: number,
	seq: number,
	view: BatchView,
	selection: Uint32Array | null,
	count: number,
	schema: FrameSchema,
	maxRows: number
): PeekPayload {
	const n = Math.min(count, Math.max(0, maxRows));
	const rows: unknown[][] = [];
	for (let i = 0; i < n; i++) {
		const r = selection ? selection[i] : i;
		rows.push(view.columns.map((col) => jsonValue(valueAt(col, r), col.type)));
	}
	return {
		edge,
		seq,
		rowsInBatch: count,
		schema: { names: [...schema.names], types: [...schema.types] },
		rows
	};
}

function jsonValue(v: number | bigint | boolean | string | null, type: string): unknown {
	if (v === null) return null;
	if (type === 'date32' || type === 'timestamp') return valueText(type, v);
	if (typeof v === 'bigint') return v.toString();
	if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
	return v;
}

export function createPeekRegion(bytes = PEEK_REGION_BYTES): SharedArrayBuffer {
	const sab = new SharedArrayBuffer(bytes);
	Atomics.store(new Int32Array(sab, 0, HEADER_BYTES / 4), EDGE, NONE);
	return sab;
}

/** The consumer's side over a shared region (a StageRunner's PeekTap). */
export class SharedPeekTap {
	private readonly cells: Int32Array;
	private readonly bytes: Uint8Array;
	private readonly encoder = new TextEncoder();

	constructor(region: SharedArrayBuffer) {
		this.cells = new Int32Array(region, 0, HEADER_BYTES / 4);
		this.bytes = new Uint8Array(region, HEADER_BYTES);
	}

	wanted(edge: number): boolean {
		return Atomics.load(this.cells, EDGE) === edge;
	}

	take(
		edge: number,
		batch: { seq: number; view: BatchView; selection: Uint32Array | null; count: number },
		schema: FrameSchema
	): void {
		const c = this.cells;
		// Claims the request; fails when the page took it back meanwhile.
		if (Atomics.compareExchange(c, EDGE, edge, CLAIMED) !== edge) return;
		let length = 0;
		try {
			let rows = Atomics.load(c, MAX_ROWS);
			const { seq, view, selection, count } = batch;
			for (;;) {
				const json = JSON.stringify(samplePayload(edge, seq, view, selection, count, schema, rows));
				// Encoded into private memory first: Chromium's encodeInto refuses shared views.
				const encoded = this.encoder.encode(json);
				if (encoded.length <= this.bytes.length) {
					this.bytes.set(encoded);
					length = encoded.length;
					break;
				}
				// Too big for the region: halve the rows until it fits.
				if (rows === 0) break;
				rows = rows >> 1;
			}
		} finally {
			// Whatever happened above, the claim ends: an empty payload (LENGTH 0) if sampling threw.
			c[LENGTH] = length;
			// Publishes LENGTH and the payload written above.
			Atomics.store(c, STATE, FILLED);
			// Ends the claim: a new request may be made once the page read the payload.
			Atomics.store(c, EDGE, NONE);
			// Wakes a page thread that waits (the page itself polls).
			Atomics.notify(c, STATE);
		}
	}
}

/** The page's side over a shared region: one request at a time, the last sample per edge kept. */
export class PeekClient {
	private readonly cells: Int32Array;
	private readonly bytes: Uint8Array;
	private queue: Promise<unknown> = Promise.resolve();
	private readonly last = new Map<number, PeekResult>();

	constructor(
		region: SharedArrayBuffer,
		private readonly running: () => boolean
	) {
		this.cells = new Int32Array(region, 0, HEADER_BYTES / 4);
		this.bytes = new Uint8Array(region, HEADER_BYTES);
	}

	/** The previous sample of `edge`, if any. */
	lastOf(edge: number): PeekResult | null {
		return this.last.get(edge) ?? null;
	}

	peek(edge: number, maxRows: number, timeoutMs = PEEK_TIMEOUT_MS): Promise<PeekResult | null> {
		const next = this.queue.then(() => this.ask(edge, maxRows, timeoutMs));
		this.queue = next.catch(() => undefined);
		return next;
	}

	private async ask(edge: number, maxRows: number, timeoutMs: number): Promise<PeekResult | null> {
		if (!this.running()) return this.lastOf(edge);
		const c = this.cells;
		// A claim abandoned by an earlier ask (its worker never finished it) blocks new requests
		// until it ends: publishing over it would let its late payload answer this one.
		if (Atomics.load(c, EDGE) !== NONE) return this.lastOf(edge);
		c[MAX_ROWS] = clampRows(maxRows);
		Atomics.store(c, STATE, IDLE);
		// Publishes the request (MAX_ROWS and STATE above first).
		Atomics.store(c, EDGE, edge);
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			if (Atomics.load(c, STATE) === FILLED) return this.read(edge);
			const ended = !this.running();
			if (ended || performance.now() >= deadline) {
				// Takes the request back unless a consumer already claimed it.
				if (Atomics.compareExchange(c, EDGE, edge, NONE) === edge) return this.lastOf(edge);
				// Claimed: the consumer finishes within its turn, so a run seen ended has filled it
				// (the fill may have landed after the check at the top of this pass). Otherwise
				// wait a grace period for it, not forever (a worker that died mid-claim never
				// finishes; the run ends meanwhile).
				if (Atomics.load(c, STATE) === FILLED) return this.read(edge);
				if (ended || performance.now() >= deadline + CLAIM_GRACE_MS) return this.lastOf(edge);
			}
			await new Promise((resolve) => setTimeout(resolve, POLL_MS));
		}
	}

	private read(edge: number): PeekResult | null {
		const c = this.cells;
		Atomics.store(c, STATE, IDLE);
		const length = c[LENGTH];
		if (length <= 0) return this.lastOf(edge);
		// TextDecoder refuses shared memory: copy out first.
		const copy = this.bytes.slice(0, length);
		const payload = JSON.parse(new TextDecoder().decode(copy)) as PeekPayload;
		return this.remember({ ...payload, takenAtMs: performance.timeOrigin + performance.now() });
	}

	remember(result: PeekResult): PeekResult {
		this.last.set(result.edge, result);
		return result;
	}
}

export function clampRows(maxRows: number): number {
	return Number.isFinite(maxRows) ? Math.max(0, Math.min(PEEK_MAX_ROWS, Math.floor(maxRows))) : 100;
}
