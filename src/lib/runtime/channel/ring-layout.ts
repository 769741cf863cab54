// Byte layout of a ring channel's SharedArrayBuffer, and the UTF-8 error message area in it.
// See ring.ts for the thread roles and the ordering rules that go with this layout.
//
//   bytes     Int32 index     what                                    written by
//   0..63     HEAD = 0        slots consumed so far (monotonic, wraps) consumer only
//             WANT_READY = 1  batches a parked consumer waits for       consumer only
//   64..127   TAIL = 16       slots published so far (monotonic, wraps) producer only
//             WANT_ROOM = 17  free slots a parked producer waits for    producer only
//   128..191  STATE = 32      OPEN / CLOSED / FAILED / CANCELLED /    close: producer; abandon: consumer;
//                             ABANDONED                               fail, cancel: anyone
//             ERROR_LENGTH    bytes of the UTF-8 error message        the thread holding ERROR_LOCK
//             ERROR_LOCK      0, or 1 once a thread claimed the message area
//             CAPACITY_CELL   the capacity, checked by attach()       create() only
//   192..1215 error message   UTF-8, at most ERROR_MAX_BYTES          the thread holding ERROR_LOCK
//   1216..    slots           SLOT_INT32 cells per slot:               producer only
//                             block, byteLength, rows, seq, checksum, 3 reserved
//
// HEAD and TAIL sit on their own 64-byte lines so the producer's stores never invalidate the line
// the consumer's counter lives on (and vice versa); STATE is read on every try* call but written
// only on lifecycle changes, so its line stays shared and cheap to read. WANT_READY/WANT_ROOM
// share their writer's counter line: the other side reads them only when it finds that writer
// parked (its doorbell armed), so the hot path never touches them (wake hysteresis, ring.ts).

/** Int32 index of the consumer's counter: slots consumed so far. */
export const HEAD = 0;
/**
 * Int32 index of how many queued batches the consumer, parked in pop(), wants before a push
 * rings it; 0 or 1: ring at the first. Written by the consumer only, on HEAD's line.
 */
export const WANT_READY = 1;
/** Int32 index of the producer's counter: slots published so far. */
export const TAIL = 16;
/**
 * Int32 index of how many free slots the producer, parked in push(), wants before a pop rings
 * it; 0 or 1: ring at the first. Written by the producer only, on TAIL's line.
 */
export const WANT_ROOM = 17;
/** Int32 index of the lifecycle state (one of the STATE_* values). */
export const STATE = 32;
/** Int32 index of the error message's length in bytes; valid once STATE is STATE_FAILED. */
export const ERROR_LENGTH = 33;
/** Int32 index of the claim on the message area: the first fail() to swap 0 -> 1 writes it. */
export const ERROR_LOCK = 34;
/** Int32 index of the capacity, so attach() can refuse a descriptor that does not match. */
export const CAPACITY_CELL = 35;

export const STATE_OPEN = 0;
/** The producer called close(): no more pushes; what is queued can still be popped. */
export const STATE_CLOSED = 1;
export const STATE_FAILED = 2;
export const STATE_CANCELLED = 3;
/**
 * The consumer called abandon(): it wants no more batches. Pushes are refused (the producer
 * keeps its block reference and releases it); what was queued is the consumer's to drain.
 * Reached from OPEN or CLOSED only; FAILED and CANCELLED may still follow it.
 */
export const STATE_ABANDONED = 4;

/** Byte offset of the UTF-8 error message. */
export const ERROR_BYTE_OFFSET = 192;
/** Longest error message kept, in bytes; longer ones are cut at a character boundary. */
export const ERROR_MAX_BYTES = 1024;

/** Int32 index of slot 0. */
export const SLOTS_BASE = (ERROR_BYTE_OFFSET + ERROR_MAX_BYTES) / Int32Array.BYTES_PER_ELEMENT;
/** Int32 cells per slot (32 bytes: two slots per cache line). */
export const SLOT_INT32 = 8;
/** Offsets inside a slot. */
export const SLOT_BLOCK = 0;
export const SLOT_BYTE_LENGTH = 1;
export const SLOT_ROWS = 2;
export const SLOT_SEQ = 3;
export const SLOT_CHECKSUM = 4;

export const MIN_CAPACITY = 2;
export const MAX_CAPACITY = 65536;
/** seq is the TAIL counter cut to 31 bits, so it stays a non-negative int32. */
export const SEQ_MASK = 0x7fffffff;

/** Bytes of the SharedArrayBuffer behind a ring of `capacity` slots. */
export function ringBytes(capacity: number): number {
	return (SLOTS_BASE + capacity * SLOT_INT32) * Int32Array.BYTES_PER_ELEMENT;
}

/** Throws a RangeError naming `capacity` unless it is a power of two in [2, 65536]. */
export function checkCapacity(capacity: number): void {
	if (
		!Number.isInteger(capacity) ||
		capacity < MIN_CAPACITY ||
		capacity > MAX_CAPACITY ||
		(capacity & (capacity - 1)) !== 0
	) {
		throw new RangeError(
			`capacity must be a power of two between ${MIN_CAPACITY} and ${MAX_CAPACITY}, got ${capacity}`
		);
	}
}

/**
 * Writes `message` as UTF-8 into the error area, cut to ERROR_MAX_BYTES at a character boundary,
 * and returns the byte count. Plain stores: the caller publishes them with Atomics stores after.
 */
export function writeErrorBytes(sab: SharedArrayBuffer, message: string): number {
	// Encode into an unshared buffer first: browsers refuse shared views in TextEncoder/Decoder.
	const encoded = new TextEncoder().encode(message);
	let length = Math.min(encoded.length, ERROR_MAX_BYTES);
	// Step back over UTF-8 continuation bytes (10xxxxxx) so no character is cut in half.
	if (length < encoded.length) while (length > 0 && (encoded[length] & 0xc0) === 0x80) length--;
	new Uint8Array(sab, ERROR_BYTE_OFFSET, ERROR_MAX_BYTES).set(encoded.subarray(0, length));
	return length;
}

/** Reads `length` bytes of error message back as a string. */
export function readErrorBytes(sab: SharedArrayBuffer, length: number): string {
	// Copy out of the SharedArrayBuffer: TextDecoder refuses shared views in browsers.
	const copy = new Uint8Array(new Uint8Array(sab, ERROR_BYTE_OFFSET, length));
	return new TextDecoder().decode(copy);
}
