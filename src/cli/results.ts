// Sink results as text: a table sink as an aligned table (at most PRINTED_ROWS rows), statistics
// as one row per column, a collect sink as its row count, anything else as JSON.
import type { ColumnType } from '../lib/runtime/contracts';
import type { StatisticsResult } from '../lib/nodes/statistics';
import type { Cell, TableResult } from '../lib/nodes/table';
import { valueText } from '../lib/runtime/batch/value-text';
import { formatCount, formatNumber, textTable, type TextColumn } from './text-table';

/** Rows of a table sink printed; the rest are counted. */
export const PRINTED_ROWS = 20;

/** Most frequent values shown per statistics row. */
const TOP_VALUES = 3;
const TEMPORAL: ReadonlySet<string> = new Set(['date32', 'timestamp']);
const NUMERIC: ReadonlySet<string> = new Set([
	'int8',
	'int16',
	'int32',
	'int64',
	'uint8',
	'uint16',
	'uint32',
	'uint64',
	'float32',
	'float64'
]);

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTable(result: unknown): result is TableResult {
	return (
		isObj(result) &&
		result.kind === 'table' &&
		Array.isArray(result.rows) &&
		isObj(result.schema) &&
		typeof result.total === 'number'
	);
}

/** Rows a sink saw (table total, collect count, statistics row count), or null if unknown. */
export function resultRowCount(result: unknown): number | null {
	if (!isObj(result)) return null;
	for (const key of ['total', 'rowCount', 'rows', 'count', 'numRows', 'length']) {
		const value = result[key];
		if (typeof value === 'number' && Number.isFinite(value)) return value;
	}
	for (const key of ['rows', 'batches']) {
		const value = result[key];
		if (Array.isArray(value)) return value.length;
	}
	// An Arrow Table-like value.
	if (isObj(result.table) && typeof result.table.numRows === 'number') return result.table.numRows;
	return null;
}

/** One cell of a table sink as text, by its column type. */
export function cellText(value: Cell, type: ColumnType): string {
	if (value === null) return 'null';
	if (type === 'timestamp') return valueText(type, value).replace('.000Z', 'Z');
	if (type === 'date32') return valueText(type, value);
	// 64-bit integers beyond 2^53 come as bigints: printed exact, grouped like other numbers.
	if (typeof value === 'bigint') return value.toLocaleString('en-US');
	if (typeof value === 'number') return formatNumber(value);
	return String(value);
}

function plural(n: number, word: string): string {
	return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

function tableLines(result: TableResult): string[] {
	const { names, types } = result.schema;
	const columns: TextColumn[] = names.map((name, i) => ({
		header: `${name} (${types[i]})`,
		right: NUMERIC.has(types[i])
	}));
	const shown = result.rows.slice(0, PRINTED_ROWS);
	const lines = textTable(
		columns,
		shown.map((row) => row.map((v, i) => cellText(v, types[i])))
	);
	const more = result.total - shown.length;
	lines.push(
		more > 0
			? `… ${formatCount(more)} more rows (total ${formatCount(result.total)})`
			: `(${plural(result.total, 'row')})`
	);
	return lines;
}

/** Statistics as one row per column: counts, range and mean, distinct values, top values. */
function statisticsLines(result: StatisticsResult): string[] {
	const columns: TextColumn[] = [
		{ header: 'column', right: false },
		{ header: 'type', right: false },
		{ header: 'count', right: true },
		{ header: 'nulls', right: true },
		{ header: 'min', right: true },
		{ header: 'max', right: true },
		{ header: 'mean', right: true },
		{ header: 'distinct', right: true },
		{ header: 'most frequent', right: false }
	];
	const bound = (value: number | null, type: ColumnType): string =>
		value === null ? '' : cellText(value, type);
	const rows = result.columns.map((c) => [
		c.name,
		c.type,
		formatCount(c.count),
		formatCount(c.nulls),
		bound(c.min, c.type),
		bound(c.max, c.type),
		// A mean of dates or times is a date or time (to the second); of integers, a fraction.
		c.mean === null
			? ''
			: TEMPORAL.has(c.type)
				? bound(c.type === 'timestamp' ? Math.round(c.mean / 1000) * 1000 : c.mean, c.type)
				: formatNumber(c.mean),
		`${c.distinctExact ? '' : '≈'}${formatCount(c.distinct)}`,
		(c.top ?? [])
			.slice(0, TOP_VALUES)
			.map((t) => `${t.value} (${formatCount(t.count)})`)
			.join(', ')
	]);
	return textTable(columns, rows);
}

function isStatistics(result: unknown): result is StatisticsResult {
	return (
		isObj(result) &&
		result.kind === 'statistics' &&
		Array.isArray(result.columns) &&
		result.columns.every(isObj)
	);
}

export function jsonReplacer(_key: string, value: unknown): unknown {
	if (typeof value === 'bigint')
		return Number.isSafeInteger(Number(value)) ? Number(value) : `${value}`;
	if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
		return Array.from(value as unknown as ArrayLike<number | bigint>, (x) =>
			typeof x === 'bigint' ? Number(x) : x
		);
	}
	if (value instanceof Map) return Object.fromEntries(value);
	return value;
}

/** The block printed for one sink: a title line, then its result. */
export function renderResult(title: string, result: unknown): string[] {
	const count = resultRowCount(result);
	const head = count === null ? title : `${title}: ${plural(count, 'row')}`;
	if (isTable(result)) return [head, ...tableLines(result)];
	if (isStatistics(result)) return [head, ...statisticsLines(result)];
	if (isObj(result) && result.kind === 'collect') return [head];
	if (result === undefined) return [`${title}: no result`];
	return [head, JSON.stringify(result, jsonReplacer, 2)];
}
