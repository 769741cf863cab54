import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../compiler/execute';
import type { PipelineDocument } from '../graph/document';
import type { ColumnType, ColumnView } from '../runtime/contracts';
import { valuesView } from '../runtime/batch/bits';
import { valueAt } from '../runtime/batch/values';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { mulberry32 } from '../runtime/testing/prng';
import { cast, formatDate, parseIsoMs } from './cast';

type Value = number | bigint | boolean | string | null;

/** A column of `type` holding `values` (null = a null row), in plain memory. */
function column(type: ColumnType, values: Value[]): ColumnView {
	const n = values.length;
	const validity = new Uint8Array((n + 7) >> 3).fill(0xff);
	let nulls = 0;
	values.forEach((x, i) => {
		if (x === null) {
			validity[i >> 3] &= ~(1 << (i & 7));
			nulls++;
		}
	});
	const base = { type, length: n, nullCount: nulls, validity: nulls ? validity : null };
	if (type === 'utf8') {
		const encoded = values.map((x) => new TextEncoder().encode(x === null ? '' : String(x)));
		const offsets = new Int32Array(n + 1);
		encoded.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
		const bytes = new Uint8Array(offsets[n]);
		encoded.forEach((b, i) => bytes.set(b, offsets[i]));
		return { ...base, offsets, values: bytes };
	}
	const length = type === 'bool' ? (n + 7) >> 3 : n;
	const out = valuesView(type, new ArrayBuffer(8 * n + 8), 0, length);
	values.forEach((x, i) => {
		if (x === null) return;
		if (type === 'bool') {
			if (x) (out as Uint8Array)[i >> 3] |= 1 << (i & 7);
		} else (out as unknown as Value[])[i] = x;
	});
	return { ...base, offsets: null, values: out };
}

function castValues(
	from: ColumnType,
	to: ColumnType,
	values: Value[],
	onError: 'null' | 'fail' = 'null',
	selection: number[] | null = null
): Value[] {
	const schema = { names: ['x'], types: [from] };
	const step = cast.step!({
		params: { casts: [{ column: 'x', to }], onError },
		inputSchema: schema,
		outputSchema: { names: ['x'], types: [to] }
	});
	const sel = selection ? Uint32Array.from(selection) : null;
	const out = step({
		view: { length: values.length, columns: [column(from, values)] },
		selection: sel,
		count: sel ? sel.length : values.length
	});
	const rows = selection ?? values.map((_, i) => i);
	expect(out.view.columns[0].type).toBe(to);
	return rows.map((r) => valueAt(out.view.columns[0], r));
}

