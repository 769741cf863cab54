// Dataset schemas the compiler needs before a run: a source's output schema depends on a file
// it has not read. The caller (editor, headless runner) probes each dataset a document names,
// registers the schema here, and compiles with the registry as the InferContext; a source whose
// dataset is not registered reports "schema of '<source>' is not known yet — load it first".
//
// A dataset ref is the source text, plus the read options that change the schema when they are
// not the defaults: 'data.csv', 'data.csv#delimiter=%3B&header=false'.
// Built-in samples have static schemas (SAMPLE_SCHEMAS) and need no probe.
import type { PipelineDocument } from '../graph/document';
import type { FrameSchema } from '../runtime/batch/types';
import { inferCsvSchema, type CsvOptions } from './csv';
import { readPrefix } from './kernels/source-bytes';
import { locateSource, SAMPLE_PREFIX } from './kernels/source-locate';
import type { InferContext } from './types';

/** Bytes read to infer a CSV schema. */
export const PROBE_BYTES = 64 * 1024;

/** Node kind whose datasets `probeDocumentDatasets` probes. */
export const CSV_KIND = 'csv';

/** Schema of static/samples/cities.csv (checked against the file by a test). */
export const CITIES_SCHEMA: FrameSchema = {
	names: [
		'city',
		'country',
		'continent',
		'population',
		'area_km2',
		'founded',
		'capital',
		'timezone'
	],
	types: ['utf8', 'utf8', 'utf8', 'int32', 'float64', 'int32', 'bool', 'utf8']
};

/** Schemas of the built-in CSV samples, by sample name. */
export const SAMPLE_SCHEMAS: Readonly<Record<string, FrameSchema>> = { cities: CITIES_SCHEMA };

export interface DatasetReadOptions {
	delimiter?: string;
	header?: boolean;
}

/** The registry key of `source` read with `options`. */
export function datasetRef(source: string, options: DatasetReadOptions = {}): string {
	const parts: string[] = [];
	if ((options.delimiter ?? ',') !== ',')
		parts.push(`delimiter=${encodeURIComponent(options.delimiter!)}`);
	if ((options.header ?? true) !== true) parts.push('header=false');
	return parts.length === 0 ? source : `${source}#${parts.join('&')}`;
}

/** Static schema of a built-in sample read with default options, else undefined. */
export function sampleSchema(
	source: string,
	options: DatasetReadOptions = {}
): FrameSchema | undefined {
	if (!source.startsWith(SAMPLE_PREFIX) || datasetRef(source, options) !== source) return undefined;
	return SAMPLE_SCHEMAS[source.slice(SAMPLE_PREFIX.length)];
}

/** Dataset schemas known to the compiler; pass it as the InferContext of `compile`. */
export class DatasetRegistry implements InferContext {
	private readonly schemas = new Map<string, FrameSchema>();

	registerDatasetSchema(ref: string, schema: FrameSchema): void {
		this.schemas.set(ref, { names: [...schema.names], types: [...schema.types] });
	}

	datasetSchema(ref: string): FrameSchema | undefined {
		return this.schemas.get(ref);
	}

	has(ref: string): boolean {
		return this.schemas.has(ref);
	}

	forget(ref: string): void {
		this.schemas.delete(ref);
	}
}

/**
 * Schema of a CSV dataset from its first PROBE_BYTES bytes (type inference as the parser does
 * it). Rejects with an Error naming the source when it cannot be read.
 */
export async function probeDatasetSchema(
	source: string,
	options: Omit<CsvOptions, 'batchRows'> = {}
): Promise<FrameSchema> {
	const known = sampleSchema(source, options);
	if (known) return { names: [...known.names], types: [...known.types] };
	const sample = await readPrefix(locateSource(source), PROBE_BYTES);
	const { names, types } = inferCsvSchema(sample, options);
	return { names, types };
}

/** A dataset that could not be probed. */
export interface ProbeProblem {
	node: string;
	source: string;
	message: string;
}

/**
 * Probes every CSV source of `doc` whose dataset is not in `registry` yet and registers its
 * schema; returns what could not be read (the compiler then reports those nodes).
 */
export async function probeDocumentDatasets(
	doc: PipelineDocument,
	registry: DatasetRegistry
): Promise<ProbeProblem[]> {
	const problems: ProbeProblem[] = [];
	for (const node of doc.nodes) {
		if (node.kind !== CSV_KIND) continue;
		const params = (node.params ?? {}) as { source?: unknown } & DatasetReadOptions;
		const source = typeof params.source === 'string' ? params.source.trim() : '';
		if (source === '') continue;
		const options = { delimiter: params.delimiter, header: params.header };
		const ref = datasetRef(source, options);
		if (registry.has(ref) || sampleSchema(source, options)) continue;
		try {
			registry.registerDatasetSchema(ref, await probeDatasetSchema(source, options));
		} catch (error) {
			problems.push({
				node: node.id,
				source,
				message: error instanceof Error ? error.message : String(error)
			});
		}
	}
	return problems;
}
