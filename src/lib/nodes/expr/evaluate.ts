// checkExpression compiles source text against the input fields into a CompiledExpr;
// evaluate and evaluateFilter run it over one batch at a time.
//
// A CompiledExpr belongs to one thread: its nodes keep scratch buffers between batches, so the
// column evaluate returns (and the selection evaluateFilter returns) is overwritten by the next
// call on the same program, and may share buffers with the input batch (a bare column
// reference returns the input column itself). Copy it before keeping it.

import type { BatchView, ColumnType, ColumnView } from '../../runtime/contracts';
import { Checker } from './checker';
import { Compiler } from './compile';
import { nextEpoch, type Ctx, type Node } from './exec-base';
import { IntOverflow, inInt64, isRowValid } from './int64';
import { exprMessages as msg } from './messages';
import { parseExpression } from './parser';
import {
	exprFields,
	outputColumnTypeOf,
	type ExprError,
	type ExprField,
	type ExprFields,
	type ExprType
} from './types';
import {
	Scratch,
	bitmapBytes,
	countNulls,
	getBit,
	type BoolVec,
	type NumVec,
	type StrVec,
	type Vec
} from './vectors';

const TWO_POW_32 = 4294967296;
const TWO_POW_63 = 2 ** 63;
const decoder = new TextDecoder();

/** An int result outside int64, with the values of the row's columns to find it by. */
export class ExprOverflowError extends RangeError {
	constructor(message: string) {
		super(message);
		this.name = 'ExprOverflowError';
	}
}

/** Row i of a column as the message shows it: null, a number, a quoted string. */
function cellText(col: ColumnView, i: number): string {
	if (col.validity !== null && col.nullCount > 0 && !getBit(col.validity, i)) return 'null';
	if (col.offsets) {
		const text = decoder.decode(
			col.values.subarray(col.offsets[i], col.offsets[i + 1]) as Uint8Array
		);
		return JSON.stringify(text.length > 30 ? text.slice(0, 27) + '...' : text);
	}
	if (col.type === 'bool') return String(getBit(col.values as Uint8Array, i));
	return String(col.values[i]);
}

export class CompiledExpr {
	private readonly ctx: Ctx = { epoch: 0, n: 0, columns: [] };
	private readonly result: ColumnView = {
		type: 'bool',
		length: 0,
		nullCount: 0,
		validity: null,
		offsets: null,
		values: new Uint8Array(0)
	};
	private readonly int64 = new Scratch((n) => new Int32Array(n));
	private readonly int32 = new Scratch((n) => new Int32Array(n));
	private int64View: BigInt64Array = new BigInt64Array(0);
	private readonly selected = new Scratch((n) => new Uint32Array(n));
	/** Indexes of the referenced fields, checked against each batch's column types. */
	private readonly referenced: number[];

	constructor(
		readonly source: string,
		readonly type: ExprType,
		readonly outputColumnType: ColumnType,
		fields: ExprFields,
		/** Referenced column names, each once, in order of first use. */
		readonly columns: readonly string[],
		private readonly root: Node,
		/** Field index when the expression is a bare column reference, else -1. */
		private readonly passThrough: number
	) {
		// Only the referenced fields are kept: a program does not hold the whole input schema.
		this.referenced = columns.map((name) => fields.names.indexOf(name));
		this.referencedTypes = this.referenced.map((i) => fields.types[i]);
	}

	/** Checked type of each referenced column (parallel to `referenced` and `columns`). */
	private readonly referencedTypes: ColumnType[];

	/** Throws TypeError unless every referenced column is in the batch with its checked type. */
	private validate(batch: BatchView): void {
		for (let k = 0; k < this.referenced.length; k++) {
			const i = this.referenced[k];
			const col = batch.columns[i];
			const name = this.columns[k];
			const type = this.referencedTypes[k];
			if (!col) throw new TypeError(msg.batchColumnMissing(i, name));
			if (col.type !== type) throw new TypeError(msg.batchColumnType(i, name, col.type, type));
		}
	}

	/** Runs the nodes over a batch and returns the root's vector. */
	private run(batch: BatchView): Vec {
		this.validate(batch);
		const ctx = this.ctx;
		ctx.epoch = nextEpoch();
		ctx.n = batch.length;
		ctx.columns = batch.columns;
		try {
			return this.root.run(ctx);
		} catch (error) {
			if (error instanceof IntOverflow) throw this.overflow(error, batch);
			throw error;
		}
	}

	/** The overflow's message with the values of the row's referenced columns, to find it by. */
	private overflow(error: IntOverflow, batch: BatchView): ExprOverflowError {
		const cells = this.referenced
			.slice(0, 4)
			.map((i, k) => `${this.columns[k]} = ${cellText(batch.columns[i], error.row)}`);
		const detail = cells.length ? msg.overflowRow(error.message, cells.join(', ')) : error.message;
		return new ExprOverflowError(
			`${detail} (in ${this.source.length > 60 ? this.source.slice(0, 57) + '...' : this.source})`
		);
	}

	evaluate(batch: BatchView): ColumnView {
		if (this.passThrough >= 0) {
			this.validate(batch);
			return batch.columns[this.passThrough];
		}
		const v = this.run(batch);
		const n = batch.length;
		const out = this.result;
		out.type = this.outputColumnType;
		out.length = n;
		out.offsets = null;
		out.nullCount = countNulls(v.valid, n);
		out.validity = out.nullCount === 0 ? null : v.valid;
		switch (this.outputColumnType) {
			case 'float64':
				out.values = (v as NumVec).values;
				break;
			case 'int64':
			case 'timestamp':
				try {
					out.values = this.toInt64(v as NumVec, n);
				} catch (error) {
					if (error instanceof IntOverflow) throw this.overflow(error, batch);
					throw error;
				}
				break;
			case 'date32': {
				const days = this.int32.get(n);
				const values = (v as NumVec).values;
				for (let i = 0; i < n; i++) days[i] = values[i];
				out.values = days;
				break;
			}
			case 'utf8':
				out.values = (v as StrVec).bytes;
				out.offsets = (v as StrVec).offsets;
				break;
			default:
				out.values = (v as BoolVec).bits;
		}
		return out;
	}

