import { describe, expect, it } from 'vitest';
import type { BatchView, ColumnType, ColumnView } from '../../runtime/contracts';
import { valuesView } from '../../runtime/batch/bits';
import { frameBytes } from '../../runtime/batch/layout';
import type { FrameSchema } from '../../runtime/batch/types';
import { valueAt } from '../../runtime/batch/values';
import { FrameWriter } from '../../runtime/batch/writer';
import type { Kernel, KernelContext } from '../../runtime/scheduler/kernel';
import { mulberry32 } from '../../runtime/testing/prng';
import { groupKernel } from './group-kernel';
import { planGroupBy, type GroupByParams } from './group-plan';
import { GroupTable } from './group-table';

type Value = number | bigint | boolean | string | null;

function column(type: ColumnType, values: Value[]): ColumnView {
	const n = values.length;
	const validity = new Uint8Array((n + 7) >> 3).fill(0xff);
	values.forEach((x, i) => x === null && (validity[i >> 3] &= ~(1 << (i & 7))));
	const nullCount = values.filter((x) => x === null).length;
	const base = { type, length: n, nullCount, validity: nullCount ? validity : null };
	if (type === 'utf8') {
		const enc = values.map((x) => new TextEncoder().encode(x === null ? '' : String(x)));
		const offsets = new Int32Array(n + 1);
		enc.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
		const bytes = new Uint8Array(offsets[n]);
		enc.forEach((b, i) => bytes.set(b, offsets[i]));
		return { ...base, offsets, values: bytes };
	}
	const out = valuesView(type, new ArrayBuffer(8 * n + 8), 0, n);
	values.forEach((x, i) => x !== null && ((out as unknown as Value[])[i] = x));
	return { ...base, offsets: null, values: out };
}

/** Runs a kernel's finish to the end; every other allocation fails. Returns rows and batch sizes. */
function drain(kernel: Kernel, schema: FrameSchema, batchRows: number) {
	const rows: Value[][] = [];
	const batches: number[] = [];
	const steps: string[] = [];
	let calls = 0;
	const ctx = {
		batchRows,
		allocate(_port: number, n: number, utf8?: number[]) {
			if (calls++ % 2 === 0) return null;
			const writer = new FrameWriter(schema);
			const bytes = frameBytes(
				schema,
				n,
				utf8,
				schema.types.map(() => true)
			);
			writer.begin(new ArrayBuffer(bytes), 0, bytes, n, utf8);
			return writer;
		},
		emitWriter(_port: number, writer: FrameWriter, n: number) {
			writer.finish(n);
			batches.push(n);
			for (let r = 0; r < n; r++)
				rows.push(schema.types.map((_, c) => valueAt(writer.column(c), r)));
		}
	} as unknown as KernelContext;
	for (;;) {
		const step = kernel.finish!(ctx);
		steps.push(step);
		if (step === 'done') break;
	}
	return { rows, batches, steps };
}

const setup = (
	params: GroupByParams,
	input: FrameSchema,
	output: FrameSchema,
	budgetBytes = 1 << 30,
	instances = 1
) => ({
	params,
	kernels: new Map(),
	budgetBytes,
	stageName: 'grp',
	inputSchemas: [input],
	outputSchemas: [output],
	instance: 0,
	instances
});

/** Feeds batches of `rows` distinct string keys until the kernel throws; returns the error. */
function feedUntilFailure(kernel: Kernel, rows: number): { message: string; fed: number } {
	const schema: FrameSchema = { names: ['k', 's', 'x'], types: ['int32', 'utf8', 'float64'] };
	for (let b = 0; b < 1000; b++) {
		const batch = Array.from({ length: rows }, (_, i): Value[] => [
			i,
			`key-${b}-${i}-some-padding`,
			i
		]);
		try {
			kernel.consume!(
				{ view: batchOf(schema, batch), selection: null, count: rows } as never,
				null as never
			);
		} catch (error) {
			return { message: (error as Error).message, fed: (b + 1) * rows };
		}
	}
	throw new Error('the kernel never refused its state');
}

function batchOf(schema: FrameSchema, rows: Value[][]): BatchView {
	return {
		length: rows.length,
		columns: schema.types.map((t, c) =>
			column(
				t,
				rows.map((r) => r[c])
			)
		)
	};
}

const input: FrameSchema = { names: ['k', 's', 'x'], types: ['int32', 'utf8', 'float64'] };
const params: GroupByParams = {
	keys: ['k'],
	aggregates: [
		{ op: 'count' },
		{ op: 'count_distinct', column: 's' },
		{ op: 'min', column: 's' },
		{ op: 'max', column: 'x' },
		{ op: 'mean', column: 'x' }
	]
};

function randomRows(seed: number, n: number): Value[][] {
	const rng = mulberry32(seed);
	return Array.from({ length: n }, () => [
		rng.chance(0.1) ? null : rng.int(-3, 40),
		rng.chance(0.1) ? null : `v${rng.int(0, 60)}é`,
		rng.chance(0.1) ? null : rng.int(-1000, 1000) / 8
	]);
}

