// The page's datasets: what the file sources of the open pipeline read, loaded before they can
// compile. The compiler needs a source's schema before a run (nodes/datasets.ts), so for each
// CSV / JSON / Arrow / Parquet source the editor:
// - local file ('local:<id>/<name>', a file dropped or picked): takes the `File` kept in this
//   page (never in the document); none here means "file '<name>' must be provided again";
// - http(s) URL: downloads it through the server proxy into the dataset cache (fetchDataset:
//   a reload revalidates with ETag/Last-Modified, a 304 moves no body), with progress;
// - then probes the schema from the first bytes (a Blob slice) and registers it.
// Each Blob (local file or cached download) is registered, under the source text, both on this
// thread (for probes) and with every pool worker (WorkerPool.registerBlob), where the source
// kernels read it chunk by chunk (nodes/kernels/source-locate.ts). Parquet by URL is read from
// the cached whole file (Blob slices) when it is small; a large one (datasets-range.ts: by HEAD,
// over 32 MiB) is neither downloaded nor cached: no Blob is registered, so the probe and the
// workers read it with Range requests through the proxy, and the card says which.
//
// It is the editor's InferContext: `datasetSchema` reads `version`, so the analysis and the
// preview re-run when a schema arrives.
import { SvelteMap } from 'svelte/reactivity';
import type { PipelineDocument } from '../../graph/document';
import {
	DatasetRegistry,
	PROBED_KINDS,
	datasetRef,
	probeSourceSchema,
	sampleSchema,
	type DatasetReadOptions
} from '../../nodes/datasets';
import {
	localFileMissing,
	localSource,
	parseLocalSource,
	registerSourceBlob,
	SAMPLE_PREFIX
} from '../../nodes/kernels/source-locate';
import type { InferContext } from '../../nodes/types';
import type { FrameSchema } from '../../runtime/batch/types';
import type { WorkerPool } from '../../runtime/scheduler/worker-pool';
import { fetchDataset, getCached } from '../../store/dataset-cache';

/**
 * How long a cached dataset is used without asking its server again (a reload, reopening the
 * pipeline). Older copies are revalidated (ETag / Last-Modified: a 304 costs no body).
 */
export const DATASET_FRESH_MS = 10 * 60_000;
import { formatSize } from '../../store/dataset-cache-messages';
import { headUrl, rangeThreshold, READ_MODE_NOTES, urlReadMode } from './datasets-range';

/** What a source's card shows about its dataset. */
export type DatasetStatus =
	| {
			state: 'loading';
			loaded: number;
			total?: number;
			url?: string;
			/** What is loading: the whole file (a download) or a ranged Parquet file's footer. */
			part?: 'file' | 'footer';
	  }
	| { state: 'ready'; note?: string }
	| { state: 'error'; message: string }
	| { state: 'missing'; name: string };

/** The read options of a file source's params that change its schema. */
export function readOptionsOf(kind: string, params: Record<string, unknown>): DatasetReadOptions {
	const format = PROBED_KINDS[kind];
	if (format === 'csv')
		return {
			delimiter: params.delimiter as string | undefined,
			header: params.header as boolean | undefined
		};
	if (format === 'json') return { depth: params.depth as number | undefined };
	return {};
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);
let fileCount = 0;

export class EditorDatasets implements InferContext {
	readonly registry = new DatasetRegistry();
	#version = $state(0);
	/** By source text (trimmed). */
	readonly #status = new SvelteMap<string, DatasetStatus>();
	// Bookkeeping, not shown: plain collections on purpose.
	readonly #blobs = new Map<string, Blob>(); // eslint-disable-line svelte/prefer-svelte-reactivity
	readonly #loading = new Set<string>(); // eslint-disable-line svelte/prefer-svelte-reactivity
	/** URL sources read by Range requests (large Parquet files), with their size. */
	readonly #ranged = new Map<string, number>(); // eslint-disable-line svelte/prefer-svelte-reactivity
	/** The registry refs of each source (one per set of read options). */
	readonly #refs = new Map<string, string[]>(); // eslint-disable-line svelte/prefer-svelte-reactivity
	#pool: WorkerPool | null = null;

	/** Bumped whenever a schema is registered or forgotten. */
	get version(): number {
		return this.#version;
	}

	datasetSchema(ref: string): FrameSchema | undefined {
		void this.#version;
		return this.registry.datasetSchema(ref);
	}

	statusOf(source: string): DatasetStatus | undefined {
		return this.#status.get(source.trim());
	}