	/**
	 * Whole numbers to int64, written as two int32 halves (little-endian): no BigInt per row,
	 * except for a batch that carries exact values (some of 2^53 or more). A value outside int64
	 * is an IntOverflow (never wrapped).
	 */
	private toInt64(vec: NumVec, n: number): BigInt64Array {
		const { values, exact, valid } = vec;
		const words = this.int64.get(2 * n);
		if (this.int64View.buffer !== words.buffer || this.int64View.length !== n) {
			this.int64View = new BigInt64Array(words.buffer, words.byteOffset, n);
		}
		if (exact) {
			const out = this.int64View;
			for (let i = 0; i < n; i++) {
				const x = exact[i];
				if (!inInt64(x) && isRowValid(valid, i)) throw new IntOverflow(msg.intOverflow(`${x}`), i);
				out[i] = inInt64(x) ? x : 0n;
			}
			return out;
		}
		// The range check runs only when the values' bound does not already rule overflow out.
		if (!(vec.bound! < TWO_POW_63)) {
			for (let i = 0; i < n; i++) {
				const x = values[i];
				if ((x >= TWO_POW_63 || x < -TWO_POW_63) && isRowValid(valid, i))
					throw new IntOverflow(msg.intOverflow(String(x)), i);
			}
		}
		for (let i = 0; i < n; i++) {
			const x = values[i];
			const small = x | 0;
			if (small === x) {
				// Fits in int32 (the common case): the high word is the sign.
				words[2 * i] = small;
				words[2 * i + 1] = small >> 31;
			} else {
				const hi = Math.floor(x / TWO_POW_32);
				words[2 * i] = x - hi * TWO_POW_32;
				words[2 * i + 1] = hi;
			}
		}
		return this.int64View;
	}

	filter(batch: BatchView, selection?: Uint32Array): { selection: Uint32Array; count: number } {
		if (this.type !== 'bool' && this.type !== 'null') {
			throw new TypeError(msg.evaluateFilterType(this.type));
		}
		const v = this.run(batch) as BoolVec;
		const n = batch.length;
		const { bits, valid } = v;
		// Room for 8 past the last row: the scan below writes candidates before counting them.
		const out = this.selected.get(selection ? selection.length : n + 8);
		let count = 0;
		if (selection) {
			for (let k = 0; k < selection.length; k++) {
				const i = selection[k];
				const bit = 1 << (i & 7);
				if (bits[i >>> 3] & bit && (valid === null || valid[i >>> 3] & bit)) out[count++] = i;
			}
			return { selection: out, count };
		}
		const bytes = bitmapBytes(n);
		for (let j = 0; j < bytes; j++) {
			let m = bits[j] & (valid === null ? 0xff : valid[j]);
			if (j === bytes - 1 && (n & 7) !== 0) m &= (1 << (n & 7)) - 1;
			if (m === 0) continue;
			// Write all eight candidates, advancing only past kept ones: no unpredictable branch.
			const base = j << 3;
			for (let k = 0; k < 8; k++) {
				out[count] = base + k;
				count += (m >>> k) & 1;
			}
		}
		return { selection: out, count };
	}
}

export type CheckResult =
	| {
			ok: true;
			type: ExprType;
			outputColumnType: ColumnType;
			columns: string[];
			program: CompiledExpr;
	  }
	| { ok: false; errors: ExprError[] };

/** Parses and type-checks `source` against `fields` and compiles it. Never throws on user text. */
export function checkExpression(
	source: string,
	input: readonly ExprField[] | ExprFields
): CheckResult {
	const fields = exprFields(input);
	const parsed = parseExpression(source);
	if ('error' in parsed) return { ok: false, errors: [parsed.error] };
	const checker = new Checker(source, fields);
	const checked = checker.check(parsed.ast);
	if (checker.errors.length > 0) return { ok: false, errors: checker.errors };
	const typed = checked.node;
	const type = typed.type as ExprType;
	const passThrough = typed.k === 'col' ? typed.index : -1;
	const outputColumnType = passThrough >= 0 ? fields.types[passThrough] : outputColumnTypeOf(type);
	const root = new Compiler().build(typed);
	const columns = [...checker.columns];
	const program = new CompiledExpr(
		source,
		type,
		outputColumnType,
		fields,
		columns,
		root,
		passThrough
	);
	return { ok: true, type, outputColumnType, columns, program };
}

/**
 * The expression's value for every row of `batch` (columns in the checked fields' order).
 * Bool results are bit-packed, strings are offsets + UTF-8 bytes, ints are int64, dates date32,
 * timestamps int64 ms. Throws TypeError if the batch's columns don't match the fields.
 */
export function evaluate(program: CompiledExpr, batch: BatchView): ColumnView {
	return program.evaluate(batch);
}

/**
 * Row indices (ascending) where the predicate is true; null and false drop the row. With
 * `selection`, only those rows are considered (every entry of it; pass a subarray). Only the
 * first `count` entries of the returned selection are meaningful.
 */
export function evaluateFilter(
	program: CompiledExpr,
	batch: BatchView,
	selection?: Uint32Array
): { selection: Uint32Array; count: number } {
	return program.filter(batch, selection);
}
