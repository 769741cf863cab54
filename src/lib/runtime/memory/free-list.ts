// Lock-free per-size-class free lists (Treiber stacks) in the pool's control buffer.
//
// Threads: any thread pushes (a final release) and pops (an acquire); nobody blocks or
// holds a lock. Layout: one head cell per class at CTL_HEADS + class * LINE_INTS (its own
// 64-byte line, so classes do not share a cache line); the link of block `id` is the T_NEXT
// cell of its block-table entry. A head packs `(tag << idBits) | (id + 1)`, 0 in the id field
// meaning empty; the tag counts every successful push and pop, so a pop that read the head,
// then slept while the same block was popped and pushed back, fails its CAS (ABA).
//
// Ordering: push stores the link first, then publishes it with the head CAS; pop reads the
// head, then the link. Atomics are sequentially consistent, so a pop that sees the new head
// sees its link. A pop may read a stale link (the block was popped meanwhile), but then the
// head's tag has moved and its CAS fails.
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
		for (;;) {
			const head = Atomics.load(control, headCell);
			// The link is only read by pops that see the head CAS below, which publishes it.
			Atomics.store(control, linkCell, head & this.#idMask);
			const tag = ((head >>> this.#idBits) + 1) & this.#tagMask;
			const next = (tag << this.#idBits) | (id + 1);
			if (Atomics.compareExchange(control, headCell, head, next) === head) return;
		}
	}

	/** The id of a block taken off the class's list, or -1 if the list is empty. */
	pop(sizeClass: number): number {
		const control = this.#control;
		const headCell = CTL_HEADS + sizeClass * LINE_INTS;
		for (;;) {
			const head = Atomics.load(control, headCell);
			const top = head & this.#idMask;
			if (top === 0) return -1;
			// Read the link after the head: if it is stale, the tag has moved and the CAS fails.
			const link = Atomics.load(control, TABLE_BASE + (top - 1) * TABLE_STRIDE + T_NEXT);
			const tag = ((head >>> this.#idBits) + 1) & this.#tagMask;
			const next = (tag << this.#idBits) | link;
			if (Atomics.compareExchange(control, headCell, head, next) === head) return top - 1;
		}
	}
}
