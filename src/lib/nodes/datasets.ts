// Dataset schemas the compiler needs before a run: a source's output schema depends on a file
// it has not read. The caller (editor, headless runner) probes each dataset a document names,
// registers the schema here, and compiles with the registry as the InferContext; a source whose
// dataset is not registered reports "schema of '<source>' is not known yet — load it first".
//
// A dataset ref is the source text, plus the read options that change the schema when they are
// not the defaults: 'data.csv', 'data.csv#delimiter=%3B&header=false'.
// Built-in samples have static schemas (SAMPLE_SCHEMAS) and need no probe.
//
// Probed kinds (PROBED_KINDS): csv (first PROBE_BYTES, as the parser infers), json (records in
// the first bytes, json/json-infer.ts), arrow (the IPC schema message) and parquet (the footer).
import type { PipelineDocument } from '../graph/document';
import type { FrameSchema } from '../runtime/batch/types';
import { CsvError, inferCsvSchema, type CsvOptions } from './csv';
import { probeArrowSchema } from './arrow/arrow-probe';
import { probeJsonSchema } from './json/json-probe';
import { readPrefix } from './kernels/source-bytes';
import { locateSource, SAMPLE_FILES, SAMPLE_PREFIX } from './kernels/source-locate';
import { probeParquetSchema } from './parquet/parquet-probe';
import type { InferContext } from './types';

/** Bytes read to infer a CSV schema. */
export const PROBE_BYTES = 64 * 1024;

/** Node kind of the CSV source. */
export const CSV_KIND = 'csv';

/** Node kinds whose datasets `probeDocumentDatasets` probes, and the file format each reads. */
export const PROBED_KINDS: Readonly<Record<string, SampleFormat>> = {
	csv: 'csv',
	json: 'json',
	arrow: 'arrow',
	parquet: 'parquet'
};

export type SampleFormat = 'csv' | 'json' | 'arrow' | 'parquet';

/** The format of a built-in sample file, by its extension. */
export function sampleFormat(name: string): SampleFormat | undefined {
	const file = SAMPLE_FILES[name];
	if (file === undefined) return undefined;
	if (/\.(nd)?json$/i.test(file)) return 'json';
	if (/\.(arrow|arrows|ipc|feather)$/i.test(file)) return 'arrow';
	if (/\.parquet$/i.test(file)) return 'parquet';
	return 'csv';
}

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

/** Schema of static/samples/trips.parquet (scripts/make-samples.mjs; checked by a test). */
export const TRIPS_SCHEMA: FrameSchema = {
	names: [
		'trip_id',
		'pickup',
		'pickup_date',
		'borough',
		'passengers',
		'distance_km',
		'fare',
		'card'
	],
	types: ['int32', 'timestamp', 'date32', 'utf8', 'int8', 'float32', 'float64', 'bool']
};

/** Schema of static/samples/events.ndjson (scripts/make-samples.mjs; checked by a test). */
export const EVENTS_SCHEMA: FrameSchema = {
	names: ['id', 'at', 'user.name', 'user.country', 'kind', 'amount', 'tags'],
	types: ['int64', 'timestamp', 'utf8', 'utf8', 'utf8', 'float64', 'utf8']
};

/** Schemas of the built-in samples read with default options, by sample name. */
export const SAMPLE_SCHEMAS: Readonly<Record<string, FrameSchema>> = {
	cities: CITIES_SCHEMA,
	trips: TRIPS_SCHEMA,
	events: EVENTS_SCHEMA
};

export interface DatasetReadOptions {
	delimiter?: string;
	header?: boolean;
	/** JSON: levels of nested objects flattened into `a.b` columns (default 1). */
	depth?: number;
}

/** The registry key of `source` read with `options`. */
export function datasetRef(source: string, options: DatasetReadOptions = {}): string {
	const parts: string[] = [];
	if ((options.delimiter ?? ',') !== ',')
		parts.push(`delimiter=${encodeURIComponent(options.delimiter!)}`);
	if ((options.header ?? true) !== true) parts.push('header=false');
	if ((options.depth ?? 1) !== 1) parts.push(`depth=${options.depth}`);
	return parts.length === 0 ? source : `${source}#${parts.join('&')}`;
}

/**
 * Static schema of a built-in sample read with default options, else undefined. With `format`,
 * only a sample file of that format has one (a CSV node naming the Parquet sample has none).
 */
