import { afterEach, describe, expect, it, vi } from 'vitest';
import { measurePageMemory } from './page-memory';

describe('measurePageMemory', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('says the browser does not report it where the API is missing (Node, Firefox)', async () => {
		const result = await measurePageMemory();
		expect(result).toEqual({ unavailable: expect.stringMatching(/not reported by this browser/) });
	});

	it('returns the bytes the browser measured', async () => {
		vi.stubGlobal('crossOriginIsolated', true);
		vi.stubGlobal('performance', {
			now: () => 0,
			measureUserAgentSpecificMemory: async () => ({ bytes: 123_456, breakdown: [] })
		});
		expect(await measurePageMemory()).toEqual({ bytes: 123_456 });
	});

	it('explains a refusal instead of throwing', async () => {
		vi.stubGlobal('crossOriginIsolated', true);
		vi.stubGlobal('performance', {
			measureUserAgentSpecificMemory: async () => {
				throw new Error('SecurityError: not allowed');
			}
		});
		expect(await measurePageMemory()).toEqual({
			unavailable: 'not reported: SecurityError: not allowed'
		});
	});
});
