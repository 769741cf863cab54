// The hash join kernel. Port 0 ('left') is the probe side, port 1 ('right') the build side.
//
// Order of work: `wants` lets the stage pop only the build port until it ended, so the whole
// right input is copied into a ColumnStore first (the pool block of each batch is released
// after consume). The first probe batch builds the hash table; then each probe batch streams
// through: for each live left row, every build row with equal keys gives one output row (in
// build order), and under 'left' a row with no match gives one row with nulls on the right.
//
// Output rows collect as (left row, right row or -1) pairs and are written into a frame when
// `batchRows` pairs or a frame's worth of bytes are pending, and at the end of each probe
// batch. When the pool has no block the kernel answers 'blocked' with its cursor saved (the
// probe row and the next build row of its chain) and resumes there on the same batch.
//
// Memory: the build side lives on this worker's heap, counted (rows, strings, hash table)
// against the run's budget or the node's `maxBuildBytes`, whichever is smaller; past it the
// kernel fails with a message naming the node. Single instance (not partitionable).
import type { ColumnView } from '../../runtime/contracts';
import { elementBytes } from '../../runtime/batch/types';
import { frameBytes } from '../../runtime/batch/layout';
import type { FrameWriter } from '../../runtime/batch/writer';
import type {
	InputBatch,
	Kernel,
	KernelContext,
	KernelSetup
} from '../../runtime/scheduler/kernel';
import { gatherInto } from './gather';
import { BuildTable, JoinKeys, keyMode, type KeyMode } from './join-keys';
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
	const [leftSchema, rightSchema] = setup.inputSchemas;
	const outSchema = setup.outputSchemas[0];
	const leftKeyCols = p.on.map((k) => leftSchema.names.indexOf(k.left));
	const rightKeyCols = p.on.map((k) => rightSchema.names.indexOf(k.right));
	const modes: KeyMode[] = p.on.map((k, i) => {
		const mode = keyMode(leftSchema.types[leftKeyCols[i]], rightSchema.types[rightKeyCols[i]]);
		if (!mode) throw new TypeError(`join keys '${k.left}' and '${k.right}' cannot be compared`);
		return mode;
	});
	const rightOut = rightSchema.names.map((_, c) => c).filter((c) => !rightKeyCols.includes(c));
	const leftColumns = leftSchema.names.length;
	const leftJoin = p.type === 'left';
	const byParam = p.maxBuildBytes !== undefined && p.maxBuildBytes < setup.budgetBytes;
	const buildLimit = byParam ? p.maxBuildBytes! : setup.budgetBytes;
	const frameLimit = frameByteLimit(setup.budgetBytes);
	const validity = outSchema.types.map(() => true);
	const leftUtf8 = leftSchema.types.flatMap((t, c) => (t === 'utf8' ? [c] : []));
	const rightUtf8 = rightOut.filter((c) => rightSchema.types[c] === 'utf8');
	// Bytes a row takes in a frame besides its strings: values, offsets, validity bits.
	const fixedRowBytes = outSchema.types.reduce(
		(sum, t) => sum + 0.125 + (t === 'utf8' ? 4 : t === 'bool' ? 0.125 : elementBytes(t)),
		0
	);

	let build = new ColumnStore(rightSchema.types);
	let buildEnded = false;
	let table: BuildTable | null = null;

	// Pending output pairs.
	let leftRows = new Uint32Array(0);
	let rightRows = new Int32Array(0);
	let pairs = 0;
	let pendingBytes = 0;

	// Probe cursor, kept across a 'blocked' answer.
	let active = false;
	let probeKeys: JoinKeys | null = null;
	let i = 0;
	let chain = START;
	let hash = 0;
	let matched = false;
	let leftBytes = 0;

	function stringBytes(cols: ColumnView[], which: number[], row: number): number {
		let total = 0;
		for (const c of which) total += cols[c].offsets![row + 1] - cols[c].offsets![row];
		return total;
	}

	function room(bytes: number): boolean {
		return pairs < leftRows.length && (pairs === 0 || pendingBytes + bytes <= frameLimit);
	}

	function push(left: number, right: number, bytes: number): void {
		leftRows[pairs] = left;
		rightRows[pairs] = right;
		pairs++;
		pendingBytes += bytes;
	}

	/** Writes the pending pairs as one frame; false when the pool has no block now. */
	function flush(input: InputBatch, ctx: KernelContext): boolean {
		if (pairs === 0) return true;
		const utf8 = outSchema.types.map(() => 0);
		for (const c of leftUtf8) {
			const offsets = input.view.columns[c].offsets!;
			for (let k = 0; k < pairs; k++) utf8[c] += offsets[leftRows[k] + 1] - offsets[leftRows[k]];
		}
		rightOut.forEach((c, j) => {
			if (rightSchema.types[c] !== 'utf8') return;
			const offsets = build.columns[c].offsets!;
			for (let k = 0; k < pairs; k++) {
				const b = rightRows[k];
				if (b >= 0) utf8[leftColumns + j] += offsets[b + 1] - offsets[b];
			}
		});
		const bytes = frameBytes(outSchema, pairs, utf8, validity);
		// Only a single pair can pass the limit (room() flushes before that); no block holds it.
		if (bytes > 2 * frameLimit)
			throw new Error(sortMessages.rowTooLarge('join', setup.stageName, bytes, 2 * frameLimit));
		const writer = ctx.allocate(0, pairs, utf8);
		if (!writer) return false;
		const left = { length: input.view.length, columns: input.view.columns.slice(0, leftColumns) };
		gatherInto({ view: left, selection: leftRows, count: pairs }, writer);
		rightOut.forEach((c, j) =>
			writeRight(build.columns[c], rightRows, pairs, writer, leftColumns + j)
		);
		ctx.emitWriter(0, writer, pairs);
		pairs = 0;
		pendingBytes = 0;
		return true;
	}

	function consumeBuild(input: InputBatch): 'more' {
		build.append(input.view, input.selection, input.count);
		if (build.bytes() + BuildTable.bytesFor(build.rows) > buildLimit) {
			throw new Error(
				sortMessages.buildOverBudget(setup.stageName, buildLimit, build.rows, byParam)
			);
		}
		return 'more';
	}

	function consumeProbe(input: InputBatch, ctx: KernelContext): 'more' | 'blocked' {
		if (!buildEnded)
			throw new Error(`join '${setup.stageName}': probe rows arrived before the build side ended`);
		const t = (table ??= new BuildTable(
			new JoinKeys(
				modes,
				rightKeyCols.map((c) => build.columns[c])
			),
			build.rows
		));
		if (!leftJoin && build.rows === 0) return 'more';
		if (leftRows.length === 0) {
			leftRows = new Uint32Array(ctx.batchRows);
			rightRows = new Int32Array(ctx.batchRows);
		}
		const { view, selection, count } = input;
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
		const buildKeys = t.keys;
		for (; i < count; i++, chain = START) {
			const r = selection ? selection[i] : i;
			if (chain === START) {
				matched = false;
				leftBytes = fixedRowBytes + stringBytes(view.columns, leftUtf8, r);
				if (keys.isNull(r)) chain = END;
				else {
					hash = keys.hash(r);
					chain = t.heads[hash & t.mask];
				}
			}
			while (chain !== END) {
				const b = chain;
				if (t.hashes[b] === hash && keys.equals(r, buildKeys, b)) {
					const bytes = leftBytes + stringBytes(build.columns, rightUtf8, b);
					// Blocked here: the cursor still points at b, which is retried.
					if (!room(bytes) && !flush(input, ctx)) return 'blocked';
					push(r, b, bytes);
					matched = true;
				}
				chain = t.next[b];
			}
			if (!matched && leftJoin) {
				if (!room(leftBytes) && !flush(input, ctx)) return 'blocked';
				push(r, -1, leftBytes);
				matched = true;
			}
		}
		if (!flush(input, ctx)) return 'blocked';
		active = false;
		probeKeys = null;
		return 'more';
	}

	return {
		wants: (port) => port === BUILD || buildEnded,
		inputEnded(port) {
			if (port === BUILD) buildEnded = true;
		},
		consume: (input, ctx) =>
			input.port === BUILD ? consumeBuild(input) : consumeProbe(input, ctx),
		dispose() {
			build = new ColumnStore([]);
			table = null;
			probeKeys = null;
		}
	};
}

