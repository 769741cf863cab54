import { describe, expect, it } from 'vitest';
import { chooseTransport, transportNotice } from './choose';

describe('chooseTransport', () => {
	it('uses shared memory when the scope is isolated or says nothing, and has SharedArrayBuffer', () => {
		expect(chooseTransport({ crossOriginIsolated: true, SharedArrayBuffer })).toBe('shared');
		expect(chooseTransport({ SharedArrayBuffer })).toBe('shared');
		expect(chooseTransport()).toBe('shared'); // Node
	});

	it('falls back to message passing when the page is not isolated or lacks SharedArrayBuffer', () => {
		expect(chooseTransport({ crossOriginIsolated: false, SharedArrayBuffer })).toBe('message');
		expect(chooseTransport({ crossOriginIsolated: true })).toBe('message');
	});

	it('tells the user why the run is slower only on the message transport', () => {
		expect(transportNotice('message', { crossOriginIsolated: false })).toMatch(
			/not cross-origin isolated.*slower/
		);
		expect(transportNotice('shared')).toBeNull();
	});

	it('names a missing SharedArrayBuffer, not isolation, when the page is isolated', () => {
		expect(transportNotice('message', { crossOriginIsolated: true })).toMatch(
			/^This browser provides no SharedArrayBuffer here, .*message passing \(slower\)/
		);
	});
});
