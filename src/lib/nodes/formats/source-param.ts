// What the file sources (JSON, Arrow IPC, Parquet) share about their `source` param: the same
// forms as the CSV source (a URL, a same-origin path, a local path in headless runs, or
// sample:<name>), the same problems when it is empty or names no sample, and the lookup of the
// dataset's schema (registry first, then the static schemas of built-in samples). With the CSV
// source they also share the `types` overrides (param schema and how they apply) and the shape of
// the `badRows` param.
import * as v from 'valibot';
import type { FrameSchema } from '../../runtime/batch/types';
import { datasetRef, sampleSchema, type DatasetReadOptions, type SampleFormat } from '../datasets';
import { SAMPLE_FILES, SAMPLE_PREFIX } from '../kernels/source-locate';
import { quoteUntrusted, untrustedList } from './untrusted-text';
import { compileDateFormat, splitTypeFormat } from './date-formats';
import {
	COLUMN_TYPE_CHOICES,
	type InferContext,
	type NodeProblem,
	type ParamField
} from '../types';

export const sourceMessages = {
	noSource: (format: string) => `give the ${format} source a URL, a path or sample:<name>`,
	unknownSample: (name: string) =>
		`there is no sample named '${name}': choose one of ${Object.keys(SAMPLE_FILES).join(', ')}`,
	notLoaded: (source: string) => `schema of '${source}' is not known yet — load it first`,
	unknownColumn: (param: string, column: string, source: string, names: string[]) =>
		`${param} names column ${quoteUntrusted(column)}, which '${source}' does not have (it has ${untrustedList(names)})`,
	/** The file's header differs from the schema the plan was compiled with. */
	columnsChanged: (source: string, found: readonly string[], expected: readonly string[]) =>
		`the columns of '${source}' changed since its schema was read: the file has ` +
		`${untrustedList(found)}; the pipeline expects ${untrustedList(expected)} (reload the source)`
};

const TYPE_MESSAGE =
	`a column type must be one of ${COLUMN_TYPE_CHOICES.join(', ')}, or date32 or timestamp ` +
	'with the text form of the values, e.g. "timestamp:%Y/%m/%d %H:%M"';

/** "date32:%d/%m/%Y" or "timestamp:…" with a pattern formats/date-formats.ts can read. */
function isTypeWithFormat(text: string): boolean {
	const { type, format } = splitTypeFormat(text);
	if (format === null || (type !== 'date32' && type !== 'timestamp')) return false;
	try {
		compileDateFormat(format);
		return true;
	} catch {
		return false;
	}
}

/**
 * A source's `types` param: column name -> type, winning over inference (see withTypes); a
 * date32 or timestamp type may name the values' text form: "timestamp:%Y/%m/%d %H:%M".
 */
export function columnTypesParam() {
	return v.optional(
		v.record(
			v.string(),
			v.union(
				[
					v.picklist(COLUMN_TYPE_CHOICES),
					v.pipe(v.string(), v.check(isTypeWithFormat, TYPE_MESSAGE))
				],
				TYPE_MESSAGE
			)
		),
		{}
	);
}

/** A source's `badRows` param: one of `choices`, 'fail' by default. */
export function badRowsParam<const T extends readonly ['fail', ...string[]]>(choices: T) {
	const quoted = choices.map((c) => `'${c}'`);
	const list = `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
	return v.optional(v.picklist(choices, `badRows must be ${list}`), 'fail');
}

/** The inspector field of a file source's `source` param. */
export function sourceField(example: string): ParamField {
	return {
		name: 'source',
		label: 'Source',
		control: 'text',
		placeholder: `https://example.com/${example} or sample:<name>`,
		help: 'A URL, a path on this site, a local path (headless runs) or sample:<name>'
	};
}

/** The dataset schema `source` names, or the problem that keeps it unknown. */
const LABELS: Record<SampleFormat, string> = {
	csv: 'CSV',
	json: 'JSON',
	arrow: 'Arrow IPC',
	parquet: 'Parquet'
};

export function datasetOf(
	format: SampleFormat,
	rawSource: string,
	options: DatasetReadOptions,
	ctx: InferContext
): { ok: true; schema: FrameSchema } | { ok: false; problem: NodeProblem } {
	const source = rawSource.trim();
	if (source === '')
		return {
			ok: false,
			problem: { param: 'source', message: sourceMessages.noSource(LABELS[format]) }
		};
	if (source.startsWith(SAMPLE_PREFIX)) {
		const name = source.slice(SAMPLE_PREFIX.length);
		if (!(name in SAMPLE_FILES))
			return {
				ok: false,
				problem: { param: 'source', message: sourceMessages.unknownSample(name) }
			};
	}
	const schema =
		ctx.datasetSchema(datasetRef(source, options)) ?? sampleSchema(source, options, format);
	if (!schema)
		return { ok: false, problem: { param: 'source', message: sourceMessages.notLoaded(source) } };
	return { ok: true, schema };
}

/** `schema` with the `types` overrides applied, or the problem naming an unknown column. */
export function withTypes(
	schema: FrameSchema,
	types: Readonly<Record<string, string>>,
	source: string
): { ok: true; schema: FrameSchema } | { ok: false; problem: NodeProblem } {
	const out = [...schema.types];
	const formats = schema.formats ? [...schema.formats] : schema.names.map(() => null);
	for (const [column, type] of Object.entries(types)) {
		const i = schema.names.indexOf(column);
		if (i < 0)
			return {
				ok: false,
				problem: {
					param: 'types',
					message: sourceMessages.unknownColumn('types', column, source, schema.names)
				}
			};
		const given = splitTypeFormat(type);
		out[i] = given.type as FrameSchema['types'][number];
		// A given pattern wins; a bare date type keeps the pattern the values were found in.
		const dated = out[i] === 'date32' || out[i] === 'timestamp';
		formats[i] = !dated ? null : (given.format ?? formats[i]);
	}
	const result: FrameSchema = { names: [...schema.names], types: out };
	if (formats.some((f) => f !== null)) result.formats = formats;
	return { ok: true, schema: result };
}
