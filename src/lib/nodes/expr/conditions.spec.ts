import { describe, expect, it } from 'vitest';
import type { FrameSchema } from '../../runtime/batch/types';
import { columnConditions } from './conditions';

const INPUT: FrameSchema = {
	names: ['n', 'f', 's', 'd', 't', 'b', 'unit price'],
	types: ['int64', 'float32', 'utf8', 'date32', 'timestamp', 'bool', 'float64']
};

describe('the column conditions a filter implies', () => {
	it('takes every comparison with a constant in the top-level and, constants on either side', () => {
		expect(columnConditions('n > 5 and 2.5 >= f && `unit price` == -3', INPUT)).toEqual([
			{ column: 'n', op: '>', value: 5 },
			{ column: 'f', op: '<=', value: 2.5 },
			{ column: 'unit price', op: '=', value: -3 }
		]);
	});

	it('reads in-lists, null tests, text and bools', () => {
		expect(
			columnConditions('s in ("a", "é") and n is null and s is not null and b == true', INPUT)
		).toEqual([
			{ column: 's', op: 'in', values: ['a', 'é'] },
			{ column: 'n', op: 'null' },
			{ column: 's', op: 'not-null' },
			{ column: 'b', op: '=', value: true }
		]);
	});

	it('reads text as a date or a timestamp as the checker does, a date against a time scaled to ms', () => {
		expect(columnConditions('d >= "2024-01-31" and t < "2024-02-01"', INPUT)).toEqual([
			{ column: 'd', op: '>=', value: 19753 },
			{ column: 't', op: '<', value: Date.UTC(2024, 1, 1) }
		]);
		expect(columnConditions('d < "2024-01-31 12:00"', INPUT)).toEqual([
			{ column: 'd', op: '<', value: Date.UTC(2024, 0, 31, 12), scale: 86_400_000 }
		]);
	});

	it('leaves out what it cannot test on one column: or, not, !=, functions, two columns, not in', () => {
		const none = [
			'n > 1 or n < 0',
			'not n > 1',
			'n != 3',
			'abs(n) > 2',
			'n > f',
			'n not in (1, 2)',
			'n + 1 > 2'
		];
		for (const text of none) expect(columnConditions(text, INPUT), text).toEqual([]);
		expect(columnConditions('(n > 1 or n < 0) and s == "x"', INPUT)).toEqual([
			{ column: 's', op: '=', value: 'x' }
		]);
	});
});
