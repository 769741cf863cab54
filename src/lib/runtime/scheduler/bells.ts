// The doorbells of a run: one per worker, then one for the main thread (see RunSpec.bells).
import { Doorbell, createDoorbells } from '../channel/doorbell';

export function createRunBells(workers: number): SharedArrayBuffer {
	return createDoorbells(workers + 1);
}

export function bellDescriptor(sab: SharedArrayBuffer, thread: number) {
	return { sab, index: thread };
}

export function createDoorbellSet(sab: SharedArrayBuffer): Doorbell[] {
	const count = bellCount(sab);
	return Array.from({ length: count }, (_, i) => new Doorbell(bellDescriptor(sab, i)));
}

/** Bells in a set; each takes one 64-byte line. */
export function bellCount(sab: SharedArrayBuffer): number {
	return Math.floor(sab.byteLength / 64);
}
