// String constants: repeated over a batch once per batch size, and refused (not wrapped) when
// the repetition passes what int32 offsets address.
import { describe, expect, it } from 'vitest';
import type { BatchView, ColumnView } from '../../runtime/contracts';
import { checkExpression, evaluate } from './evaluate';
import { exprMessages } from './messages';

function rows(n: number): BatchView {
	const id: ColumnView = {
		type: 'int32',
		length: n,
		nullCount: 0,
		validity: null,
		offsets: null,
		values: new Int32Array(n)
	};
	return { length: n, columns: [id] };
}

function program(literal: string) {
	const checked = checkExpression(`'${literal}'`, [{ name: 'id', type: 'int32' }]);
	if (!checked.ok) throw new Error(checked.errors[0].message);
	return checked.program;
}

describe('a string constant over a batch', () => {
	it('repeats the literal in every row, with offsets a literal apart', () => {
		const literal = 'héllo, wörld';
		const bytes = new TextEncoder().encode(literal).length;
		const column = evaluate(program(literal), rows(1_001));
		expect(column.offsets![1_001]).toBe(1_001 * bytes);
		const decoder = new TextDecoder();
		for (const r of [0, 1, 500, 1_000]) {
			const text = decoder.decode(
				(column.values as Uint8Array).subarray(column.offsets![r], column.offsets![r + 1])
			);
			expect(text).toBe(literal);
		}
	});

	it('fills the rows once: the next batch of that size gets the same bytes, not a new copy', () => {
		const p = program('x'.repeat(1000));
		const first = evaluate(p, rows(300)).values;
		expect(evaluate(p, rows(300)).values).toBe(first);
	});

	it('refuses a batch whose repeated literal passes 2 GiB instead of wrapping its offsets', () => {
		const mib = 'x'.repeat(1 << 20);
		// 2,048 rows of 1 MiB is 2 GiB: one byte past what int32 offsets address.
		expect(() => evaluate(program(mib), rows(2_048))).toThrow(
			exprMessages.constantTooLarge(1 << 20, 2_048)
		);
	});
});
