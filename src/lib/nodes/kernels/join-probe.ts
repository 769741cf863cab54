// The hash join kernel. Port 0 ('left') is the probe side, port 1 ('right') the build side.
//
// Order of work: `wants` lets the stage pop only the build port until it ended, so the whole
// right input is copied into a ColumnStore first (the pool block of each batch is released
// after consume). The first probe call builds the hash table; then each probe batch streams
// through: for each live left row, every build row with equal keys gives one output row (in
// build order), and under 'left' a row with no match gives one row with nulls on the right.
// Pairs go to a JoinOutput, which writes frames; when the pool has no block the kernel answers
// 'blocked' with its cursor saved (the probe row and the next build row of its chain) and
// resumes there on the same batch.
//
// One upstream feeding both inputs (a self-join, or a source whose rows reach the join by two
// paths; the compiler marks such a stage `sharedUpstream`): reading only the right input would
// let the left ring fill, the upstream wait for room, and the right input never end. So such
// a join reads both inputs from the start, copying left batches into a backlog that it joins
// as soon as the right input ended (the backlog first, so left rows keep their order). Inputs
// from separate sources need no backlog: the left one simply waits.
//
// Memory: the build side and the backlog live on this worker's heap, counted (rows, strings,
// hash table) against the run's budget or the node's `maxBuildBytes`, whichever is smaller;
// past it the kernel fails with a message naming the node and the bytes it needed. Single
// instance (not partitionable).
import type { BatchView } from '../../runtime/contracts';
import type { Kernel, KernelContext, KernelSetup } from '../../runtime/scheduler/kernel';
import { BuildTable, JoinKeys, keyMode, type KeyMode } from './join-keys';
import { JoinOutput } from './join-output';
import { ColumnStore } from './sort-columns';
import { frameByteLimit } from './sort-emit';
import { sortMessages } from './sort-messages';

export const PROBE = 0;
export const BUILD = 1;

export interface JoinParams {
	type: 'inner' | 'left';
	on: { left: string; right: string }[];
	rightPrefix: string;
	maxBuildBytes?: number;
}

/** Chain cursor values: a probe row not started yet; the end of a chain. */
const START = -2;
const END = -1;

