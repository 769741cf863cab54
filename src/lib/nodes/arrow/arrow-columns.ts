// Arrow IPC columns as frame columns: which Arrow types a source can read, and a RecordBatch
// turned into a BatchView of the frame schema.
//
// Types a frame carries natively (ints, uints, float32/64, bool, utf8, date32 as DateDay,
// timestamp as TimestampMillisecond without a zone) are passed through as views of the Arrow
// buffers, no copy. Others are converted value by value:
//   dictionary-encoded values -> their value type (dictionary utf8 -> utf8, decoded);
//   large utf8 -> utf8; float16 -> float32; date in milliseconds -> date32;
//   timestamps of any unit or time zone -> timestamp (milliseconds since the epoch, UTC), read
//   from the raw 64-bit values and floored (formats/time-units.ts): apache-arrow's getters
//   divide toward zero and through doubles.
// Anything else (lists, structs, maps, decimals, binary, intervals, ...) is refused with a
// message naming the column and its Arrow type.
import {
	DataType,
	makeVector,
	TimeUnit,
	type Timestamp,
	type Data,
	type Dictionary,
	type Field,
	type RecordBatch,
	type Schema
} from 'apache-arrow';
import type { BatchView, ColumnType, ColumnView } from '../../runtime/contracts';
import { fromArrowType, type FrameSchema } from '../../runtime/batch/types';
import { ColumnBuilder } from '../formats/column-build';
import { microsToMs, nanosToMs } from '../formats/time-units';

const DAY_MS = 86_400_000;

export interface ArrowColumnPlan {
	type: ColumnType;
	/** The Arrow buffers are the frame column as they are (when the column starts at row 0). */
	native: boolean;
	/** Otherwise each value, as Vector.get returns it, becomes the frame value through this. */
	convert: (value: unknown) => unknown;
	/** Convert the stored value (data.values[i]) instead of Vector.get's. */
	raw?: boolean;
}

const same = (value: unknown) => value;
/** Vector.get of a date column gives milliseconds; date32 stores days. */
const msToDays = (v: unknown) => (typeof v === 'number' ? Math.floor(v / DAY_MS) : v);

/** A stored timestamp of each unit as milliseconds, floored. */
const TIMESTAMP_TO_MS: Record<TimeUnit, (v: bigint) => bigint> = {
	[TimeUnit.SECOND]: (v) => v * 1000n,
	[TimeUnit.MILLISECOND]: (v) => v,
	[TimeUnit.MICROSECOND]: microsToMs,
	[TimeUnit.NANOSECOND]: nanosToMs
};

function planType(type: DataType): ArrowColumnPlan | null {
	const native = fromArrowType(type);
	if (native !== undefined)
		return { type: native, native: true, convert: native === 'date32' ? msToDays : same };
	if (DataType.isDictionary(type)) {
		const inner = planType((type as Dictionary).dictionary);
		return inner === null ? null : { ...inner, native: false };
	}
	if (DataType.isLargeUtf8(type)) return { type: 'utf8', native: false, convert: same };
	if (DataType.isFloat(type)) return { type: 'float32', native: false, convert: same };
	if (DataType.isDate(type)) return { type: 'date32', native: false, convert: msToDays };
	if (DataType.isTimestamp(type)) {
		const toMs = TIMESTAMP_TO_MS[(type as Timestamp).unit];
		return { type: 'timestamp', native: false, convert: (v) => toMs(v as bigint), raw: true };
	}
	return null;
}

/** How each column of `schema` is read, or an Error naming the first unreadable column. */
export function planArrowColumns(schema: Schema, source: string): ArrowColumnPlan[] {
	return schema.fields.map((field: Field) => {
		const plan = planType(field.type);
		if (plan === null)
			throw new Error(
				`'${source}' column '${field.name}' has Arrow type ${String(field.type)}, which Sluice ` +
					'cannot read: convert it to a number, text, bool, date or timestamp column first'
			);
		return plan;
	});
}

/** The frame schema a source with these columns outputs. */
export function arrowFrameSchema(schema: Schema, source: string): FrameSchema {
	const plans = planArrowColumns(schema, source);
	return { names: schema.fields.map((f) => f.name), types: plans.map((p) => p.type) };
}

function nativeColumn(type: ColumnType, data: Data): ColumnView {
	const nulls = data.nullCount;
	return {
		type,
		length: data.length,
		nullCount: nulls,
		validity: nulls > 0 ? (data.nullBitmap ?? null) : null,
		offsets: type === 'utf8' ? (data.valueOffsets as Int32Array) : null,
		values: data.values as ColumnView['values']
	};
}

function convertedColumn(plan: ArrowColumnPlan, data: Data, name: string): ColumnView {
	const vector = makeVector(data);
	const builder = new ColumnBuilder(plan.type, data.length);
	const convert = plan.convert;
	const stored = data.values as BigInt64Array;
	for (let i = 0; i < data.length; i++) {
		const value = !plan.raw ? vector.get(i) : vector.isValid(i) ? stored[i] : null;
		const refusal = builder.push(value === null ? null : convert(value));
		if (refusal !== null) throw new Error(`column '${name}' row ${i}: ${refusal}`);
	}
	return builder.build();
}

/** `batch` as a BatchView of the frame columns `plans` describe. */
export function arrowBatchView(batch: RecordBatch, plans: ArrowColumnPlan[]): BatchView {
	const columns = plans.map((plan, i) => {
		const data = batch.data.children[i] as Data;
		// Views need the column to start at row 0 of its buffers (true for batches read from IPC).
		if (plan.native && data.offset === 0) return nativeColumn(plan.type, data);
		return convertedColumn(plan, data, batch.schema.fields[i].name);
	});
	return { length: batch.numRows, columns };
}