describe('cast', () => {
	it('truncates floats to ints toward zero and nulls what does not fit', () => {
		expect(castValues('float64', 'int32', [1.9, -1.9, 1e10, NaN, Infinity, null])).toEqual([
			1,
			-1,
			null,
			null,
			null,
			null
		]);
		expect(castValues('int32', 'uint8', [255, 256, -1])).toEqual([255, null, null]);
		expect(castValues('int32', 'int8', [-128, -129])).toEqual([-128, null]);
		expect(castValues('float64', 'int64', [2 ** 53, -3.5])).toEqual([2n ** 53n, -3n]);
		expect(castValues('int64', 'int32', [2n ** 31n, -(2n ** 31n)])).toEqual([null, -(2 ** 31)]);
		expect(castValues('int64', 'uint64', [-1n, 5n])).toEqual([null, 5n]);
		expect(castValues('float64', 'float32', [1e39, 0.5])).toEqual([null, 0.5]);
	});

	it('parses trimmed decimal text into numbers, exactly for 64-bit ints', () => {
		expect(
			castValues('utf8', 'int32', [' 42 ', '-7', '3.9', 'abc', '', '99999999999', '1e3'])
		).toEqual([42, -7, 3, null, null, null, 1000]);
		expect(castValues('utf8', 'int64', ['9007199254740993', '-9223372036854775808'])).toEqual([
			9007199254740993n,
			-(2n ** 63n)
		]);
		expect(
			castValues('utf8', 'float64', ['1e3', '-.5', 'NaN', '-Infinity', '0x10', '1,5'])
		).toEqual([1000, -0.5, NaN, -Infinity, null, null]);
	});

	it('turns values into text: numbers as JS prints them, 64-bit ints exactly, dates as ISO', () => {
		expect(castValues('float64', 'utf8', [1.5, -0, 1e21, null])).toEqual([
			'1.5',
			'0',
			'1e+21',
			null
		]);
		expect(castValues('int64', 'utf8', [9007199254740993n])).toEqual(['9007199254740993']);
		expect(castValues('bool', 'utf8', [true, false])).toEqual(['true', 'false']);
		expect(castValues('date32', 'utf8', [19783, -1, 0])).toEqual([
			'2024-03-01',
			'1969-12-31',
			'1970-01-01'
		]);
		const ms = BigInt(Date.UTC(2024, 2, 1, 12, 30, 0, 250));
		expect(castValues('timestamp', 'utf8', [ms, -1n])).toEqual([
			'2024-03-01T12:30:00.250Z',
			'1969-12-31T23:59:59.999Z'
		]);
	});

	it('reads booleans from text and numbers, and writes them as 1 and 0', () => {
		expect(castValues('utf8', 'bool', ['true', 'FALSE', ' 1 ', '0', 'yes'])).toEqual([
			true,
			false,
			true,
			false,
			null
		]);
		expect(castValues('int32', 'bool', [0, 5, -1])).toEqual([false, true, true]);
		expect(castValues('bool', 'int32', [true, false, null])).toEqual([1, 0, null]);
		expect(castValues('bool', 'float64', [true])).toEqual([1]);
	});

	it('parses ISO dates and date-times (UTC unless a zone is given) and refuses impossible ones', () => {
		expect(
			castValues('utf8', 'date32', ['2024-03-01', '2024-02-30', '2024-03-01T23:59:59Z', 'March 1'])
		).toEqual([19783, null, 19783, null]);
		const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) =>
			BigInt(Date.UTC(y, mo - 1, d, h, mi, s, ms));
		expect(
			castValues('utf8', 'timestamp', [
				'2024-03-01T12:30:00.250Z',
				'2024-03-01 12:30',
				'2024-03-01T12:30:00+02:00',
				'2024-03-01',
				'2023-02-29',
				'2024-03-01T24:00:00'
			])
		).toEqual([
			at(2024, 3, 1, 12, 30, 0, 250),
			at(2024, 3, 1, 12, 30),
			at(2024, 3, 1, 10, 30),
			at(2024, 3, 1),
			null,
			null
		]);
	});

	it('converts between date32 and timestamp, rounding timestamps down to their day', () => {
		expect(castValues('timestamp', 'date32', [86_400_000n * 3n + 5n, -1n])).toEqual([3, -1]);
		expect(castValues('date32', 'timestamp', [3, -1])).toEqual([86_400_000n * 3n, -86_400_000n]);
		expect(castValues('int32', 'date32', [19783])).toEqual([19783]);
	});

	it('round-trips random ints, floats, dates and timestamps through text (seeded)', () => {
		const rng = mulberry32(Date.now() >>> 0);
		const n = 2000;
		const ints = Array.from({ length: n }, () => rng.int(-(2 ** 31), 2 ** 31 - 1));
		const floats = Array.from({ length: n }, () => (rng.next() - 0.5) * 10 ** rng.int(-300, 300));
		const days = Array.from({ length: n }, () => rng.int(-1_000_000, 1_000_000));
		const stamps = Array.from({ length: n }, () => BigInt(rng.int(-(2 ** 52), 2 ** 52)));
		const via = (t: ColumnType, xs: Value[]) => castValues('utf8', t, castValues(t, 'utf8', xs));
		expect(via('int32', ints), `seed ${rng.seed}`).toEqual(ints);
		expect(via('float64', floats), `seed ${rng.seed}`).toEqual(floats);
		expect(via('date32', days), `seed ${rng.seed}`).toEqual(days);
		expect(via('timestamp', stamps), `seed ${rng.seed}`).toEqual(stamps);
		for (const d of days.slice(0, 200)) {
			const text = formatDate(d);
			if (d >= -719162 && d <= 2932896)
				expect(text).toBe(new Date(d * 864e5).toISOString().slice(0, 10));
			expect(parseIsoMs(text)).toBe(d * 864e5);
		}
	});

	it("with onError 'fail', stops at the first bad value, naming the column, the value and the type", () => {
		expect(() => castValues('utf8', 'int32', ['1', 'abc'], 'fail')).toThrow(
			`cannot cast column 'x' value "abc" to int32`
		);
		expect(() => castValues('float64', 'uint8', [300], 'fail')).toThrow(
			"cannot cast column 'x' value 300 to uint8"
		);
	});

	it('converts only the live rows, so a row a filter dropped cannot fail the cast', () => {
		expect(castValues('utf8', 'int32', ['1', 'abc', '3'], 'fail', [0, 2])).toEqual([1, 3]);
		expect(castValues('int32', 'utf8', [1, 2, 3, 4], 'fail', [1, 3])).toEqual(['2', '4']);
	});

	it('checks its columns when the plan is built and reports the new types', () => {
		const input = { names: ['a', 'b', 'when'], types: ['int32', 'bool', 'date32'] as ColumnType[] };
		const infer = (casts: { column: string; to: ColumnType }[]) =>
			cast.inferSchema([input], { casts, onError: 'null' }, { datasetSchema: () => undefined });
		expect(infer([{ column: 'a', to: 'utf8' }])).toEqual({
			ok: true,
			outputs: [{ names: ['a', 'b', 'when'], types: ['utf8', 'bool', 'date32'] }]
		});
		const problems = (casts: { column: string; to: ColumnType }[]) => {
			const r = infer(casts);
			return r.ok ? [] : r.problems.map((p) => p.message);
		};
		expect(problems([{ column: 'nope', to: 'int32' }])).toEqual([
			"unknown column 'nope' (columns: a, b, when)"
		]);
		expect(problems([{ column: 'b', to: 'date32' }])).toEqual([
			"column 'b': bool cannot be cast to date32"
		]);
		expect(
			problems([
				{ column: 'a', to: 'int64' },
				{ column: 'a', to: 'utf8' }
			])
		).toEqual(["column 'a' is cast twice"]);
	});
});

