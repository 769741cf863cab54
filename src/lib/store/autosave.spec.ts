import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PipelineDocument } from '../graph/document';
import { Autosaver } from './autosave';
import { ConflictError, StorageFullError } from './errors';
import { freshStore, sampleDoc } from './fixtures.spec-support';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A save whose completion the test controls, recording what it was asked to write. */
function slowSaves() {
	const calls: { doc: PipelineDocument; expected: number; finish: () => void }[] = [];
	let version = 0;
	const stored: PipelineDocument[] = [];
	const save = (doc: PipelineDocument, expected: number) =>
		new Promise<number>((resolve) => {
			calls.push({
				doc,
				expected,
				finish: () => {
					stored.push(doc);
					resolve(++version);
				}
			});
		});
	return { calls, stored, save };
}

describe('Autosaver', () => {
	it('saves 300 ms after the last edit', async () => {
		const { calls, save } = slowSaves();
		const saver = new Autosaver({ save, version: 0 });
		saver.schedule(sampleDoc('a'));
		await vi.advanceTimersByTimeAsync(299);
		expect(calls).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(calls.map((c) => c.doc.name)).toEqual(['a']);
	});

	it('saves within a second while edits keep coming faster than the debounce', async () => {
		const { calls, save } = slowSaves();
		const saver = new Autosaver({ save, version: 0 });
		for (let t = 0; t < 1000; t += 100) {
			saver.schedule(sampleDoc(`edit at ${t}`));
			await vi.advanceTimersByTimeAsync(100);
		}
		expect(calls.map((c) => c.doc.name)).toEqual(['edit at 900']);
	});

	it('never lets a slow earlier save land after a later one', async () => {
		const { calls, stored, save } = slowSaves();
		const saver = new Autosaver({ save, version: 0 });
		saver.schedule(sampleDoc('first'));
		void saver.flush(); // the first save starts and is slow to finish
		saver.schedule(sampleDoc('second'));
		const second = saver.flush();
		await vi.advanceTimersByTimeAsync(2000);
		expect(calls).toHaveLength(1); // the second waits for the first
		calls[0].finish();
		await vi.advanceTimersByTimeAsync(0);
		expect(calls.map((c) => [c.doc.name, c.expected])).toEqual([
			['first', 0],
			['second', 1]
		]);
		calls[1].finish();
		await second;
		expect(stored.map((d) => d.name)).toEqual(['first', 'second']);
		expect(saver.state).toBe('saved');
		expect(saver.version).toBe(2);
	});

	it('orders saves against the real store: the last edit is what is stored', async () => {
		vi.useRealTimers();
		const { store } = await freshStore();
		let id: string | undefined;
		const saver = new Autosaver({
			version: 0,
			save: async (doc, expectedVersion) => {
				id ??= 'p1';
				return (await store.savePipeline(id, doc, { expectedVersion })).version;
			}
		});
		const flushes: Promise<void>[] = [];
		for (let i = 1; i <= 10; i++) {
			saver.schedule(sampleDoc(`edit ${i}`));
			flushes.push(saver.flush());
		}
		await Promise.all(flushes);
		expect(saver.state).toBe('saved');
		expect((await store.getPipeline('p1'))?.doc?.name).toBe('edit 10');
	});

	it('stops at a conflict, keeps the edit, and writes it after resume', async () => {
		let stored = 5;
		const written: string[] = [];
		const saver = new Autosaver({
			version: 4,
			save: async (doc, expected) => {
				if (expected !== stored) throw new ConflictError('p', expected, stored, doc.name);
				written.push(doc.name);
				return ++stored;
			}
		});
		saver.schedule(sampleDoc('mine'));
		await saver.flush();
		expect(saver.state).toBe('conflict');
		expect(saver.error?.message).toMatch(/saved elsewhere \(another tab\)/);
		saver.schedule(sampleDoc('mine, later'));
		await vi.advanceTimersByTimeAsync(2000);
		expect(written).toEqual([]);
		saver.resume(5);
		await saver.flush();
		expect(written).toEqual(['mine, later']);
		expect(saver.state).toBe('saved');
	});

	it('keeps the edit when the disk is full and writes it with the next edit', async () => {
		let full = true;
		const written: string[] = [];
		const saver = new Autosaver({
			version: 0,
			save: async (doc, expected) => {
				if (full) throw new StorageFullError(null);
				written.push(doc.name);
				return expected + 1;
			}
		});
		saver.schedule(sampleDoc('a'));
		await saver.flush();
		expect(saver.state).toBe('full');
		expect(saver.dirty).toBe(true);
		full = false;
		saver.schedule(sampleDoc('b'));
		await vi.advanceTimersByTimeAsync(1000);
		expect(written).toEqual(['b']);
		expect(saver.dirty).toBe(false);
	});
});
