// Transform: converts columns to other types, a row at a time, live rows only (a row a filter
// dropped cannot fail a cast).
//
// Rules: numbers to ints truncate toward zero and must fit the type; numbers to floats keep
// the value (float32 rounds; a finite value too big for float32 fails); bool <-> numbers is
// 1/0, and any non-zero number is true; strings are trimmed and parsed as decimal numbers
// ('12', '-3.5e2', 'NaN', 'Infinity'; ints of int64/uint64 exactly), booleans ('true',
// 'false', '1', '0', any case) or ISO dates ('2024-03-01', '2024-03-01T12:30:00.250Z', a
// time without a zone is UTC); date32 <-> timestamp converts days <-> ms (timestamps round
// down to their day); ints to date32/timestamp are days/ms since the epoch; anything to utf8
// gives its text (dates as ISO). bool <-> date32/timestamp is refused when the plan is built.
// A value that cannot convert becomes null (onError 'null') or fails the run with a message
// naming the column, the value and the target type (onError 'fail').
// Allocates the output columns per batch (a downstream stage may keep the views).
import * as v from 'valibot';
import type { ColumnType, ColumnView } from '../runtime/contracts';
import { valuesView } from '../runtime/batch/bits';
import { NUMBER_INT_RANGES } from '../runtime/batch/types';
import { valueAt } from '../runtime/batch/values';
import { civilFromDays, formatDate, formatTimestamp } from '../runtime/batch/value-text';
import { columnIndex } from './schema-util';
import { COLUMN_TYPE_CHOICES, type NodeDefinition, type NodeProblem } from './types';
import { passThrough } from './used-columns';
import { sameColumns } from './row-conditions';

const params = v.object({
	casts: v.optional(
		v.array(
			v.object({
				column: v.string(),
				to: v.picklist(COLUMN_TYPE_CHOICES, `to must be one of ${COLUMN_TYPE_CHOICES.join(', ')}`)
			})
		),
		[]
	),
	onError: v.optional(v.picklist(['null', 'fail'], "onError must be 'null' or 'fail'"), 'null')
});
type Params = v.InferOutput<typeof params>;

type Value = number | bigint | boolean | string;
const FAIL = Symbol('fail');
type Converter = (x: Value) => Value | typeof FAIL;

const BIG_RANGE: Partial<Record<ColumnType, [bigint, bigint]>> = {
	int64: [-(2n ** 63n), 2n ** 63n - 1n],
	uint64: [0n, 2n ** 64n - 1n],
	timestamp: [-(2n ** 63n), 2n ** 63n - 1n]
};
const DAY_MS = 86_400_000;
const FLOAT32_MAX = 3.4028234663852886e38;

const isDateLike = (t: ColumnType) => t === 'date32' || t === 'timestamp';

export function castProblem(from: ColumnType, to: ColumnType): string | null {
	if ((from === 'bool' && isDateLike(to)) || (isDateLike(from) && to === 'bool'))
		return `${from} cannot be cast to ${to}`;
	return null;
}

// ---- dates ------------------------------------------------------------------------------

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
	y -= m <= 2 ? 1 : 0;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

export { civilFromDays, formatDate, formatTimestamp };

const ISO =
	/^([+-]?\d{4,9})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Milliseconds since the epoch of an ISO date or date-time (UTC unless a zone is given). */
export function parseIsoMs(text: string): number | null {
	const m = ISO.exec(text.trim());
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
	const frac = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
	const days = daysFromCivil(y, mo, d);
	const [cy, cm, cd] = civilFromDays(days);
	if (cy !== y || cm !== mo || cd !== d || h > 23 || mi > 59 || s > 59) return null;
	let zone = 0;
	if (m[8] && m[8].toUpperCase() !== 'Z') {
		const sign = m[8][0] === '-' ? -1 : 1;
		const digits = m[8].slice(1).replace(':', '');
		zone = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
	}
	return days * DAY_MS + h * 3_600_000 + mi * 60_000 + s * 1000 + frac - zone;
}

// ---- values -----------------------------------------------------------------------------

