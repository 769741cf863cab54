import { describe, expect, it } from 'vitest';
import {
	ARMED,
	createDoorbells,
	Doorbell,
	doorbellCount,
	INT32_PER_LINE,
	ONE_PARKER,
	VALUE,
	WAITERS
} from './doorbell';

/** A doorbell on a fresh buffer, and the buffer's cells for looking underneath. */
const bellWithCells = () => {
	const sab = createDoorbells(1);
	return { bell: new Doorbell({ sab, index: 0 }), cells: new Int32Array(sab) };
};

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
		const bell = new Doorbell({ sab, index: 1 });
		bell.prepare();
		bell.ring();
		const cells = new Int32Array(sab);
		expect(cells[INT32_PER_LINE + VALUE]).toBe(1);
		expect(cells[INT32_PER_LINE + WAITERS]).toBe(ONE_PARKER);
		expect([...cells.subarray(0, INT32_PER_LINE)].every((c) => c === 0)).toBe(true);
		expect([...cells.subarray(2 * INT32_PER_LINE)].every((c) => c === 0)).toBe(true);
	});

	it('refuses a doorbell number outside the buffer, naming index', () => {
		const sab = createDoorbells(2);
		expect(() => new Doorbell({ sab, index: 2 })).toThrow(/index/);
		expect(() => new Doorbell({ sab, index: -1 })).toThrow(RangeError);
	});
});

describe('Doorbell', () => {
	it('returns from sleep at once when it rang between prepare and sleep (no lost wake-up)', () => {
		const { bell } = bellWithCells();
		const seen = bell.prepare();
		bell.ring(); // lands after the announcement, before the sleep
		expect(bell.sleep(seen, 10_000)).toBe(true);
		expect(bell.waiters()).toBe(0);
	});

	it('reports false when nothing rang before the timeout, and withdraws the parker', () => {
		const { bell, cells } = bellWithCells();
		const seen = bell.prepare();
		expect(bell.waiters()).toBe(1);
		expect(bell.sleep(seen, 5)).toBe(false);
		expect(bell.waiters()).toBe(0);
		expect(cells[WAITERS]).toBe(0); // ARMED cleared too: the next ring is one load again
	});

	it('costs a ring nothing when nobody prepared: VALUE stays put', () => {
		const { bell, cells } = bellWithCells();
		for (let i = 0; i < 10; i++) bell.ring();
		expect(cells[VALUE]).toBe(0);
		expect(cells[WAITERS]).toBe(0);
	});

	it('wakes once per sleep: only the first ring after a prepare bumps VALUE', () => {
		const { bell, cells } = bellWithCells();
		bell.prepare();
		bell.ring(); // clears ARMED, bumps, notifies
		bell.ring(); // finds ARMED clear: one load, nothing else
		bell.ring();
		expect(cells[VALUE]).toBe(1);
		expect(cells[WAITERS]).toBe(ONE_PARKER); // still counted until it sleeps or cancels
		bell.cancelPrepare();
		const seen = bell.prepare(); // a new announcement arms again
		bell.ring();
		expect(cells[VALUE]).toBe(2);
		expect(bell.sleep(seen, 10_000)).toBe(true);
	});

	it('leaves nothing armed after a parker whose re-check found work cancels', () => {
		const { bell, cells } = bellWithCells();
		bell.prepare();
		bell.cancelPrepare();
		expect(cells[WAITERS]).toBe(0);
		bell.ring();
		expect(cells[VALUE]).toBe(0);
	});

	it('a bump for an earlier ring cannot hide a later one (forced interleaving, two ringers)', () => {
		const { bell } = bellWithCells();
		// 1. The parker announces itself: reads VALUE (0), then arms.
		const seen = bell.prepare();
		// 2. Ringer A (say, close() of another ring on this doorbell) clears ARMED and bumps VALUE.
		bell.ring();
		// 3. The parker re-checks its own ring: still empty. 4. Ringer B publishes a batch into it
		//    and rings: ARMED is already clear, so B skips the bump.
		bell.ring();
		// 5. The parker sleeps on the VALUE it read BEFORE arming: A's bump moved it: no sleep.
		expect(bell.sleep(seen, 10_000)).toBe(true);
	});

	it('reading VALUE after arming would sleep through that interleaving (why prepare reads first)', () => {
		const { bell, cells } = bellWithCells();
		// 1. A parker that arms first (by hand here) ...
		Atomics.store(cells, WAITERS, ONE_PARKER | ARMED);
		// 2. ... ringer A clears ARMED and bumps VALUE ...
		bell.ring();
		// 3. ... then the parker reads VALUE: it already includes A's bump. Re-check: empty.
		const late = Atomics.load(cells, VALUE);
		// 4. Ringer B's batch lands and it rings: ARMED clear, no bump.
		bell.ring();
		// 5. The sleep on the late value sleeps the full timeout with B's batch waiting: lost.
		expect(Atomics.wait(cells, VALUE, late, 20)).toBe('timed-out');
	});

	it('wakes an async parker when rung later, counting it as a waiter meanwhile', async () => {
		const { bell } = bellWithCells();
		const parked = bell.sleepAsync(bell.prepare(), 10_000);
		expect(bell.waiters()).toBe(1);
		setTimeout(() => bell.ring(), 5);
		expect(await parked).toBe(true);
		expect(bell.waiters()).toBe(0);
	});

	it('keeps a second async parker armed when the first one cancels', async () => {
		const { bell } = bellWithCells();
		// Two async waits on the main thread's one doorbell (say, a pushAsync and a popAsync).
		const seenA = bell.prepare();
		const seenB = bell.prepare();
		const parkedB = bell.sleepAsync(seenB, 10_000);
		bell.cancelPrepare(); // A's re-check found work: B must still be woken by the next ring
		expect(bell.waiters()).toBe(1);
		setTimeout(() => bell.ring(), 5);
		expect(await parkedB).toBe(true);
		expect(seenA).toBe(seenB);
		expect(bell.waiters()).toBe(0);
	});

	it('keeps an async parker asleep through a notify that did not change the value', async () => {
		const { bell, cells } = bellWithCells();
		const parked = bell.sleepAsync(bell.prepare(), 40);
		// A late notify from a ringer whose bump this parker already saw: must not count as a ring.
		Atomics.notify(cells, VALUE);
		expect(await parked).toBe(false);
	});

	it('parks with a timer poll where the platform has no Atomics.waitAsync', async () => {
		const original = Atomics.waitAsync;
		(Atomics as { waitAsync?: unknown }).waitAsync = undefined;
		try {
			const { bell } = bellWithCells();
			expect(await bell.sleepAsync(bell.prepare(), 5)).toBe(false);
			const parked = bell.sleepAsync(bell.prepare(), 10_000);
			setTimeout(() => bell.ring(), 5);
			expect(await parked).toBe(true);
			expect(bell.waiters()).toBe(0);
		} finally {
			Atomics.waitAsync = original;
		}
	});
});
