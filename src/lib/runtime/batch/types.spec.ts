import {
	DateMillisecond,
	Dictionary,
	Field,
	Float16,
	Int32,
	LargeUtf8,
	Schema,
	Timestamp,
	TimeUnit,
	Utf8
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
	COLUMN_TYPES,
	checkFrameSchema,
	fromArrowSchema,
	fromArrowType,
	toArrowSchema,
	toArrowType,
	typeCode,
	typeOfCode
} from './types';

describe('frame column types and Arrow types', () => {
	it('maps every column type to an Arrow type and back', () => {
		for (const type of COLUMN_TYPES) expect(fromArrowType(toArrowType(type))).toBe(type);
		expect(String(toArrowType('date32'))).toBe('Date32<DAY>');
		expect(String(toArrowType('timestamp'))).toBe('Timestamp<MILLISECOND>');
	});

	it('round-trips a frame schema through an Arrow schema with nullable fields', () => {
		const schema = { names: ['a', 'b', 'c'], types: COLUMN_TYPES.slice(9, 12) };
		const arrow = toArrowSchema(schema);
		expect(arrow.fields.every((f) => f.nullable)).toBe(true);
		expect(fromArrowSchema(arrow)).toEqual(schema);
	});

	it('refuses Arrow types a frame cannot carry, naming the field and the type', () => {
		const cases: [string, Field][] = [
			['half', new Field('half', new Float16())],
			['zoned', new Field('zoned', new Timestamp(TimeUnit.MILLISECOND, 'UTC'))],
			['micros', new Field('micros', new Timestamp(TimeUnit.MICROSECOND))],
			['dayms', new Field('dayms', new DateMillisecond())],
			['big', new Field('big', new LargeUtf8())],
			['dict', new Field('dict', new Dictionary(new Utf8(), new Int32()))]
		];
		for (const [name, field] of cases) {
			const schema = new Schema([new Field('ok', new Int32()), field]);
			expect(() => fromArrowSchema(schema)).toThrow(TypeError);
			expect(() => fromArrowSchema(schema)).toThrow(
				new RegExp(`field '${name}' has Arrow type .*${String(field.type).slice(0, 4)}`)
			);
		}
	});

	it('gives each type a distinct non-zero code and refuses malformed schemas', () => {
		const codes = COLUMN_TYPES.map(typeCode);
		expect(new Set(codes).size).toBe(COLUMN_TYPES.length);
		expect(codes.every((c) => c > 0 && typeOfCode(c) !== undefined)).toBe(true);
		expect(typeOfCode(0)).toBeUndefined();
		expect(() => checkFrameSchema({ names: ['x'], types: ['int128' as never] })).toThrow(
			"schema column 0 'x' has unknown type 'int128'"
		);
	});
});
