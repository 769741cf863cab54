import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../runtime/contracts';
import { checkExpression } from './evaluate';
import { exprMessages as msg } from './messages';
import type { ExprField } from './types';

const FIELDS: ExprField[] = [
	{ name: 'amount', type: 'float64' },
	{ name: 'qty', type: 'int32' },
	{ name: 'big', type: 'int64' },
	{ name: 'region', type: 'utf8' },
	{ name: 'ok', type: 'bool' },
	{ name: 'day', type: 'date32' },
	{ name: 'at', type: 'timestamp' },
	{ name: 'unit price', type: 'float32' }
];

function typeOf(source: string, fields = FIELDS) {
	const r = checkExpression(source, fields);
	if (!r.ok) throw new Error(`${source}: ${r.errors.map((e) => e.message).join('; ')}`);
	return r.type;
}

function errors(source: string, fields = FIELDS) {
	const r = checkExpression(source, fields);
	if (r.ok) throw new Error(`${source} checked as ${r.type}`);
	return r.errors;
}

describe('checkExpression: types', () => {
	it('maps column types to expression types', () => {
		const cases: [string, string][] = [
			['amount', 'float'],
			['qty', 'int'],
			['big', 'int'],
			['region', 'string'],
			['ok', 'bool'],
			['day', 'date'],
			['at', 'timestamp'],
			['`unit price`', 'float']
		];
		for (const [source, type] of cases) expect(typeOf(source)).toBe(type);
	});
	it('keeps int op int as int, except division, and promotes mixes to float', () => {
		expect(typeOf('qty + big * 2 - qty % 3')).toBe('int');
		expect(typeOf('qty / 2')).toBe('float');
		expect(typeOf('qty + 0.5')).toBe('float');
		expect(typeOf('qty * amount')).toBe('float');
		expect(typeOf('-qty')).toBe('int');
	});
	it('types functions by their arguments', () => {
		expect(typeOf('abs(qty)')).toBe('int');
		expect(typeOf('round(amount, 2)')).toBe('float');
		expect(typeOf('round(qty)')).toBe('int');
		expect(typeOf('sqrt(qty)')).toBe('float');
		expect(typeOf('if(ok, qty, amount)')).toBe('float');
		expect(typeOf('coalesce(qty, big, 0)')).toBe('int');
		expect(typeOf('coalesce(day, at)')).toBe('timestamp');
		expect(typeOf('max(day, "2024-01-01")')).toBe('date');
		expect(typeOf('length(region) > 2')).toBe('bool');
		expect(typeOf('concat(region, qty, ok, day)')).toBe('string');
		expect(typeOf('year(at) + hour(day)')).toBe('int');
		expect(typeOf('null')).toBe('null');
		expect(typeOf('if(ok, null, null)')).toBe('null');
		expect(typeOf('if(ok, null, region)')).toBe('string');
	});
	it('chooses the output column type: int64 for ints, the column type for a bare reference', () => {
		const out = (source: string): ColumnType | undefined => {
			const r = checkExpression(source, FIELDS);
			return r.ok ? r.outputColumnType : undefined;
		};
		expect(out('qty + 1')).toBe('int64');
		expect(out('qty')).toBe('int32');
		expect(out('`unit price`')).toBe('float32');
		expect(out('amount * 2')).toBe('float64');
		expect(out('region')).toBe('utf8');
		expect(out('coalesce(day, "2024-01-01")')).toBe('date32');
		expect(out('at')).toBe('timestamp');
		expect(out('null')).toBe('bool');
	});
	it('allows comparing a date column with a date literal, and dates with timestamps', () => {
		expect(typeOf('day >= "2024-01-31"')).toBe('bool');
		expect(typeOf('"2024-01-31" < day')).toBe('bool');
		expect(typeOf('at < "2024-01-31T10:00:00Z"')).toBe('bool');
		expect(typeOf('day < "2024-01-31 10:00"')).toBe('bool');
		expect(typeOf('day == at')).toBe('bool');
		expect(typeOf('day in ("2024-01-01", "2024-02-01")')).toBe('bool');
	});
	it('lists the referenced columns once each, in order of use', () => {
		const r = checkExpression('qty * `unit price` + qty - amount', FIELDS);
		expect(r.ok && r.columns).toEqual(['qty', 'unit price', 'amount']);
	});
});

