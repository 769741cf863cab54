import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../runtime/testing/prng';
import { floorDiv, microsToMs, msFloor, nanosToMs } from './time-units';

describe('time unit conversions', () => {
	it('floor toward the past on both sides of the epoch', () => {
		expect(floorDiv(7n, 2n)).toBe(3n);
		expect(floorDiv(-7n, 2n)).toBe(-4n);
		expect(floorDiv(-8n, 2n)).toBe(-4n);
		expect(floorDiv(0n, 5n)).toBe(0n);
		// 1969-12-31T23:59:59.9995: 500 µs before the epoch falls in millisecond −1.
		expect(microsToMs(-500n)).toBe(-1n);
		expect(microsToMs(-1000n)).toBe(-1n);
		expect(microsToMs(-1001n)).toBe(-2n);
		expect(microsToMs(1999n)).toBe(1n);
		expect(nanosToMs(-1n)).toBe(-1n);
		expect(nanosToMs(-1_000_000n)).toBe(-1n);
		expect(nanosToMs(999_999n)).toBe(0n);
		expect(msFloor(-0.5)).toBe(-1n);
		expect(msFloor(-1.5)).toBe(-2n);
		expect(msFloor(1.5)).toBe(1n);
	});

	it('agree with flooring real division over random values (seed 1303)', () => {
		const seed = 1303;
		const random = mulberry32(seed);
		for (let i = 0; i < 2000; i++) {
			const us = BigInt(Math.floor((random.next() - 0.5) * 2 ** 52));
			expect(microsToMs(us)).toBe(BigInt(Math.floor(Number(us) / 1000)));
		}
	});
});
