// Lock-free per-size-class free lists (Treiber stacks) in the pool's control buffer.
//
// Threads: any thread pushes (a final release) and pops (an acquire); nobody blocks or
// holds a lock. Layout: one head cell per class at CTL_HEADS + class * LINE_INTS (its own
// 64-byte line, so classes do not share a cache line); the link of block `id` is the T_NEXT
// cell of its block-table entry. A head packs `(tag << idBits) | (id + 1)`, 0 in the id field
// meaning empty; the tag counts every successful push and pop, so a pop that read the head,
// then slept while the same block was popped and pushed back, fails its CAS (ABA).
//
// Ordering: push stores the link first, then publishes it with the head CAS; pop loads the
// head atomically, then reads the link, then CASes the head. Atomics are sequentially
// consistent, so a pop that loads the new head (or gets it back from a failed CAS) sees its
// link. A pop may read a stale link (the block was popped meanwhile), but then the head's tag
// has moved and its CAS fails. Plain accesses where the CAS makes them safe (an Atomics.load
// costs about ten plain loads in V8): push's head read is only the CAS's guess (a stale guess
// fails the CAS, which returns the real head to retry with), push's link store is published by
// its CAS, and pop's link read is ordered after its atomic head read.
//
// Residual risk: the tag has 32 - idBits bits (at least 12; 17 for a 64 MiB pool of 4 KiB
// blocks). A pop stalled for exactly a multiple of 2^tagBits operations on one class, with
// the same block on top again, would install a stale link. The pool guards against the
// worst outcome: it claims a popped block with a CAS on its refcount (0 -> 1), so even a
// damaged list can never hand one block to two owners. Nothing here allocates.

import { CTL_HEADS, LINE_INTS, TABLE_BASE, TABLE_STRIDE, T_NEXT, type Geometry } from './layout';

export class FreeLists {
	readonly #control: Int32Array;
	readonly #idBits: number;
	readonly #idMask: number;
	readonly #tagMask: number;

	constructor(control: Int32Array, geometry: Geometry) {
		this.#control = control;
		this.#idBits = geometry.headIdBits;
		this.#idMask = geometry.headIdMask;
		this.#tagMask = geometry.headTagMask;
	}

	push(sizeClass: number, id: number): void {
		const control = this.#control;
		const headCell = CTL_HEADS + sizeClass * LINE_INTS;
		const linkCell = TABLE_BASE + id * TABLE_STRIDE + T_NEXT;
		// A plain read is the CAS's first guess; a failed CAS returns the real head to retry with.
		let head = control[headCell];
		for (;;) {
			// A plain store: only pops that see the head CAS below read it, and that CAS publishes it.
			control[linkCell] = head & this.#idMask;
			const tag = ((head >>> this.#idBits) + 1) & this.#tagMask;
			const next = (tag << this.#idBits) | (id + 1);
			const seen = Atomics.compareExchange(control, headCell, head, next);
			if (seen === head) return;
			head = seen;
		}
	}

	/** The id of a block taken off the class's list, or -1 if the list is empty. */
	pop(sizeClass: number): number {
		const control = this.#control;
		const headCell = CTL_HEADS + sizeClass * LINE_INTS;
		// An atomic read (and after a failed CAS, the CAS's result): it synchronises with the push
		// that stored this head, so the link read below is that push's (see header).
		let head = Atomics.load(control, headCell);
		for (;;) {
			const top = head & this.#idMask;
			if (top === 0) return -1;
			// A plain read after the head: a stale link comes with a moved tag, and the CAS fails.
			const link = control[TABLE_BASE + (top - 1) * TABLE_STRIDE + T_NEXT];
			const tag = ((head >>> this.#idBits) + 1) & this.#tagMask;
			const next = (tag << this.#idBits) | link;
			const seen = Atomics.compareExchange(control, headCell, head, next);
			if (seen === head) return top - 1;
			head = seen;
		}
	}
}