/** Writes rows `rows[0..count)` of a build column into output column `c`; -1 writes a null. */
function writeRight(
	from: ColumnView,
	rows: Int32Array,
	count: number,
	writer: FrameWriter,
	c: number
): void {
	const to = writer.column(c);
	const validity = from.nullCount > 0 ? from.validity : null;
	if (from.type === 'utf8') {
		const fo = from.offsets!;
		const fv = from.values as Uint8Array;
		const offsets = to.offsets!;
		const bytes = to.values as Uint8Array;
		let at = offsets[0];
		for (let k = 0; k < count; k++) {
			const b = rows[k];
			if (b >= 0) {
				bytes.set(fv.subarray(fo[b], fo[b + 1]), at);
				at += fo[b + 1] - fo[b];
			}
			offsets[k + 1] = at;
		}
	} else if (from.type === 'bool') {
		const fv = from.values as Uint8Array;
		const tv = to.values as Uint8Array;
		for (let k = 0; k < count; k++) {
			const b = rows[k];
			if (b >= 0 && (fv[b >>> 3] >>> (b & 7)) & 1) tv[k >>> 3] |= 1 << (k & 7);
		}
	} else {
		const fv = from.values as unknown as { [i: number]: number | bigint };
		const tv = to.values as unknown as { [i: number]: number | bigint };
		for (let k = 0; k < count; k++) {
			const b = rows[k];
			if (b >= 0) tv[k] = fv[b];
		}
	}
	for (let k = 0; k < count; k++) {
		const b = rows[k];
		if (b < 0 || (validity && !((validity[b >>> 3] >>> (b & 7)) & 1))) writer.setNull(c, k);
	}
}
