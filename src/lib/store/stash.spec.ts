import { beforeEach, describe, expect, it } from 'vitest';
import { freshStore, sampleDoc } from './fixtures.spec-support';
import { recoverStash, STASH_KEY, writeStash } from './stash';

beforeEach(() => {
	const items = new Map<string, string>();
	globalThis.localStorage = {
		getItem: (k: string) => items.get(k) ?? null,
		setItem: (k: string, v: string) => void items.set(k, v),
		removeItem: (k: string) => void items.delete(k)
	} as Storage;
});

describe('the closing-page stash', () => {
	it('writes the stashed edit into the library on the next start when nothing saved since', async () => {
		const { store } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc('saved'));
		writeStash({ id, version: 1, saving: false }, sampleDoc('edited as the tab closed'));
		expect(await recoverStash(store)).toBe(id);
		expect((await store.getPipeline(id))?.doc?.name).toBe('edited as the tab closed');
		expect(localStorage.getItem(STASH_KEY)).toBeNull();
	});

	it('never writes over a version saved after the edit was stashed', async () => {
		const { store } = await freshStore();
		const { id } = await store.createPipeline(sampleDoc('saved'));
		writeStash({ id, version: 1, saving: false }, sampleDoc('old stash'));
		await store.savePipeline(id, sampleDoc('newer, from another tab'), { expectedVersion: 1 });
		await store.savePipeline(id, sampleDoc('newer still'), { expectedVersion: 2 });
		expect(await recoverStash(store)).toBeNull();
		expect((await store.getPipeline(id))?.doc?.name).toBe('newer still');
		expect(localStorage.getItem(STASH_KEY)).toBeNull();
	});

	it('stores a pipeline that was never saved before under the stashed id', async () => {
		const { store } = await freshStore();
		writeStash({ id: 'new-one', version: 0, saving: false }, sampleDoc('first edit'));
		expect(await recoverStash(store)).toBe('new-one');
		expect(await store.getLastOpen()).toBe('new-one');
	});
});