describe('checkExpression: errors', () => {
	it('names an unknown column and suggests the closest one, underlining it', () => {
		expect(errors('amout > 100')).toEqual([
			{ message: msg.unknownColumn('amout', 'amount'), start: 0, end: 5 }
		]);
		expect(errors('Amount > 1')[0].message).toBe(msg.unknownColumn('Amount', 'amount'));
		expect(errors('zzzzzz > 1')[0].message).toBe(msg.unknownColumn('zzzzzz'));
	});
	it('names an unknown function and the closest known name', () => {
		expect(errors('lenght(region)')).toEqual([
			{ message: msg.unknownFunction('lenght', 'length'), start: 0, end: 6 }
		]);
		expect(errors('uper(region)')[0].message).toContain("'upper'");
	});
	it('reports every independent error, not just the first', () => {
		const found = errors('amout > 1 and regoin == "EU"');
		expect(found.map((e) => e.start)).toEqual([0, 14]);
	});
	it('refuses + on strings and suggests concat, at the operator', () => {
		expect(errors('region + "x"')).toEqual([{ message: msg.stringPlus(), start: 7, end: 8 }]);
	});
	it('refuses wrong argument types, naming the function, argument and column', () => {
		expect(errors('lower(amount)')).toEqual([
			{
				message: msg.argumentType('lower', 1, 'a string', "column 'amount'", 'float'),
				start: 6,
				end: 12
			}
		]);
		expect(errors('round(amount, 1.5)')[0].message).toBe(
			msg.argumentType('round', 2, 'an int', "'1.5'", 'float')
		);
		expect(errors('year(qty)')[0].message).toContain('a date or timestamp');
		expect(errors('min(region, "a")')[0].message).toContain('a number or date');
	});
	it('refuses a wrong number of arguments', () => {
		expect(errors('round(amount, 1, 2)')[0].message).toBe(
			msg.arity('round', '1 or 2 arguments', 3)
		);
		expect(errors('if(ok, 1)')[0].message).toBe(msg.arity('if', '3 arguments', 2));
		expect(errors('concat()')[0].message).toBe(msg.arity('concat', 'at least 1 argument', 0));
	});
	it('refuses comparing incompatible types, with a hint for quoted numbers', () => {
		expect(errors('amount > "100"')).toEqual([
			{
				message: msg.compareTypes('>', 'float', 'string') + msg.numberInQuotes('100'),
				start: 7,
				end: 8
			}
		]);
		expect(errors('region == 1')[0].message).toBe(msg.compareTypes('==', 'string', 'int'));
		expect(errors('ok < true')[0].message).toBe(msg.orderBools('<'));
	});
	it('refuses comparing with null and points to is null', () => {
		expect(errors('qty == null')).toEqual([{ message: msg.compareNull('=='), start: 7, end: 11 }]);
		expect(errors('qty in (1, null)')[0]).toMatchObject({ message: msg.nullInList(), start: 11 });
	});
	it('refuses a malformed date literal at its position', () => {
		expect(errors('day > "2024-02-30"')).toEqual([
			{ message: msg.badDate('2024-02-30', 'date'), start: 6, end: 18 }
		]);
		expect(errors('at < "yesterday"')[0].message).toBe(msg.badDate('yesterday', 'timestamp'));
	});
	it('refuses non-bool operands of logic and non-numbers in arithmetic', () => {
		expect(errors('qty and ok')[0]).toMatchObject({ start: 0, end: 3 });
		expect(errors('not region')[0].message).toBe(
			msg.operandType('not', 'a bool', "column 'region'", 'string')
		);
		expect(errors('day - 1')[0].message).toBe(
			msg.operandType('-', 'numbers', "column 'day'", 'date')
		);
		expect(errors('if(qty, 1, 2)')[0].message).toContain('a bool');
		expect(errors('if(ok, 1, "a")')[0].message).toBe(msg.mixedTypes('if()', 'int', 'string'));
	});
});
