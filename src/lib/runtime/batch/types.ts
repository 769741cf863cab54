// Column types of a batch frame and their apache-arrow counterparts.
// A frame carries no names: both sides hold the same FrameSchema (the plan gives it to the
// producing and the consuming stage), and the frame's directory repeats only the type codes,
// which the reader checks against the schema.
import {
	Bool,
	DataType,
	DateDay,
	DateUnit,
	Field,
	Float32,
	Float64,
	Int16,
	Int32,
	Int64,
	Int8,
	Precision,
	Schema,
	TimestampMillisecond,
	TimeUnit,
	Uint16,
	Uint32,
	Uint64,
	Uint8,
	Utf8,
	type Float,
	type Int,
	type Timestamp
} from 'apache-arrow';
import type { ColumnType } from '../contracts';

/** Column names and types, in column order. */
export interface FrameSchema {
	names: string[];
	types: ColumnType[];
	/**
	 * Text sources only (CSV): the pattern each date32/timestamp column's text is read with
	 * (nodes/formats/date-formats.ts), null or absent for ISO. Absent when every column is ISO.
	 */
	formats?: (string | null)[];
}

/** Every ColumnType, in type-code order: a column's code in the frame is its index here + 1. */
export const COLUMN_TYPES: readonly ColumnType[] = [
	'int8',
	'int16',
	'int32',
	'int64',
	'uint8',
	'uint16',
	'uint32',
	'uint64',
	'float32',
	'float64',
	'bool',
	'utf8',
	'date32',
	'timestamp'
];

/** Type code stored in the frame directory (0 is never a valid code). */
export function typeCode(type: ColumnType): number {
	return COLUMN_TYPES.indexOf(type) + 1;
}

/** The ColumnType of a directory type code, or undefined for an unknown code. */
export function typeOfCode(code: number): ColumnType | undefined {
	return COLUMN_TYPES[code - 1];
}

/**
 * The inclusive range of each integer type whose values are JS numbers (date32 is int32 days);
 * int64, uint64 and timestamp hold bigints and are not here.
 */
export const NUMBER_INT_RANGES: Readonly<Partial<Record<ColumnType, readonly [number, number]>>> = {
	int8: [-128, 127],
	int16: [-32768, 32767],
	int32: [-2147483648, 2147483647],
	uint8: [0, 255],
	uint16: [0, 65535],
	uint32: [0, 4294967295],
	date32: [-2147483648, 2147483647]
};

/**
 * Bytes per element of the column's `values` typed array: 1 for `bool` (bit-packed bytes) and
 * `utf8` (UTF-8 bytes).
 */
export function elementBytes(type: ColumnType): number {
	switch (type) {
		case 'int8':
		case 'uint8':
		case 'bool':
		case 'utf8':
			return 1;
		case 'int16':
		case 'uint16':
			return 2;
		case 'int32':
		case 'uint32':
		case 'float32':
		case 'date32':
			return 4;
		case 'int64':
		case 'uint64':
		case 'float64':
		case 'timestamp':
			return 8;
	}
}

/** Bytes of a fixed-width values buffer holding `rows` values (bool: one bit each). */
export function fixedValueBytes(type: ColumnType, rows: number): number {
	return type === 'bool' ? (rows + 7) >>> 3 : rows * elementBytes(type);
}

/** The apache-arrow DataType a ColumnType is read as. */
export function toArrowType(type: ColumnType): DataType {
	switch (type) {
		case 'int8':
			return new Int8();
		case 'int16':
			return new Int16();
		case 'int32':
			return new Int32();
		case 'int64':
			return new Int64();
		case 'uint8':
			return new Uint8();
		case 'uint16':
			return new Uint16();
		case 'uint32':
			return new Uint32();
		case 'uint64':
			return new Uint64();
		case 'float32':
			return new Float32();
		case 'float64':
			return new Float64();
		case 'bool':
			return new Bool();
		case 'utf8':
			return new Utf8();
		case 'date32':
			return new DateDay();
		case 'timestamp':
			return new TimestampMillisecond();
	}
}

/** The ColumnType of an apache-arrow DataType, or undefined when a frame cannot carry it. */
export function fromArrowType(type: DataType): ColumnType | undefined {
	if (DataType.isInt(type)) {
		const { bitWidth, isSigned } = type as Int;
		const name = `${isSigned ? 'int' : 'uint'}${bitWidth}`;
		return COLUMN_TYPES.includes(name as ColumnType) ? (name as ColumnType) : undefined;
	}
	if (DataType.isFloat(type)) {
		const { precision } = type as Float;
		if (precision === Precision.SINGLE) return 'float32';
		if (precision === Precision.DOUBLE) return 'float64';
		return undefined;
	}
	if (DataType.isBool(type)) return 'bool';
	if (DataType.isUtf8(type)) return 'utf8';
	if (DataType.isDate(type)) return type.unit === DateUnit.DAY ? 'date32' : undefined;
	if (DataType.isTimestamp(type)) {
		const ts = type as Timestamp;
		return ts.unit === TimeUnit.MILLISECOND && !ts.timezone ? 'timestamp' : undefined;
	}
	return undefined;
}

/** The Arrow schema of a frame schema; every field nullable. */
export function toArrowSchema(schema: FrameSchema): Schema {
	checkFrameSchema(schema);
	return new Schema(
		schema.names.map((name, i) => new Field(name, toArrowType(schema.types[i]), true))
	);
}

/** The frame schema of an Arrow schema; TypeError naming the first field a frame cannot carry. */
export function fromArrowSchema(schema: Schema): FrameSchema {
	const names: string[] = [];
	const types: ColumnType[] = [];
	for (const field of schema.fields) {
		const type = fromArrowType(field.type);
		if (type === undefined)
			throw new TypeError(
				`field '${field.name}' has Arrow type ${String(field.type)}, which a batch frame cannot carry`
			);
		names.push(field.name);
		types.push(type);
	}
	return { names, types };
}

/** TypeError unless `schema` has as many names as types and every type is a ColumnType. */
export function checkFrameSchema(schema: FrameSchema): void {
	if (schema.names.length !== schema.types.length)
		throw new TypeError(`schema has ${schema.names.length} names but ${schema.types.length} types`);
	schema.types.forEach((type, i) => {
		if (typeCode(type) === 0)
			throw new TypeError(`schema column ${i} '${schema.names[i]}' has unknown type '${type}'`);
	});
}