describe('cast in a pipeline', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(1);
	});
	afterAll(async () => pool.shutdown());

	it('fails the run with the node name, the column, the value and the type', async () => {
		const doc: PipelineDocument = {
			version: 1,
			id: 'c',
			name: 'cast failure',
			nodes: [
				{
					id: 'gen',
					kind: 'generator',
					params: { rows: 100, columns: [{ name: 's', type: 'string', cardinality: 3 }] },
					position: { x: 0, y: 0 }
				},
				{
					id: 'c',
					kind: 'cast',
					params: { casts: [{ column: 's', to: 'float64' }], onError: 'fail' },
					position: { x: 1, y: 0 }
				},
				{ id: 'tbl', kind: 'table', params: {}, position: { x: 2, y: 0 } }
			],
			edges: [
				{ id: 'e1', from: { node: 'gen', port: 'out' }, to: { node: 'c', port: 'in' } },
				{ id: 'e2', from: { node: 'c', port: 'out' }, to: { node: 'tbl', port: 'in' } }
			]
		};
		const outcome = await startPipeline(doc, pool, { workers: 1 }).outcome;
		expect(outcome.status).toBe('failed');
		if (outcome.status !== 'failed') return;
		expect(outcome.failure.message).toMatch(
			/^Cast \(c\): cannot cast column 's' value "s_\d" to float64$/
		);
	});
});