	/** Hands every Blob to `pool`'s workers, now and as they come. */
	attachPool(pool: WorkerPool): void {
		this.#pool = pool;
		for (const [key, blob] of this.#blobs) pool.registerBlob(key, blob);
	}

	/** Keeps `file` in this page and returns the source text that reads it. */
	addFile(file: File): string {
		const id = `${Date.now().toString(36)}${(++fileCount).toString(36)}`;
		const source = localSource(id, file.name);
		this.#putBlob(source, file);
		return source;
	}

	/** Loads the dataset of every file source of `doc` not loaded or loading yet. */
	sync(doc: PipelineDocument): void {
		for (const node of doc.nodes) {
			if (PROBED_KINDS[node.kind] === undefined) continue;
			const params = (node.params ?? {}) as Record<string, unknown>;
			const source = typeof params.source === 'string' ? params.source.trim() : '';
			if (source === '' || source.startsWith(SAMPLE_PREFIX)) continue;
			const options = readOptionsOf(node.kind, params);
			const ref = datasetRef(source, options);
			if (this.registry.has(ref) || this.#loading.has(ref)) continue;
			if (sampleSchema(source, options, PROBED_KINDS[node.kind])) continue;
			if (this.#status.get(source)?.state === 'error') continue;
			void this.#load(node.kind, source, options, ref);
		}
	}

	/** Forgets `source` (its schema and any failure) so the next sync loads it again. */
	reload(source: string): void {
		const text = source.trim();
		this.#status.delete(text);
		this.#ranged.delete(text);
		for (const ref of this.#refs.get(text) ?? []) this.registry.forget(ref);
		this.#refs.delete(text);
		this.#version++;
	}

	#putBlob(key: string, blob: Blob): void {
		this.#blobs.set(key, blob);
		registerSourceBlob(key, blob);
		this.#pool?.registerBlob(key, blob);
	}

	async #load(kind: string, source: string, options: DatasetReadOptions, ref: string) {
		this.#loading.add(ref);
		try {
			let note: string | undefined;
			const local = parseLocalSource(source);
			if (local && !this.#blobs.has(source)) {
				this.#status.set(source, { state: 'missing', name: local.name });
				return;
			}
			if (isUrl(source) && !this.#blobs.has(source) && !this.#ranged.has(source)) {
				this.#status.set(source, { state: 'loading', loaded: 0, url: source });
				const format = PROBED_KINDS[kind];
				// A copy validated within DATASET_FRESH_MS is used as it is: no request at all.
				const cached = await getCached(source);
				const fresh =
					cached && Date.now() - cached.dataset.validatedAt < DATASET_FRESH_MS ? cached : null;
				const head = !fresh && format === 'parquet' ? await headUrl(source) : null;
				if (fresh) {
					note = READ_MODE_NOTES.cache;
					this.#putBlob(source, fresh.blob);
				} else if (urlReadMode(format, head, rangeThreshold()) === 'range') {
					this.#ranged.set(source, head!.size!);
				} else {
					const got = await fetchDataset(source, {
						maxAgeMs: DATASET_FRESH_MS,
						onProgress: ({ loaded, total }) =>
							this.#status.set(source, { state: 'loading', loaded, total, url: source })
					});
					note = got.stale ?? got.notCached?.message ?? READ_MODE_NOTES.cache;
					this.#putBlob(source, got.blob);
				}
			}
			const ranged = this.#ranged.get(source);
			let onBytes: ((read: number) => void) | undefined;
			if (ranged !== undefined) {
				note = `${READ_MODE_NOTES.range} (${formatSize(ranged)})`;
				onBytes = (loaded) =>
					this.#status.set(source, { state: 'loading', loaded, url: source, part: 'footer' });
				onBytes(0);
			}
			const schema = await probeSourceSchema(kind, source, options, onBytes);
			this.registry.registerDatasetSchema(ref, schema);
			this.#refs.set(source, [...(this.#refs.get(source) ?? []), ref]);
			this.#status.set(source, note ? { state: 'ready', note } : { state: 'ready' });
			this.#version++;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			this.#status.set(source, { state: 'error', message });
		} finally {
			this.#loading.delete(ref);
		}
	}
}

export { localFileMissing };

let page: EditorDatasets | undefined;
/** The datasets of this page (one per page: files and downloads outlive an open pipeline). */
export const pageDatasets = (): EditorDatasets => (page ??= new EditorDatasets());
