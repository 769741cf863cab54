// Setup of a ring channel: its descriptor (what travels to the other thread) and the checks
// attach() runs on it. Setup errors name the option; nothing here runs per batch.
import type { BlockMemory, DoorbellDescriptor } from '../contracts';
import { createDoorbells } from './doorbell';
import { CAPACITY_CELL, checkCapacity, ringBytes } from './ring-layout';

/** Everything a thread needs to attach to a ring; structured-cloneable (send it once). */
export interface RingDescriptor {
	sab: SharedArrayBuffer;
	capacity: number;
	name: string;
	integrity: boolean;
	producerBell: DoorbellDescriptor;
	consumerBell: DoorbellDescriptor;
}

export interface RingOptions {
	/** Slots in the ring: a power of two, 2..65536. */
	capacity: number;
	/** The edge name used in error messages. */
	name: string;
	/** Checksum each block's bytes on push and verify on pop (tests). Default false. */
	integrity?: boolean;
	/** Where the producer parks; default: a private doorbell. */
	producerBell?: DoorbellDescriptor;
	/** Where the consumer parks; default: a private doorbell. */
	consumerBell?: DoorbellDescriptor;
}

/** A fresh ring's descriptor: a zeroed (open, empty) buffer and, if not given, private bells. */
export function createRingDescriptor(options: RingOptions): RingDescriptor {
	checkCapacity(options.capacity);
	checkName(options.name);
	let { producerBell, consumerBell } = options;
	if (!producerBell || !consumerBell) {
		const bells = createDoorbells(2);
		producerBell ??= { sab: bells, index: 0 };
		consumerBell ??= { sab: bells, index: 1 };
	}
	const sab = new SharedArrayBuffer(ringBytes(options.capacity));
	// Publishes the capacity for attach() to check (the descriptor travels by postMessage after).
	Atomics.store(new Int32Array(sab), CAPACITY_CELL, options.capacity);
	return {
		sab,
		capacity: options.capacity,
		name: options.name,
		integrity: options.integrity ?? false,
		producerBell,
		consumerBell
	};
}

/** Throws a TypeError/RangeError naming the field unless `d` describes a usable ring. */
export function checkRingDescriptor(d: RingDescriptor, memory: BlockMemory | undefined): void {
	if (!(d.sab instanceof SharedArrayBuffer)) throw new TypeError('sab must be a SharedArrayBuffer');
	checkCapacity(d.capacity);
	checkName(d.name);
	const cells = new Int32Array(d.sab);
	if (
		d.sab.byteLength !== ringBytes(d.capacity) ||
		Atomics.load(cells, CAPACITY_CELL) !== d.capacity
	)
		throw new RangeError(`capacity ${d.capacity} does not match the ring's buffer`);
	if (d.integrity && !memory) throw new TypeError('memory is required when integrity is on');
}

function checkName(name: unknown): void {
	if (typeof name !== 'string' || name === '')
		throw new TypeError('name must be a non-empty string');
}