export function joinKernel(setup: KernelSetup): Kernel {
	const p = setup.params as JoinParams;
	const node = setup.stageName;
	const [leftSchema, rightSchema] = setup.inputSchemas;
	const leftKeyCols = p.on.map((k) => leftSchema.names.indexOf(k.left));
	const rightKeyCols = p.on.map((k) => rightSchema.names.indexOf(k.right));
	const modes: KeyMode[] = p.on.map((k, i) => {
		const mode = keyMode(leftSchema.types[leftKeyCols[i]], rightSchema.types[rightKeyCols[i]]);
		if (!mode) throw new TypeError(`join keys '${k.left}' and '${k.right}' cannot be compared`);
		return mode;
	});
	const rightOut = rightSchema.names.map((_, c) => c).filter((c) => !rightKeyCols.includes(c));
	const leftJoin = p.type === 'left';
	const byParam = p.maxBuildBytes !== undefined && p.maxBuildBytes < setup.budgetBytes;
	const buildLimit = byParam ? p.maxBuildBytes! : setup.budgetBytes;
	const output = new JoinOutput(
		node,
		setup.outputSchemas[0],
		leftSchema.names.length,
		rightOut,
		frameByteLimit(setup.budgetBytes)
	);
	const leftUtf8 = leftSchema.types.flatMap((t, c) => (t === 'utf8' ? [c] : []));
	const rightUtf8 = rightOut.filter((c) => rightSchema.types[c] === 'utf8');

	let build = new ColumnStore(rightSchema.types);
	let buildEnded = false;
	let table: BuildTable | null = null;
	/** Left rows read before the right input ended (shared upstream only), joined once it did. */
	let backlog: ColumnStore | null = null;
	const readBothInputs = setup.sharedUpstream === true;

	// Probe cursor, kept across a 'blocked' answer.
	let active = false;
	let probeKeys: JoinKeys | null = null;
	let i = 0;
	let chain = START;
	let hash = 0;
	let matched = false;
	let leftBytes = 0;

	function utf8Bytes(view: BatchView, which: number[], row: number): number {
		let total = 0;
		for (const c of which) {
			const offsets = view.columns[c].offsets!;
			total += offsets[row + 1] - offsets[row];
		}
		return total;
	}

	function checkMemory(): void {
		const held = build.bytes() + BuildTable.bytesFor(build.rows) + (backlog ? backlog.bytes() : 0);
		if (held <= buildLimit) return;
		throw new Error(
			backlog
				? sortMessages.backlogOverBudget(node, held, buildLimit, build.rows, backlog.rows)
				: sortMessages.buildOverBudget(node, held, buildLimit, build.rows, byParam)
		);
	}

	/** Joins live rows of `view` (all of them when `selection` is null); resumable. */
	function probe(
		view: BatchView,
		selection: Uint32Array | null,
		count: number,
		ctx: KernelContext
	): 'more' | 'blocked' {
		const t = (table ??= new BuildTable(
			new JoinKeys(
				modes,
				rightKeyCols.map((c) => build.columns[c])
			),
			build.rows
		));
		if (!leftJoin && build.rows === 0) return 'more';
		if (!active) {
			active = true;
			probeKeys = new JoinKeys(
				modes,
				leftKeyCols.map((c) => view.columns[c])
			);
			i = 0;
			chain = START;
		}
		const keys = probeKeys!;
		const batchRows = ctx.batchRows;
		const buildView = build.view;
		for (; i < count; i++, chain = START) {
			const r = selection ? selection[i] : i;
			if (chain === START) {
				matched = false;
				leftBytes = output.fixedRowBytes + utf8Bytes(view, leftUtf8, r);
				if (keys.isNull(r)) chain = END;
				else {
					hash = keys.hash(r);
					chain = t.heads[hash & t.mask];
				}
			}
			while (chain !== END) {
				const b = chain;
				if (t.hashes[b] === hash && keys.equals(r, t.keys, b)) {
					const bytes = leftBytes + utf8Bytes(buildView, rightUtf8, b);
					// Blocked here: the cursor still points at b, which is retried.
					if (!output.room(bytes, batchRows) && !output.flush(view, build.columns, ctx))
						return 'blocked';
					output.push(r, b, bytes);
					matched = true;
				}
				chain = t.next[b];
			}
			if (!matched && leftJoin) {
				if (!output.room(leftBytes, batchRows) && !output.flush(view, build.columns, ctx))
					return 'blocked';
				output.push(r, -1, leftBytes);
				matched = true;
			}
		}
		if (!output.flush(view, build.columns, ctx)) return 'blocked';
		active = false;
		probeKeys = null;
		return 'more';
	}

	/** Joins the backlog, if any; 'more' once it is done. */
	function drainBacklog(ctx: KernelContext): 'more' | 'blocked' {
		if (!backlog) return 'more';
		const step = probe(backlog.view, null, backlog.rows, ctx);
		if (step === 'more') backlog = null;
		return step;
	}

	return {
		wants(port) {
			return port === BUILD || buildEnded || readBothInputs;
		},
		inputEnded(port) {
			if (port === BUILD) buildEnded = true;
		},
		consume(input, ctx) {
			if (input.port === BUILD) {
				build.append(input.view, input.selection, input.count);
				checkMemory();
				return 'more';
			}
			if (!buildEnded) {
				(backlog ??= new ColumnStore(leftSchema.types)).append(
					input.view,
					input.selection,
					input.count
				);
				checkMemory();
				return 'more';
			}
			if (drainBacklog(ctx) === 'blocked') return 'blocked';
			return probe(input.view, input.selection, input.count, ctx);
		},
		finish(ctx) {
			return drainBacklog(ctx) === 'blocked' ? 'blocked' : 'done';
		},
		dispose() {
			build = new ColumnStore([]);
			backlog = null;
			table = null;
			probeKeys = null;
		}
	};
}
