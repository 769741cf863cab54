// Test builders for the store: a fresh database per test (fake-indexeddb), small documents.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import type { PipelineDocument } from '../graph/document';
import { openStore, type PipelineStore } from './library';

let databases = 0;

/** A store over a database no other test uses; `now` is a settable clock. */
export async function freshStore(): Promise<{ store: PipelineStore; clock: { now: number } }> {
	const clock = { now: 1_700_000_000_000 };
	const store = await openStore({
		name: `sluice-test-${++databases}`,
		now: () => clock.now
	});
	return { store, clock };
}

/** The first example (generator → filter → table), renamed `name`. */
export function sampleDoc(name = 'Orders over 100'): PipelineDocument {
	const text = readFileSync(
		new URL('../../../static/examples/generator-filter-table.json', import.meta.url),
		'utf8'
	);
	return { ...(JSON.parse(text) as PipelineDocument), name };
}