const byKey = (rows: Value[][]) =>
	[...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('group-by kernels', () => {
	it('answers blocked without memory, then resumes, emitting each group once in batches of at most batchRows', () => {
		const plan = planGroupBy(input, params);
		if (!plan.ok) throw new Error('bad plan');
		const kernel = groupKernel('final')(setup(params, input, plan.plan.output));
		const rows = randomRows(5, 3000);
		kernel.consume!(
			{ view: batchOf(input, rows), selection: null, count: rows.length } as never,
			null as never
		);
		const out = drain(kernel, plan.plan.output, 7);
		expect(new Set(out.rows.map((r) => r[0])).size).toBe(out.rows.length);
		expect(out.rows.length).toBe(new Set(rows.map((r) => r[0])).size);
		expect(Math.max(...out.batches)).toBeLessThanOrEqual(7);
		expect(out.steps.filter((s) => s === 'blocked').length).toBe(out.batches.length);
		expect(out.steps.at(-1)).toBe('done');
		expect(out.steps.slice(0, -1).every((s) => s !== 'done')).toBe(true);
	});

	it('partials of three shares merged in tiny batches equal one instance over all rows', () => {
		const seed = Date.now() >>> 0;
		const planned = planGroupBy(input, params);
		if (!planned.ok) throw new Error('bad plan');
		const { output, partial } = planned.plan;
		const rows = randomRows(seed, 4000);
		const single = groupKernel('final')(setup(params, input, output));
		single.consume!(
			{ view: batchOf(input, rows), selection: null, count: rows.length } as never,
			null as never
		);
		const want = drain(single, output, 1000).rows;

		const merge = groupKernel('merge')(setup(params, partial, output));
		for (let share = 0; share < 3; share++) {
			const mine = rows.filter((_, i) => i % 3 === share);
			const part = groupKernel('partial')(setup(params, input, partial));
			// x values are multiples of 1/8, so sums and means are exact in any order.
			// Live rows through a selection, as a fused chain hands them over.
			const sel = Uint32Array.from(mine.map((_, i) => i).filter((i) => i % 5 !== 4));
			const view = batchOf(input, mine);
			part.consume!({ view, selection: sel, count: sel.length } as never, null as never);
			const rest = Uint32Array.from(mine.map((_, i) => i).filter((i) => i % 5 === 4));
			part.consume!({ view, selection: rest, count: rest.length } as never, null as never);
			const partials = drain(part, partial, 13).rows;
			for (let i = 0; i < partials.length; i += 50) {
				const chunk = partials.slice(i, i + 50);
				merge.consume!(
					{ view: batchOf(partial, chunk), selection: null, count: chunk.length } as never,
					null as never
				);
			}
		}
		const got = drain(merge, output, 1000).rows;
		expect(byKey(got), `seed ${seed}`).toEqual(byKey(want));
	});

	it('fails naming the node and the number of groups once its state passes the budget', () => {
		const keyed: GroupByParams = {
			keys: ['s'],
			aggregates: [{ op: 'count' }, { op: 'min', column: 's' }]
		};
		const plan = planGroupBy(input, keyed);
		if (!plan.ok) throw new Error('bad plan');
		const budget = 4 << 20;
		const { message, fed } = feedUntilFailure(
			groupKernel('final')(setup(keyed, input, plan.plan.output, budget)),
			5000
		);
		const m =
			/^group-by 'grp': ([\d,]+) groups need ([\d.]+) MiB, more than its memory budget of 4 MiB — raise the budget, group by fewer or shorter keys, or filter first$/.exec(
				message
			);
		expect(m, message).not.toBeNull();
		// Every row is a new group, and the check runs after each batch.
		expect(Number(m![1].replaceAll(',', ''))).toBe(fed);
		expect(Number(m![2])).toBeGreaterThan(4);
		// A partial instance gets its share of the budget: with 4 instances it fails sooner.
		const partial = feedUntilFailure(
			groupKernel('partial')(setup(keyed, input, plan.plan.partial, budget, 4)),
			5000
		);
		expect(partial.message).toMatch(/memory budget of 1 MiB/);
		expect(partial.fed).toBeLessThan(fed);
	});

	it('keeps few groups under a small budget whatever the number of rows', () => {
		const plan = planGroupBy(input, params);
		if (!plan.ok) throw new Error('bad plan');
		const kernel = groupKernel('final')(setup(params, input, plan.plan.output, 1 << 20));
		for (let b = 0; b < 50; b++) {
			const rows = randomRows(b, 2000);
			kernel.consume!(
				{ view: batchOf(input, rows), selection: null, count: rows.length } as never,
				null as never
			);
		}
		expect(drain(kernel, plan.plan.output, 1000).rows.length).toBeLessThanOrEqual(45);
	});

	it('groups null keys together, -0 with 0 and NaN with NaN, on the direct and the general path', () => {
		const ints = new GroupTable(['int32']);
		const gids = new Int32Array(8);
		ints.assign(
			[column('int32', [5, -5, null, 2 ** 31 - 1, 5, null, -5, 2 ** 31 - 1])],
			null,
			8,
			gids
		);
		expect([...gids]).toEqual([0, 1, 2, 3, 0, 2, 1, 3]);
		const floats = new GroupTable(['float64', 'utf8']);
		floats.assign(
			[
				column('float64', [0, -0, NaN, NaN, null, 1]),
				column('utf8', ['a', 'a', '', '', null, null])
			],
			null,
			6,
			gids
		);
		expect([...gids.subarray(0, 6)]).toEqual([0, 0, 1, 1, 2, 3]);
		expect([...floats.rowCounts.subarray(0, 4)]).toEqual([2, 2, 1, 1]);
	});
});
