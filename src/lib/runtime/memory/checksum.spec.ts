import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/prng';
import { checksum } from './checksum';

function randomBytes(buffer: ArrayBufferLike, seed: number): Uint8Array {
	const rng = mulberry32(seed);
	const bytes = new Uint8Array(buffer);
	for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
	return bytes;
}

describe('checksum', () => {
	it('changes when any single bit of the range flips', () => {
		const seed = 1234;
		const bytes = randomBytes(new SharedArrayBuffer(301), seed);
		const original = checksum(bytes.buffer, 0, 301);
		for (let i = 0; i < 301; i++) {
			for (let bit = 0; bit < 8; bit++) {
				bytes[i] ^= 1 << bit;
				expect(checksum(bytes.buffer, 0, 301), `seed ${seed} byte ${i} bit ${bit}`).not.toBe(
					original
				);
				bytes[i] ^= 1 << bit;
			}
		}
		expect(checksum(bytes.buffer, 0, 301)).toBe(original);
	});

	it('is equal for equal bytes in a SharedArrayBuffer and an ArrayBuffer, at any alignment', () => {
		const shared = randomBytes(new SharedArrayBuffer(4096), 99);
		const plain = new Uint8Array(new ArrayBuffer(4099));
		for (const shift of [0, 1, 2, 3]) {
			plain.set(shared, shift);
			for (const length of [0, 1, 3, 4, 5, 63, 64, 1000, 4096]) {
				expect(checksum(plain.buffer, shift, length)).toBe(checksum(shared.buffer, 0, length));
			}
		}
	});

	it('depends on the length and is an unsigned 32-bit integer', () => {
		const zeros = new ArrayBuffer(16);
		const sums = [0, 1, 2, 3, 4, 8, 16].map((n) => checksum(zeros, 0, n));
		expect(new Set(sums).size).toBe(sums.length);
		for (const s of sums) expect(s >>> 0).toBe(s);
	});

	it('throws a RangeError for a range outside the buffer', () => {
		expect(() => checksum(new ArrayBuffer(8), 4, 8)).toThrow(RangeError);
		expect(() => checksum(new ArrayBuffer(8), -1, 2)).toThrow(/outside the buffer/);
	});
});
