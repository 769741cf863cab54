// The group-by stage kernels, in three modes:
//   'final'   one instance sees every row and emits the result;
//   'partial' each of several instances aggregates its share and emits partial state rows
//             (schema: group-plan.ts), then the distinct values of its count_distinct sets;
//   'merge'   one stage combines the partial rows of every instance into the result.
// Per batch: the table assigns a group id to each live row (kept in a reusable Int32Array),
// then each aggregate folds its column with those ids. After the input ends, finish() emits
// at most `batchRows` groups per call ('more' until the last, 'blocked' without a block).
// Group order: first seen first within a stage; after a merge, the order in which partial rows
// arrived, which depends on worker timing (sort downstream for a fixed order).
// Single-threaded (the stage's worker); per batch it allocates only when groups grow.
// Memory: the table and the aggregates' state live on the worker's heap, counted after each
// batch against the run's budget (shared equally by the partial instances; a merge or final
// stage gets all of it). Past it the stage fails with the node and the number of groups:
// group-by does not spill to disk yet.
import type { ColumnView } from '../../runtime/contracts';
import type { FrameWriter } from '../../runtime/batch/writer';
import type { Kernel, KernelContext, KernelSetup } from '../../runtime/scheduler/kernel';
import {
	CountDistinctAgg,
	makeAggregator,
	putString,
	writeNulls,
	type Aggregator,
	type Distinct
} from './group-aggs';
import { planGroupBy, planMerge, type GroupByParams, type GroupPlan } from './group-plan';
import { GroupTable } from './group-table';
import { sortMessages } from './sort-messages';

type Mode = 'final' | 'partial' | 'merge';

/** UTF-8 bytes an output batch may carry, so a batch of long strings still fits one block. */
const MAX_BATCH_UTF8 = 4 << 20;

export function groupKernel(mode: Mode) {
	return (setup: KernelSetup): Kernel => {
		const params = setup.params as GroupByParams;
		let plan: GroupPlan;
		if (mode === 'merge') plan = planMerge(params, setup.inputSchemas[0], setup.outputSchemas[0]);
		else {
			const planned = planGroupBy(setup.inputSchemas[0], params);
			if (!planned.ok) throw new Error(planned.problems.map((p) => p.message).join('; '));
			plan = planned.plan;
		}
		const table = new GroupTable(plan.keyTypes);
		const aggs = plan.aggs.map((a) => makeAggregator(a, mode === 'merge' ? null : table));
		const keyCols: ColumnView[] = plan.keyColumns.map(() => null as unknown as ColumnView);
		let gids = new Int32Array(1024);
		let rows = new Uint32Array(1024);
		let rowGids = new Int32Array(1024);
		const emit = mode === 'partial' ? partialEmitter(plan, table, aggs) : finalEmitter(table, aggs);
		const limitBytes = mode === 'partial' ? setup.budgetBytes / setup.instances : setup.budgetBytes;

		function checkMemory(): void {
			let held = table.bytes();

			for (const a of aggs) held += a.heapBytes();
			if (held > limitBytes)
				throw new Error(
					sortMessages.groupsOverBudget(setup.stageName, table.size, held, limitBytes)
				);
		}

		function consume(cols: ColumnView[], sel: Uint32Array | null, count: number): void {
			if (gids.length < count) gids = new Int32Array(count * 2);
			for (let k = 0; k < keyCols.length; k++) keyCols[k] = cols[plan.keyColumns[k]];
			table.assign(keyCols, sel, count, gids);
			for (const a of aggs) a.ensure(table.size);
			if (mode !== 'merge') {
				for (const a of aggs)
					a.update(a.plan.column < 0 ? null : cols[a.plan.column], sel, count, gids);
				return;
			}
			// Merge: state rows (__part 0) combine states; rows of __part j + 1 carry a distinct value.
			const part = cols[plan.keyColumns.length].values as Int8Array;
			if (rows.length < count) {
				rows = new Uint32Array(count * 2);
				rowGids = new Int32Array(count * 2);
			}
			for (let j = -1; j < aggs.length; j++) {
				if (j >= 0 && !(aggs[j] instanceof CountDistinctAgg)) continue;
				let n = 0;
				for (let i = 0; i < count; i++)
					if (part[i] === j + 1) {
						rows[n] = i;
						rowGids[n++] = gids[i];
					}
				if (j < 0) for (const a of aggs) a.merge(cols, rows, n, rowGids);
				else aggs[j].update(cols[aggs[j].plan.partialAt], rows, n, rowGids);
			}
		}

		return {
			consume(input) {
				consume(input.view.columns, input.selection, input.count);
				checkMemory();
				return 'more';
			},
			finish: (ctx) => emit(ctx)
		};
	};
}

type Emitter = (ctx: KernelContext) => 'more' | 'done' | 'blocked';

/** Picks the next groups of a batch: at most batchRows rows and MAX_BATCH_UTF8 string bytes. */
function nextGroups(
	table: GroupTable,
	aggs: Aggregator[],
	from: number,
	batchRows: number,
	groups: Int32Array
): number {
	let n = 0;
	let bytes = 0;
	for (let g = from; g < table.size && n < batchRows; g++) {
		let b = table.keyBytesBound(g);
		for (const a of aggs) b += a.utf8Bytes(g);
		if (n > 0 && bytes + b > MAX_BATCH_UTF8) break;
		bytes += b;
		groups[n++] = g;
	}
	return n;
}

