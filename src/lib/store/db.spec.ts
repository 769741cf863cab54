import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION } from './db';
import { openStore } from './library';

describe('openSluiceDb', () => {
	it('upgrades a version 1 database in place: its pipelines and runs stay, and deleting goes to the new trash', async () => {
		const name = 'sluice-upgrade-from-1';
		// A library as Sluice with store version 1 left it: no 'trash' store.
		const v1 = await openDB(name, 1, {
			upgrade(db) {
				db.createObjectStore('pipelines', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
				db.createObjectStore('runs', { keyPath: 'id' }).createIndex('pipeline-at', [
					'pipelineId',
					'at'
				]);
				db.createObjectStore('app');
			}
		});
		const doc = { version: 1, id: 'doc', name: 'Kept from v1', nodes: [], edges: [] };
		await v1.put('pipelines', {
			id: 'p1',
			name: 'Kept from v1',
			json: JSON.stringify(doc),
			docVersion: 1,
			version: 4,
			createdAt: 1,
			updatedAt: 2,
			nodeCount: 0,
			summary: 'empty'
		});
		await v1.put('runs', { id: 'r1', pipelineId: 'p1', at: 5 });
		await v1.put('app', { lastOpen: 'p1' }, 'session');
		v1.close();

		const store = await openStore({ name });
		expect(store.db.version).toBe(DB_VERSION);
		expect([...store.db.objectStoreNames]).toContain('trash');
		expect((await store.listPipelines()).map((p) => [p.id, p.name])).toEqual([
			['p1', 'Kept from v1']
		]);
		expect(await store.getLastOpen()).toBe('p1');
		await store.deletePipeline('p1');
		expect((await store.listTrash()).map((t) => t.name)).toEqual(['Kept from v1']);
		await store.restorePipeline('p1');
		expect((await store.getPipeline('p1'))?.record.version).toBe(4);
		expect(await store.listRuns('p1')).toHaveLength(1);
		store.close();
	});
});
