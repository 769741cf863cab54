// Source: seeded synthetic rows. Each column has a type and a cardinality or range; values
// depend only on (seed, column, row), so a run with any worker count makes the same table.
import * as v from 'valibot';
import type { ColumnType, ColumnView } from '../runtime/contracts';
import type { FrameSchema } from '../runtime/batch/types';
import type { Kernel, KernelSetup } from '../runtime/scheduler/kernel';
import { mix, unit } from './kernels/synth';
import { makeSleeper } from './slow';
import type { NodeDefinition } from './types';

const GEN_TYPES = ['int', 'float', 'string', 'bool', 'timestamp'] as const;
const TYPE_OF: Record<(typeof GEN_TYPES)[number], ColumnType> = {
	int: 'int32',
	float: 'float64',
	string: 'utf8',
	bool: 'bool',
	timestamp: 'timestamp'
};

const column = v.object({
	name: v.pipe(v.string(), v.minLength(1, 'every column needs a name')),
	type: v.picklist(GEN_TYPES, 'type must be one of int, float, string, bool, timestamp'),
	/** int: values 0..cardinality-1 (or 'sequence' when 0: the row number); string: distinct values. */
	cardinality: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
	/** float: values in [min, max). */
	min: v.optional(v.number(), 0),
	max: v.optional(v.number(), 1),
	/** Share of nulls, 0..1. */
	nulls: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0)
});

const params = v.object({
	rows: v.optional(
		v.pipe(
			v.number(),
			v.integer(),
			v.minValue(0),
			v.maxValue(2_000_000_000, 'at most 2 billion rows')
		),
		100_000
	),
	seed: v.optional(v.pipe(v.number(), v.integer()), 1),
	/** Paces the output like a live feed (all instances together); 0 = as fast as possible. */
	rowsPerSecond: v.optional(
		v.pipe(
			v.number(),
			v.minValue(0, 'rowsPerSecond must be 0 (no limit) or more'),
			v.maxValue(1_000_000_000, 'rowsPerSecond must be at most 1 billion')
		),
		0
	),
	columns: v.optional(v.pipe(v.array(column), v.minLength(1, 'add at least one column')), [
		{ name: 'id', type: 'int', cardinality: 0, min: 0, max: 1, nulls: 0 },
		{ name: 'key', type: 'int', cardinality: 1000, min: 0, max: 1, nulls: 0 },
		{ name: 'value', type: 'float', cardinality: 0, min: 0, max: 1, nulls: 0 },
		{ name: 'flag', type: 'bool', cardinality: 0, min: 0, max: 1, nulls: 0 }
	])
});
type Params = v.InferOutput<typeof params>;
type GenColumn = Params['columns'][number];

export function generatorSchema(p: Params): FrameSchema {
	return { names: p.columns.map((c) => c.name), types: p.columns.map((c) => TYPE_OF[c.type]) };
}

/** Text of string value k of a column: "city_17"-style labels. */
function label(name: string, k: number): string {
	return `${name}_${k}`;
}

/** Longest single wait of a paced generator per call (see rowsPerSecond). */
const PACE_SLICE_MS = 25;

