import { describe, expect, it } from 'vitest';
import { createDoorbells, Doorbell, doorbellCount, INT32_PER_LINE, VALUE } from './doorbell';

describe('createDoorbells', () => {
	it('refuses a count that is not a positive integer, naming count', () => {
		for (const count of [0, -1, 1.5, Number.NaN]) {
			expect(() => createDoorbells(count)).toThrow(RangeError);
			expect(() => createDoorbells(count)).toThrow(/count/);
		}
	});

	it('puts each doorbell on its own 64-byte line', () => {
		const sab = createDoorbells(3);
		expect(sab.byteLength).toBe(3 * 64);
		expect(doorbellCount(sab)).toBe(3);
		new Doorbell({ sab, index: 1 }).ring();
		const cells = new Int32Array(sab);
		expect(cells[INT32_PER_LINE + VALUE]).toBe(1);
		expect(new Doorbell({ sab, index: 0 }).value()).toBe(0);
		expect(new Doorbell({ sab, index: 2 }).value()).toBe(0);
	});

	it('refuses a doorbell number outside the buffer, naming index', () => {
		const sab = createDoorbells(2);
		expect(() => new Doorbell({ sab, index: 2 })).toThrow(/index/);
		expect(() => new Doorbell({ sab, index: -1 })).toThrow(RangeError);
	});
});

describe('Doorbell', () => {
	it('returns from park at once when it rang after the value was read (no lost wake-up)', () => {
		const bell = new Doorbell({ sab: createDoorbells(1), index: 0 });
		const seen = bell.value();
		bell.ring(); // lands between "read the value" and "park"
		expect(bell.park(seen, 10_000)).toBe(true);
		expect(bell.waiters()).toBe(0);
	});

	it('reports false when nothing rang before the timeout', () => {
		const bell = new Doorbell({ sab: createDoorbells(1), index: 0 });
		expect(bell.park(bell.value(), 5)).toBe(false);
		expect(bell.waiters()).toBe(0);
	});

	it('wakes an async parker when rung later, counting it as a waiter meanwhile', async () => {
		const bell = new Doorbell({ sab: createDoorbells(1), index: 0 });
		const parked = bell.parkAsync(bell.value(), 10_000);
		expect(bell.waiters()).toBe(1);
		setTimeout(() => bell.ring(), 5);
		expect(await parked).toBe(true);
		expect(bell.waiters()).toBe(0);
	});

	it('keeps an async parker asleep through a notify that did not change the value', async () => {
		const sab = createDoorbells(1);
		const bell = new Doorbell({ sab, index: 0 });
		const parked = bell.parkAsync(bell.value(), 40);
		// A late notify from a ringer whose bump this parker already saw: must not count as a ring.
		Atomics.notify(new Int32Array(sab), VALUE);
		expect(await parked).toBe(false);
	});

	it('parks with a timer poll where the platform has no Atomics.waitAsync', async () => {
		const original = Atomics.waitAsync;
		(Atomics as { waitAsync?: unknown }).waitAsync = undefined;
		try {
			const bell = new Doorbell({ sab: createDoorbells(1), index: 0 });
			expect(await bell.parkAsync(bell.value(), 5)).toBe(false);
			const parked = bell.parkAsync(bell.value(), 10_000);
			setTimeout(() => bell.ring(), 5);
			expect(await parked).toBe(true);
			expect(bell.waiters()).toBe(0);
		} finally {
			Atomics.waitAsync = original;
		}
	});
});
