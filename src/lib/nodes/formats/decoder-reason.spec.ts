import { describe, expect, it } from 'vitest';
import { decoderReason } from './decoder-reason';

describe('decoderReason', () => {
	it("quotes a library's own error, which says what it found", () => {
		expect(decoderReason(new Error('invalid snappy length header'), 'damaged page')).toBe(
			'invalid snappy length header'
		);
	});

	it('names the damage instead of leaking an exception from inside the decoder', () => {
		let internal: unknown;
		try {
			(undefined as unknown as { map(): void }).map();
		} catch (e) {
			internal = e;
		}
		expect(decoderReason(internal, 'damaged footer metadata')).toBe('damaged footer metadata');
		expect(decoderReason(new RangeError('Offset is outside the bounds'), 'cut short')).toBe(
			'cut short'
		);
	});
});