const EPOCH_2024_MS = Date.UTC(2024, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

export function generatorKernel({ params: raw, instance, instances }: KernelSetup): Kernel {
	const p = raw as Params;
	const encoder = new TextEncoder();
	// Pre-encode the string values of each string column once.
	const strings = p.columns.map((c) =>
		c.type === 'string'
			? Array.from({ length: Math.max(1, c.cardinality || 100) }, (_, k) =>
					encoder.encode(label(c.name, k))
				)
			: []
	);
	const maxLen = strings.map((s) => s.reduce((m, b) => Math.max(m, b.length), 0));
	let next = 0; // batch number of this instance
	// Pacing: this instance's share of rowsPerSecond; batch n is due n * batchRows / rate after
	// the first. The wait parks the thread (makeSleeper) and ends early on a stop request.
	const rate = (p.rowsPerSecond ?? 0) / instances;
	const sleep = rate > 0 ? makeSleeper() : null;
	let startedAt = -1;
	return {
		produce(ctx) {
			const batchRows = ctx.batchRows;
			const first = (next * instances + instance) * batchRows;
			if (first >= p.rows) return 'done';
			if (sleep) {
				if (startedAt < 0) startedAt = performance.now();
				const wait = startedAt + ((next * batchRows) / rate) * 1000 - performance.now();
				if (wait > 0) {
					// At most one slice per call, so the host's turn ends, counters publish and other
					// stages of this worker run between slices of a long wait.
					sleep(Math.min(wait, PACE_SLICE_MS), () => ctx.stopRequested?.() ?? false);
					if (wait > PACE_SLICE_MS) return 'more';
				}
			}
			const rows = Math.min(batchRows, p.rows - first);
			const writer = ctx.allocate(
				0,
				rows,
				maxLen.map((m) => m * rows)
			);
			if (!writer) return 'blocked';
			p.columns.forEach((c, ci) =>
				fill(c, ci, writer.column(ci), first, rows, (row) => writer.setNull(ci, row), strings[ci])
			);
			ctx.emitWriter(0, writer, rows);
			next++;
			return first + rows >= p.rows ? 'done' : 'more';
		}
	};

	function fill(
		c: GenColumn,
		ci: number,
		col: ColumnView,
		first: number,
		rows: number,
		setNull: (row: number) => void,
		values: Uint8Array[]
	): void {
		const seed = p.seed;
		switch (c.type) {
			case 'int': {
				const out = col.values as Int32Array;
				if (c.cardinality === 0) for (let i = 0; i < rows; i++) out[i] = first + i;
				else for (let i = 0; i < rows; i++) out[i] = mix(seed, ci, first + i) % c.cardinality;
				break;
			}
			case 'float': {
				const out = col.values as Float64Array;
				const span = c.max - c.min;
				for (let i = 0; i < rows; i++) out[i] = c.min + unit(seed, ci, first + i) * span;
				break;
			}
			case 'bool': {
				const out = col.values as Uint8Array;
				for (let i = 0; i < rows; i++)
					if (mix(seed, ci, first + i) & 1) out[i >> 3] |= 1 << (i & 7);
				break;
			}
			case 'timestamp': {
				const out = col.values as BigInt64Array;
				for (let i = 0; i < rows; i++)
					out[i] = BigInt(EPOCH_2024_MS + Math.floor(unit(seed, ci, first + i) * YEAR_MS));
				break;
			}
			case 'string': {
				const offsets = col.offsets!;
				const bytes = col.values as Uint8Array;
				let at = 0;
				for (let i = 0; i < rows; i++) {
					const s = values[mix(seed, ci, first + i) % values.length];
					bytes.set(s, at);
					at += s.length;
					offsets[i + 1] = at;
				}
				break;
			}
		}
		if (c.nulls > 0) {
			for (let i = 0; i < rows; i++)
				if (unit(seed ^ 0x5bd1e995, ci, first + i) < c.nulls) setNull(i);
		}
	}
}

export const generator: NodeDefinition<Params> = {
	kind: 'generator',
	title: 'Generator',
	category: 'source',
	description: 'Seeded synthetic rows: the same seed always makes the same table.',
	inputs: [],
	outputs: [{ name: 'out' }],
	params,
	defaults: v.parse(params, {}),
	fields: [
		{ name: 'rows', label: 'Rows', control: 'integer' },
		{ name: 'seed', label: 'Seed', control: 'integer' },
		{
			name: 'rowsPerSecond',
			label: 'Rows per second',
			control: 'number',
			help: '0 = as fast as possible; otherwise paced like a live feed (previews too)'
		},
		{
			name: 'columns',
			label: 'Columns',
			control: 'json',
			help: '[{ name, type: int|float|string|bool|timestamp, cardinality, min, max, nulls }]'
		}
	],
	traits: { stateless: false, blocking: false, partitionable: true },
	summary: (p) =>
		`${p.rows.toLocaleString('en-US')} rows × ${p.columns.length} columns, seed ${p.seed}` +
		(p.rowsPerSecond > 0 ? `, ${p.rowsPerSecond.toLocaleString('en-US')} rows/s` : ''),
	inferSchema(_inputs, p) {
		const names = new Set<string>();
		for (const c of p.columns) {
			if (names.has(c.name))
				return {
					ok: false,
					problems: [{ param: 'columns', message: `column '${c.name}' appears twice` }]
				};
			names.add(c.name);
		}
		return { ok: true, outputs: [generatorSchema(p)] };
	},
	kernel: generatorKernel
};
