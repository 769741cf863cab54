// Sink results as text: a table sink as an aligned table (at most PRINTED_ROWS rows), statistics
// as one row per column, a collect sink as its row count, anything else as JSON.
import type { ColumnType } from '../lib/runtime/contracts';
import type { Cell, TableResult } from '../lib/nodes/table';
import { formatCount, formatNumber, textTable, type TextColumn } from './text-table';

/** Rows of a table sink printed; the rest are counted. */
export const PRINTED_ROWS = 20;

const DAY_MS = 86_400_000;
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
	if (typeof value === 'number') {
		if (type === 'timestamp') return new Date(value).toISOString().replace('.000Z', 'Z');
		if (type === 'date32') return new Date(value * DAY_MS).toISOString().slice(0, 10);
		return formatNumber(value);
	}
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

function valueText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return formatNumber(value);
	if (typeof value === 'bigint') return value.toLocaleString('en-US');
	if (typeof value === 'string' || typeof value === 'boolean') return String(value);
	return JSON.stringify(value, jsonReplacer);
}

/** A list of per-column records (statistics) as one table row per record. */
function recordLines(records: Obj[]): string[] {
	const keys: string[] = [];
	for (const r of records) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
	const columns: TextColumn[] = keys.map((k) => ({
		header: k,
		right: records.some((r) => typeof r[k] === 'number')
	}));
	return textTable(
		columns,
		records.map((r) => keys.map((k) => valueText(r[k])))
	);
}

/** Records of a statistics result: its `columns` list (or `rows`) when those are objects. */
function statisticsRecords(result: Obj): Obj[] | null {
	for (const key of ['columns', 'stats', 'rows']) {
		const list = result[key];
		if (Array.isArray(list) && list.length > 0 && list.every(isObj)) return list;
	}
	return null;
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
	if (isObj(result) && result.kind === 'statistics') {
		const records = statisticsRecords(result);
		if (records) return [head, ...recordLines(records)];
	}
	if (isObj(result) && result.kind === 'collect') return [head];
	if (result === undefined) return [`${title}: no result`];
	return [head, JSON.stringify(result, jsonReplacer, 2)];
}