const INT_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A string as a number (or an exact bigint for integer text), or FAIL. */
function parseNumber(text: string): number | bigint | typeof FAIL {
	const t = text.trim();
	if (INT_TEXT.test(t)) {
		const n = Number(t);
		return Number.isSafeInteger(n) ? n : BigInt(t);
	}
	if (FLOAT_TEXT.test(t)) return Number(t);
	if (/^[+-]?(inf|infinity)$/i.test(t)) return t[0] === '-' ? -Infinity : Infinity;
	if (/^nan$/i.test(t)) return NaN;
	return FAIL;
}

/** A source value as a number or bigint for numeric targets (dates as days or ms). */
function numeric(x: Value, from: ColumnType, to: ColumnType): number | bigint | typeof FAIL {
	if (typeof x === 'boolean') return x ? 1 : 0;
	if (typeof x !== 'string') {
		if (from === 'timestamp' && to === 'date32') return Math.floor(Number(x) / DAY_MS);
		if (from === 'date32' && to === 'timestamp') return (x as number) * DAY_MS;
		return x;
	}
	if (isDateLike(to)) {
		const ms = parseIsoMs(x);
		if (ms !== null) return to === 'date32' ? Math.floor(ms / DAY_MS) : ms;
	}
	return parseNumber(x);
}

function toText(x: Value, from: ColumnType): string {
	if (from === 'date32') return formatDate(x as number);
	if (from === 'timestamp') return formatTimestamp(x as number | bigint);
	return String(x);
}

function toBool(x: Value): boolean | typeof FAIL {
	if (typeof x === 'boolean') return x;
	if (typeof x === 'bigint') return x !== 0n;
	if (typeof x === 'number') return x !== x ? FAIL : x !== 0;
	const t = x.trim().toLowerCase();
	return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : FAIL;
}

export function converter(from: ColumnType, to: ColumnType): Converter {
	if (to === 'utf8') return (x) => toText(x, from);
	if (to === 'bool') return toBool;
	const ints = NUMBER_INT_RANGES[to];
	const bigs = BIG_RANGE[to];
	return (x) => {
		const n = numeric(x, from, to);
		if (n === FAIL) return FAIL;
		if (ints) {
			if (typeof n === 'bigint') return n < ints[0] || n > ints[1] ? FAIL : Number(n);
			const t = Math.trunc(n);
			return t >= ints[0] && t <= ints[1] ? t : FAIL;
		}
		if (bigs) {
			if (typeof n === 'number' && !Number.isFinite(n)) return FAIL;
			const b = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
			return b < bigs[0] || b > bigs[1] ? FAIL : b;
		}
		const f = Number(n);
		if (to === 'float32' && Number.isFinite(f) && Math.abs(f) > FLOAT32_MAX) return FAIL;
		return f;
	};
}

// ---- columns ----------------------------------------------------------------------------

const encoder = new TextEncoder();

function describeValue(x: Value): string {
	return typeof x === 'string' ? JSON.stringify(x) : typeof x === 'bigint' ? `${x}` : String(x);
}

interface CastSpec {
	index: number;
	name: string;
	from: ColumnType;
	to: ColumnType;
	convert: Converter;
}

