import { describe, expect, it } from 'vitest';
import type { StatisticsResult } from '../lib/nodes/statistics';
import type { TableResult } from '../lib/nodes/table';
import { cellText, PRINTED_ROWS, renderResult, resultRowCount } from './results';
import { formatNumber, MAX_CELL_CHARS, textTable } from './text-table';

function table(total: number, kept = total): TableResult {
	return {
		kind: 'table',
		schema: { names: ['id', 'name', 'score'], types: ['int32', 'utf8', 'float64'] },
		rows: Array.from({ length: kept }, (_, i) => [i, i % 2 ? null : `n${i}`, i / 3]),
		total
	};
}

describe('a table sink as text', () => {
	it('prints a header with names and types, then at most 20 rows and the rest counted', () => {
		const lines = renderResult('Preview', table(12_345, 100));
		expect(lines[0]).toBe('Preview: 12,345 rows');
		expect(lines[1].split(/\s{2,}/)).toEqual(['id (int32)', 'name (utf8)', 'score (float64)']);
		expect(lines).toHaveLength(3 + PRINTED_ROWS + 1);
		expect(lines.at(-1)).toBe('… 12,325 more rows (total 12,345)');
	});

	it('prints every row of a short table and says how many', () => {
		const lines = renderResult('T', table(3));
		expect(lines.slice(3, 6).map((l) => l.trim().split(/\s+/))).toEqual([
			['0', 'n0', '0'],
			['1', 'null', '0.3333333'],
			['2', 'n2', '0.6666667']
		]);
		expect(lines.at(-1)).toBe('(3 rows)');
	});

	it('aligns numbers to the right and text to the left', () => {
		const lines = textTable(
			[
				{ header: 'n', right: true },
				{ header: 'word', right: false }
			],
			[
				['5', 'a'],
				['12345', 'bcd']
			]
		);
		expect(lines).toEqual(['    n  word', '─────  ────', '    5  a', '12345  bcd']);
	});

	it('cuts a long cell to MAX_CELL_CHARS with an ellipsis and keeps it on one line', () => {
		const [, , row] = textTable([{ header: 'x', right: false }], [['a\nb' + 'c'.repeat(100)]]);
		expect(row).toHaveLength(MAX_CELL_CHARS);
		expect(row.startsWith('a b')).toBe(true);
		expect(row.endsWith('…')).toBe(true);
	});

	it('shows dates, timestamps and floats as people read them', () => {
		expect(cellText(19_723, 'date32')).toBe('2024-01-01');
		expect(cellText(Date.UTC(2024, 0, 2, 3, 4, 5), 'timestamp')).toBe('2024-01-02T03:04:05Z');
		expect(cellText(1234567, 'int32')).toBe('1234567');
		expect(cellText(true, 'bool')).toBe('true');
		expect(formatNumber(0.1 + 0.2)).toBe('0.3');
		expect(formatNumber(1e-9)).toBe('1.0000e-9');
	});
});

describe('other sinks as text', () => {
	it('prints statistics as one row per column, times as times and estimates marked', () => {
		const base = { nonFinite: 0, histogram: null, topError: 0 };
		const stats: StatisticsResult = {
			kind: 'statistics',
			rows: 10,
			columns: [
				{
					...base,
					name: 'at',
					type: 'timestamp',
					count: 10,
					nulls: 0,
					min: Date.UTC(2024, 0, 1),
					max: Date.UTC(2024, 0, 3),
					mean: Date.UTC(2024, 0, 2),
					distinct: 10,
					distinctExact: true,
					top: null
				},
				{
					...base,
					name: 'city',
					type: 'utf8',
					count: 8,
					nulls: 2,
					min: null,
					max: null,
					mean: null,
					distinct: 4000,
					distinctExact: false,
					top: [
						{ value: 'Oslo', count: 5 },
						{ value: 'Rome', count: 2 },
						{ value: 'Lima', count: 1 },
						{ value: 'Baku', count: 1 }
					]
				}
			]
		};
		const lines = renderResult('Stats', stats);
		expect(lines[0]).toBe('Stats: 10 rows');
		expect(lines[1].split(/\s{2,}/)).toEqual([
			'column',
			'type',
			'count',
			'nulls',
			'min',
			'max',
			'mean',
			'distinct',
			'most frequent'
		]);
		expect(lines).toHaveLength(5);
		expect(lines[3].trim().split(/\s{2,}/)).toEqual([
			'at',
			'timestamp',
			'10',
			'0',
			'2024-01-01T00:00:00Z',
			'2024-01-03T00:00:00Z',
			'2024-01-02T00:00:00Z',
			'10'
		]);
		expect(lines[4].trim().split(/\s{2,}/)).toEqual([
			'city',
			'utf8',
			'8',
			'2',
			'≈4,000',
			'Oslo (5), Rome (2), Lima (1)'
		]);
	});

	it('prints a collect sink as its row count and anything else as JSON', () => {
		const collected = { kind: 'collect', rows: 7, ipc: new Uint8Array(8) };
		expect(renderResult('C', collected)).toEqual(['C: 7 rows']);
		expect(renderResult('X', { kind: 'other', n: 1n })).toEqual([
			'X',
			JSON.stringify({ kind: 'other', n: 1 }, null, 2)
		]);
		expect(renderResult('N', undefined)).toEqual(['N: no result']);
	});

	it('finds the row count of the result shapes sinks return', () => {
		expect(resultRowCount(table(5))).toBe(5);
		expect(resultRowCount({ rowCount: 3 })).toBe(3);
		expect(resultRowCount({ rows: [[1], [2]] })).toBe(2);
		expect(resultRowCount({ table: { numRows: 4 } })).toBe(4);
		expect(resultRowCount({ kind: 'chart' })).toBeNull();
		expect(resultRowCount(null)).toBeNull();
	});
});