/** UTF-8 bytes per output column (by column index) of the rows for `groups[0..n)`. */
function utf8Of(
	table: GroupTable,
	aggs: Aggregator[],
	groups: Int32Array,
	n: number,
	partial: GroupPlan | null
): number[] {
	const keys = table.utf8Bytes(groups, n);
	const width = partial ? partial.partial.types.length : keys.length + aggs.length;
	const bytes = new Array<number>(width).fill(0);
	keys.forEach((b, c) => (bytes[c] = b));
	aggs.forEach((a, j) => {
		let b = 0;
		for (let i = 0; i < n; i++) b += a.utf8Bytes(groups[i]);
		bytes[partial ? a.plan.partialAt : keys.length + j] = b;
	});
	return bytes;
}

function finalEmitter(table: GroupTable, aggs: Aggregator[]): Emitter {
	let next = 0;
	let groups = new Int32Array(0);
	return (ctx) => {
		if (next >= table.size) return 'done';
		if (groups.length < ctx.batchRows) groups = new Int32Array(ctx.batchRows);
		const n = nextGroups(table, aggs, next, ctx.batchRows, groups);
		const writer = ctx.allocate(0, n, utf8Of(table, aggs, groups, n, null));
		if (!writer) return 'blocked';
		table.writeKeys(writer, 0, groups, n);
		const k = table.keyTypes.length;
		aggs.forEach((a, j) => a.writeFinal(writer, k + j, groups, n));
		ctx.emitWriter(0, writer, n);
		next += n;
		return next >= table.size ? 'done' : 'more';
	};
}

function partialEmitter(plan: GroupPlan, table: GroupTable, aggs: Aggregator[]): Emitter {
	const k = plan.keyTypes.length;
	let next = 0;
	let groups = new Int32Array(0);
	// Distinct rows: a cursor over (aggregate, group, value index).
	let agg = 0;
	let group = 0;
	let values: Distinct[] | null = null;
	let at = 0;

	function stateRows(ctx: KernelContext): boolean {
		const n = nextGroups(table, aggs, next, ctx.batchRows, groups);
		const writer = ctx.allocate(0, n, utf8Of(table, aggs, groups, n, plan));
		if (!writer) return false;
		table.writeKeys(writer, 0, groups, n);
		(writer.column(k).values as Int8Array).fill(0, 0, n); // state rows
		aggs.forEach((a) => a.writePartial(writer, a.plan.partialAt, groups, n));
		ctx.emitWriter(0, writer, n);
		next += n;
		return true;
	}

	function distinctRows(ctx: KernelContext): boolean {
		const a = aggs[agg] as CountDistinctAgg;
		const picked: Distinct[] = [];
		let n = 0;
		let bytes = 0;
		let g = group;
		let v = values;
		let i = at;
		while (n < ctx.batchRows && g < table.size && bytes < MAX_BATCH_UTF8) {
			v ??= a.values(g);
			if (i >= v.length) {
				g++;
				v = null;
				i = 0;
				continue;
			}
			groups[n++] = g;
			picked.push(v[i]);
			bytes +=
				table.keyBytesBound(g) + (typeof v[i] === 'string' ? 3 * (v[i] as string).length : 0);
			i++;
		}
		if (n > 0) {
			const encoded = picked.map((x) => (typeof x === 'string' ? encoder.encode(x) : null));
			const utf8 = table.utf8Bytes(groups, n);
			for (let c = k; c < plan.partial.types.length; c++)
				utf8[c] = c === a.plan.partialAt ? encoded.reduce((s, e) => s + (e?.length ?? 0), 0) : 0;
			const writer = ctx.allocate(0, n, utf8);
			if (!writer) return false;
			table.writeKeys(writer, 0, groups, n);
			(writer.column(k).values as Int8Array).fill(agg + 1, 0, n);
			for (let c = k + 1; c < plan.partial.types.length; c++)
				if (c !== a.plan.partialAt) writeNulls(writer, c, n);
			writeValues(writer, a.plan.partialAt, picked, encoded);
			ctx.emitWriter(0, writer, n);
		}
		group = g;
		values = v;
		at = i;
		return true;
	}

	return (ctx) => {
		if (groups.length < ctx.batchRows) groups = new Int32Array(ctx.batchRows);
		if (next < table.size) {
			if (!stateRows(ctx)) return 'blocked';
			return 'more';
		}
		while (agg < aggs.length) {
			if (!(aggs[agg] instanceof CountDistinctAgg) || group >= table.size) {
				agg++;
				group = 0;
				values = null;
				at = 0;
				continue;
			}
			if (!distinctRows(ctx)) return 'blocked';
			return 'more';
		}
		return 'done';
	};
}

const encoder = new TextEncoder();

function writeValues(
	writer: FrameWriter,
	c: number,
	values: Distinct[],
	encoded: (Uint8Array | null)[]
): void {
	const col = writer.column(c);
	const out = col.values;
	for (let i = 0; i < values.length; i++) {
		const x = values[i];
		if (encoded[i] !== null) putString(col, i, encoded[i]!);
		else if (typeof x === 'boolean') {
			if (x) (out as Uint8Array)[i >>> 3] |= 1 << (i & 7);
		} else (out as unknown as { [i: number]: number | bigint })[i] = x as number | bigint;
	}
}
