// The Examples menu: the index of static/examples/ and loading one of its pipelines. A file that
// cannot be read gives a sentence for the user, never a half-loaded document.

import type { PipelineDocument } from '../../graph/document';
import { loadDocument } from '../../graph/load';
import { kindLookup } from '../../nodes/catalogue';

export interface ExampleEntry {
	file: string;
	title: string;
	description: string;
}

/** The example the editor opens first: a generator, so it needs no network. */
export const FIRST_EXAMPLE = 'generator-filter-table.json';

type Fetch = typeof fetch;

export async function fetchExampleIndex(fetcher: Fetch = fetch): Promise<ExampleEntry[]> {
	const response = await fetcher('/examples/index.json');
	if (!response.ok) throw new Error(`the examples index answered ${response.status}`);
	return (await response.json()) as ExampleEntry[];
}

export type ExampleLoad = { ok: true; doc: PipelineDocument } | { ok: false; error: string };

/** Reads example `file` with the document loader's checks. */
export async function fetchExample(file: string, fetcher: Fetch = fetch): Promise<ExampleLoad> {
	let json: unknown;
	try {
		const response = await fetcher(`/examples/${encodeURIComponent(file)}`);
		if (!response.ok) return { ok: false, error: `example ${file} answered ${response.status}` };
		json = await response.json();
	} catch (error) {
		return { ok: false, error: `example ${file} could not be read: ${String(error)}` };
	}
	const { document, diagnostics } = loadDocument(json, kindLookup);
	if (document === null) {
		return { ok: false, error: diagnostics[0]?.message ?? `example ${file} is not a pipeline` };
	}
	return { ok: true, doc: document };
}