export function sampleSchema(
	source: string,
	options: DatasetReadOptions = {},
	format?: SampleFormat
): FrameSchema | undefined {
	if (!source.startsWith(SAMPLE_PREFIX) || datasetRef(source, options) !== source) return undefined;
	const name = source.slice(SAMPLE_PREFIX.length);
	if (format !== undefined && sampleFormat(name) !== format) return undefined;
	return SAMPLE_SCHEMAS[name];
}

/** Dataset schemas known to the compiler; pass it as the InferContext of `compile`. */
export class DatasetRegistry implements InferContext {
	private readonly schemas = new Map<string, FrameSchema>();

	registerDatasetSchema(ref: string, schema: FrameSchema): void {
		const copy: FrameSchema = { names: [...schema.names], types: [...schema.types] };
		if (schema.formats) copy.formats = [...schema.formats];
		this.schemas.set(ref, copy);
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
	try {
		return inferCsvSchema(sample, options);
	} catch (error) {
		// The parser's message names the line, not the file (as the CSV kernel's does).
		if (error instanceof CsvError)
			throw new Error(`'${source}' ${error.message}`, { cause: error });
		throw error;
	}
}

/**
 * Schema of the dataset a source of `kind` names (see PROBED_KINDS); rejects naming it.
 * `onBytes` hears the bytes read so far where a probe reads more than a prefix (a Parquet
 * footer by Range requests).
 */
export async function probeSourceSchema(
	kind: string,
	source: string,
	options: DatasetReadOptions = {},
	onBytes?: (read: number) => void
): Promise<FrameSchema> {
	const format = PROBED_KINDS[kind];
	const known = sampleSchema(source, options, format);
	if (known) return { names: [...known.names], types: [...known.types] };
	switch (format) {
		case 'json':
			return probeJsonSchema(source, options.depth);
		case 'arrow':
			return probeArrowSchema(source);
		case 'parquet':
			return probeParquetSchema(source, onBytes);
		default:
			return probeDatasetSchema(source, options);
	}
}

/** A dataset that could not be probed. */
export interface ProbeProblem {
	node: string;
	source: string;
	message: string;
}

/** The dataset a file source node reads: its trimmed source text, format, read options, ref. */
export interface SourceDataset {
	source: string;
	format: SampleFormat;
	options: DatasetReadOptions;
	ref: string;
}

/**
 * The dataset node `node` reads when it is a file source (PROBED_KINDS) naming one, else
 * undefined: the one place that says which params make a dataset's registry ref.
 */
export function sourceDataset(node: { kind: string; params?: unknown }): SourceDataset | undefined {
	const format = PROBED_KINDS[node.kind];
	if (format === undefined) return undefined;
	const params = (node.params ?? {}) as { source?: unknown } & DatasetReadOptions;
	const source = typeof params.source === 'string' ? params.source.trim() : '';
	if (source === '') return undefined;
	const options: DatasetReadOptions =
		format === 'csv'
			? { delimiter: params.delimiter, header: params.header }
			: format === 'json'
				? { depth: params.depth }
				: {};
	return { source, format, options, ref: datasetRef(source, options) };
}

/**
 * What a result computed from node `node` depends on besides its params: the schema `ctx` knows
 * for its dataset ('' for a node that reads none, '?' while unknown). A result identity that
 * includes it changes when the schema arrives, so a result computed before is not reused.
 */
export function datasetToken(node: { kind: string; params?: unknown }, ctx: InferContext): string {
	const dataset = sourceDataset(node);
	if (dataset === undefined) return '';
	const { source, options, format, ref } = dataset;
	const schema = ctx.datasetSchema(ref) ?? sampleSchema(source, options, format);
	return schema === undefined
		? '?'
		: JSON.stringify([schema.names, schema.types, ...(schema.formats ? [schema.formats] : [])]);
}

/**
 * Probes every file source of `doc` (PROBED_KINDS) whose dataset is not in `registry` yet and
 * registers its schema; returns what could not be read (the compiler then reports those nodes).
 */
export async function probeDocumentDatasets(
	doc: PipelineDocument,
	registry: DatasetRegistry
): Promise<ProbeProblem[]> {
	const problems: ProbeProblem[] = [];
	for (const node of doc.nodes) {
		const dataset = sourceDataset(node);
		if (dataset === undefined) continue;
		const { source, format, options, ref } = dataset;
		if (registry.has(ref) || sampleSchema(source, options, format)) continue;
		try {
			registry.registerDatasetSchema(ref, await probeSourceSchema(node.kind, source, options));
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
