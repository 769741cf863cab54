// How live figures read on the canvas and in the metrics panel: the backpressure encoding (a
// colour-blind-safe hue AND a dash pattern per level, plus the level word), number formats,
// and the sort used by the panel's tables. Pure.
import type { BackpressureLevel } from '../../runtime/metrics/rates';

export interface LevelStyle {
	/** Okabe-Ito hues: told apart by most colour-blind readers, and never the only cue. */
	colour: string;
	/** SVG stroke-dasharray: solid, long dashes, short dense dashes. */
	dash: string;
	/** What the legend says about the level. */
	meaning: string;
}

export const LEVEL_STYLES: Record<BackpressureLevel, LevelStyle> = {
	OK: { colour: '#009e73', dash: 'none', meaning: 'backpressure ≤ 10% of the time' },
	LOW: { colour: '#e69f00', dash: '10 5', meaning: '10–50%: the producer waits at times' },
	HIGH: { colour: '#d55e00', dash: '3 3', meaning: 'above 50%: the consumer holds it back' }
};

export const LEVELS: BackpressureLevel[] = ['OK', 'LOW', 'HIGH'];

const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** "12.3K rows/s". */
export function formatRowsPerSec(n: number): string {
	return `${COMPACT.format(Math.round(n))} rows/s`;
}

/** "1.5 MB/s", "830 kB/s" (decimal units, as network figures are read). */
export function formatBytesPerSec(n: number): string {
	return `${formatBytes(n)}/s`;
}

export function formatBytes(n: number): string {
	const abs = Math.abs(n);
	if (abs >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
	if (abs >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
	if (abs >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
	return `${Math.round(n)} B`;
}

/** A 0..1 share as a whole percent: "45%". */
export function formatPercent(x: number): string {
	return `${Math.round(x * 100)}%`;
}

/** ms per second, whole: "640". */
export function formatMs(x: number): string {
	return `${Math.round(x)}`;
}

/** The label of a live edge: "12.3K rows/s · 45% full · HIGH". */
export function edgeLabel(e: {
	rowsPerSec: number;
	fill: number;
	level: BackpressureLevel;
}): string {
	return `${formatRowsPerSec(e.rowsPerSec)} · ${formatPercent(e.fill)} full · ${e.level}`;
}

export type SortDirection = 'asc' | 'desc';

/** A column of the panel's tables: which field, its header, how it reads. */
export interface Column<R> {
	key: keyof R & string;
	label: string;
	format?: (value: R[keyof R], row: R) => string;
	numeric?: boolean;
}

/**
 * `rows` sorted by `key` (numbers numerically, anything else as text, nulls last either way);
 * a stable copy, ties kept in their original order.
 */
export function sortRows<T>(rows: readonly T[], key: keyof T, direction: SortDirection): T[] {
	const sign = direction === 'asc' ? 1 : -1;
	return rows
		.map((row, i) => ({ row, i }))
		.sort((a, b) => {
			const x = a.row[key];
			const y = b.row[key];
			if (x === y) return a.i - b.i;
			if (x === null || x === undefined) return 1;
			if (y === null || y === undefined) return -1;
			const c =
				typeof x === 'number' && typeof y === 'number'
					? x - y
					: String(x).localeCompare(String(y), 'en', { numeric: true });
			return c === 0 ? a.i - b.i : c * sign;
		})
		.map((r) => r.row);
}