function castColumn(
	col: ColumnView,
	sel: Uint32Array | null,
	count: number,
	spec: CastSpec,
	fail: boolean
): ColumnView {
	const length = col.length;
	const validity = new Uint8Array((length + 7) >>> 3).fill(0xff);
	const { to } = spec;
	const offsets = to === 'utf8' ? new Int32Array(length + 1) : null;
	let bytes = new Uint8Array(to === 'utf8' ? Math.max(64, count * 8) : 0);
	const values =
		to === 'utf8'
			? bytes
			: valuesView(
					to,
					new ArrayBuffer(8 * length + 8),
					0,
					to === 'bool' ? (length + 7) >>> 3 : length
				);
	let nulls = 0;
	let pos = 0;
	let filled = 0; // utf8: offsets[0..filled] are written
	for (let i = 0; i < count; i++) {
		const r = sel === null ? i : sel[i];
		const x = valueAt(col, r);
		let y: Value | typeof FAIL | null = x === null ? null : spec.convert(x);
		if (y === FAIL) {
			if (fail)
				throw new Error(`cannot cast column '${spec.name}' value ${describeValue(x!)} to ${to}`);
			y = null;
		}
		if (offsets !== null) {
			while (filled < r) offsets[++filled] = pos;
			if (y !== null) {
				const text = y as string;
				if (pos + 3 * text.length > bytes.length) {
					const grown = new Uint8Array(Math.max(bytes.length * 2, pos + 3 * text.length));
					grown.set(bytes.subarray(0, pos));
					bytes = grown;
				}
				pos += encoder.encodeInto(text, bytes.subarray(pos)).written;
			}
			offsets[++filled] = pos;
		}
		if (y === null) {
			validity[r >>> 3] &= ~(1 << (r & 7));
			nulls++;
		} else if (to === 'bool') {
			if (y) (values as Uint8Array)[r >>> 3] |= 1 << (r & 7);
		} else if (offsets === null) (values as unknown as { [i: number]: Value })[r] = y;
	}
	if (offsets !== null) while (filled < length) offsets[++filled] = pos;
	return {
		type: to,
		length,
		nullCount: nulls,
		validity: nulls > 0 ? validity : null,
		offsets,
		values: offsets !== null ? bytes.subarray(0, pos) : values
	};
}

export const cast: NodeDefinition<Params> = {
	kind: 'cast',
	title: 'Cast',
	category: 'transform',
	description: 'Convert columns to other types (numbers, text, booleans, dates).',
	inputs: [{ name: 'in' }],
	outputs: [{ name: 'out' }],
	params,
	defaults: { casts: [], onError: 'null' },
	fields: [
		{
			name: 'casts',
			label: 'Casts',
			control: 'json',
			help: '[{ column, to: int32|float64|utf8|... }]'
		},
		{
			name: 'onError',
			label: 'When a value cannot convert',
			control: 'select',
			options: ['null', 'fail'],
			help: 'null: the cell becomes null; fail: the run stops naming the value.'
		}
	],
	traits: { stateless: true, blocking: false, partitionable: true },
	summary: (p) =>
		p.casts.length ? p.casts.map((c) => `${c.column} → ${c.to}`).join(', ') : 'no casts',
	inferSchema([input], p) {
		const problems: NodeProblem[] = [];
		const types = [...input.types];
		const seen = new Set<string>();
		for (const c of p.casts) {
			const i = columnIndex(input, c.column);
			if (i < 0) {
				problems.push({
					param: 'casts',
					message: `unknown column '${c.column}' (columns: ${input.names.join(', ')})`
				});
				continue;
			}
			if (seen.has(c.column))
				problems.push({ param: 'casts', message: `column '${c.column}' is cast twice` });
			seen.add(c.column);
			const problem = castProblem(input.types[i], c.to);
			if (problem) problems.push({ param: 'casts', message: `column '${c.column}': ${problem}` });
			types[i] = c.to;
		}
		if (problems.length) return { ok: false, problems };
		return { ok: true, outputs: [{ names: [...input.names], types }] };
	},
	usedColumns: (_inputs, p, [used]) => [
		passThrough(
			used,
			p.casts.map((c) => c.column)
		)
	],
	// Cast columns carry other values than the input's: conditions on them stay with the filter.
	carriesRows: ([input], p) => {
		const cast = sameColumns(input.names);
		for (const c of p.casts) cast.delete(c.column);
		return cast;
	},
	step({ params: p, inputSchema }) {
		const specs: CastSpec[] = p.casts
			.map((c) => {
				const index = columnIndex(inputSchema, c.column);
				const from = inputSchema.types[index];
				return { index, name: c.column, from, to: c.to, convert: converter(from, c.to) };
			})
			.filter((s) => s.from !== s.to);
		const fail = p.onError === 'fail';
		return (batch) => {
			if (specs.length === 0) return batch;
			const columns = [...batch.view.columns];
			for (const s of specs)
				columns[s.index] = castColumn(columns[s.index], batch.selection, batch.count, s, fail);
			return {
				view: { length: batch.view.length, columns },
				selection: batch.selection,
				count: batch.count
			};
		};
	}
};
