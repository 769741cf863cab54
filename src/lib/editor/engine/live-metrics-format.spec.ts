import { describe, expect, it } from 'vitest';
import {
	edgeLabel,
	formatBytesPerSec,
	LEVEL_STYLES,
	LEVELS,
	sortRows
} from './live-metrics-format';

describe('sortRows', () => {
	const rows = [
		{ name: 'b', rate: 2, hit: null as number | null },
		{ name: 'a10', rate: 10, hit: 0.5 },
		{ name: 'a2', rate: 2, hit: 0.9 }
	];

	it('sorts numbers numerically both ways, keeping ties in their order', () => {
		expect(sortRows(rows, 'rate', 'asc').map((r) => r.name)).toEqual(['b', 'a2', 'a10']);
		expect(sortRows(rows, 'rate', 'desc').map((r) => r.name)).toEqual(['a10', 'b', 'a2']);
	});

	it('sorts text with numbers in it naturally and puts nulls last', () => {
		expect(sortRows(rows, 'name', 'asc').map((r) => r.name)).toEqual(['a2', 'a10', 'b']);
		expect(sortRows(rows, 'hit', 'desc').map((r) => r.name)).toEqual(['a2', 'a10', 'b']);
		expect(sortRows(rows, 'hit', 'asc').map((r) => r.name)).toEqual(['a10', 'a2', 'b']);
	});

	it('leaves the input as it was', () => {
		sortRows(rows, 'rate', 'desc');
		expect(rows[0].name).toBe('b');
	});
});

describe('encoding', () => {
	it('gives every level its own hue and its own dash pattern', () => {
		expect(new Set(LEVELS.map((l) => LEVEL_STYLES[l].colour)).size).toBe(3);
		expect(new Set(LEVELS.map((l) => LEVEL_STYLES[l].dash)).size).toBe(3);
	});

	it('labels an edge with rows/s, fill and the level word', () => {
		expect(edgeLabel({ rowsPerSec: 12_340, fill: 0.456, level: 'HIGH' })).toBe(
			'12.3K rows/s · 46% full · HIGH'
		);
		expect(formatBytesPerSec(1_500_000)).toBe('1.5 MB/s');
	});
});
