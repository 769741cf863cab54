// Reference meaning of filter/derive expressions, one row at a time over plain JS values. Uses
// only the engine's parser (for the syntax tree); types, nulls and every operator are computed
// here from the language definition in src/lib/nodes/expr/index.ts (SQL nulls, three-valued
// and/or, code point string order, halves-away-from-zero round, UTC date parts). Slow and
// obvious on purpose: it is what the column-at-a-time kernels are checked against.
import type { Expr } from '../../src/lib/nodes/expr/ast';
import { parseExpression } from '../../src/lib/nodes/expr/parser';
import type { ColumnType } from '../../src/lib/runtime/contracts';

/** A cell: numbers (ints, floats, date days, timestamp ms), strings, bools, or null. */
export type Value = number | string | boolean | null;
export type Row = Record<string, Value>;
export type ExprType = 'int' | 'float' | 'bool' | 'string' | 'date' | 'timestamp' | 'null';

export interface Field {
	name: string;
	type: ColumnType;
}

export interface RefExpr {
	type: ExprType;
	/** Column type a derive writes the value as. */
	columnType: ColumnType;
	at(row: Row): Value;
}

const DAY_MS = 86_400_000;

/** An int64 cell the reference cannot vouch for (beyond 2^53): the case is not comparable. */
export class Unrepresentable extends Error {}

export function exprTypeOfColumn(type: ColumnType): ExprType {
	if (type === 'float32' || type === 'float64') return 'float';
	if (type === 'bool') return 'bool';
	if (type === 'utf8') return 'string';
	if (type === 'date32') return 'date';
	if (type === 'timestamp') return 'timestamp';
	return 'int';
}

function columnTypeOfExpr(type: ExprType): ColumnType {
	const map: Record<ExprType, ColumnType> = {
		int: 'int64',
		float: 'float64',
		string: 'utf8',
		date: 'date32',
		timestamp: 'timestamp',
		bool: 'bool',
		null: 'bool'
	};
	return map[type];
}

/** Parses and types `source` over `fields`; throws with the reason if it is not well typed. */
export function referenceExpression(source: string, fields: readonly Field[]): RefExpr {
	const parsed = parseExpression(source);
	if ('error' in parsed)
		throw new Error(`reference: cannot parse ${source}: ${parsed.error.message}`);
	const node = compile(parsed.ast, fields);
	const columnType =
		parsed.ast.kind === 'column'
			? fields.find((f) => f.name === (parsed.ast as { name: string }).name)!.type
			: columnTypeOfExpr(node.type);
	return { type: node.type, columnType, at: node.at };
}

/** A value as the derive writes it into a column of `type` and a sink reads it back. */
export function stored(value: Value, type: ColumnType): Value {
	if (value === null || typeof value !== 'number') return value;
	if (type === 'float64' || type === 'float32')
		return type === 'float32' ? Math.fround(value) : value;
	if (!Number.isSafeInteger(value) && !Object.is(value, -0))
		throw new Unrepresentable(`${value} does not fit an exact ${type}`);
	return value === 0 ? 0 : value;
}

// ---- typing and evaluation ------------------------------------------------------------------

interface Node {
	type: ExprType;
	at(row: Row): Value;
	/** Text of a string literal (read as a date or timestamp next to one). */
	text?: string;
	nullLiteral?: boolean;
}

const isNum = (t: ExprType) => t === 'int' || t === 'float';
const isTemporal = (t: ExprType) => t === 'date' || t === 'timestamp';

function join(a: ExprType, b: ExprType): ExprType | undefined {
	if (a === 'null' || a === b) return b;
	if (b === 'null') return a;
	if (isNum(a) && isNum(b)) return 'float';
	if (isTemporal(a) && isTemporal(b)) return 'timestamp';
	return undefined;
}

/** The node as a value of `type` (dates widen to timestamps). */
function as(n: Node, type: ExprType): Node {
	if (n.type === 'date' && type === 'timestamp') {
		return {
			type,
			at: (r) => {
				const v = n.at(r);
				return v === null ? null : (v as number) * DAY_MS;
			}
		};
	}
	return n;
}

/** A string literal next to a date or timestamp is read as one. */
function temporalLiteral(n: Node, want: ExprType): Node {
	if (n.text === undefined) return n;
	const text = n.text;
	if (want === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
		const days = Date.parse(text) / DAY_MS;
		return { type: 'date', at: () => days };
	}
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw new Error(`reference: '${text}' is not a date or timestamp`);
	return { type: 'timestamp', at: () => ms };
}

/** Code point order (UTF-8 byte order), as the engine compares strings. */
export function compareText(a: string, b: string): number {
	// UTF-16 order equals code point order unless a surrogate meets a unit above it.
	if (!/[\ud800-\udfff]/.test(a) && !/[\ud800-\udfff]/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
	const x = Array.from(a, (c) => c.codePointAt(0)!);
	const y = Array.from(b, (c) => c.codePointAt(0)!);
	for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
	return x.length - y.length;
}

function compareValues(a: Value, b: Value): number {
	if (typeof a === 'string') return compareText(a, b as string);
	if (typeof a === 'boolean') return a === b ? 0 : NaN;
	const [x, y] = [a as number, b as number];
	return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

const COMPARE: Record<string, (c: number) => boolean> = {
	'==': (c) => c === 0,
	'!=': (c) => !(c === 0),
	'<': (c) => c < 0,
	'<=': (c) => c <= 0,
	'>': (c) => c > 0,
	'>=': (c) => c >= 0
};

function compareNodes(op: string, left: Node, right: Node): Node {
	if (left.nullLiteral || right.nullLiteral) throw new Error('reference: compared with null');
	let [l, r] = [left, right];
	if (isTemporal(l.type) && r.text !== undefined) r = temporalLiteral(r, l.type);
	else if (isTemporal(r.type) && l.text !== undefined) l = temporalLiteral(l, r.type);
	if (l.type === 'null' || r.type === 'null') return { type: 'bool', at: () => null };
	const shared = join(l.type, r.type);
	if (!shared) throw new Error(`reference: cannot compare ${l.type} with ${r.type}`);
	const [a, b, test] = [as(l, shared), as(r, shared), COMPARE[op]];
	return {
		type: 'bool',
		at: (row) => {
			const x = a.at(row);
			if (x === null) return null;
			const y = b.at(row);
			return y === null ? null : test(compareValues(x, y));
		}
	};
}

function and(a: Value, b: Value): Value {
	if (a === false || b === false) return false;
	return a === null || b === null ? null : true;
}
function or(a: Value, b: Value): Value {
	if (a === true || b === true) return true;
	return a === null || b === null ? null : false;
}

function arithmetic(op: string, l: Node, r: Node): Node {
	if (l.type === 'null' && r.type === 'null') return { type: 'null', at: () => null };
	const type: ExprType = op === '/' || l.type === 'float' || r.type === 'float' ? 'float' : 'int';
	const f = (x: number, y: number): number | null => {
		switch (op) {
			case '+':
				return x + y;
			case '-':
				return x - y;
			case '*':
				return x * y;
			case '/':
				return y === 0 ? null : x / y;
			default:
				return y === 0 ? null : x % y;
		}
	};
	return {
		type,
		at: (row) => {
			const x = l.at(row);
			const y = r.at(row);
			return x === null || y === null ? null : f(x as number, y as number);
		}
	};
}

/** Halves away from zero, at `digits` decimals (negative digits round to tens, hundreds...). */
export function roundAway(x: number, digits: number): number {
	const f = 10 ** Math.abs(digits);
	const m = Math.abs(x);
	const r = digits >= 0 ? Math.round(m * f) / f : Math.round(m / f) * f;
	return Math.sign(x) * r;
}

function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}

function text(v: Value, type: ExprType): string {
	if (type === 'date') {
		const d = new Date((v as number) * DAY_MS);
		return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
	}
	if (type === 'timestamp') return new Date(v as number).toISOString();
	return String(v);
}

function datePart(name: string, v: number, type: ExprType): number {
	const d = new Date(type === 'date' ? v * DAY_MS : v);
	if (name === 'year') return d.getUTCFullYear();
	if (name === 'month') return d.getUTCMonth() + 1;
	if (name === 'day') return d.getUTCDate();
	return d.getUTCHours();
}

/** Functions that are null when any argument is: name -> result type and value. */
function strictCall(name: string, args: Node[]): Node {
	const first = args[0].type;
	const cps = (s: string) => Array.from(s);
	const impl: Record<string, [ExprType, (...v: never[]) => Value]> = {
		lower: ['string', (s: string) => s.toLowerCase()],
		upper: ['string', (s: string) => s.toUpperCase()],
		trim: ['string', (s: string) => s.trim()],
		length: ['int', (s: string) => cps(s).length],
		contains: ['bool', (s: string, p: string) => s.includes(p)],
		starts_with: ['bool', (s: string, p: string) => s.startsWith(p)],
		ends_with: ['bool', (s: string, p: string) => s.endsWith(p)],
		substring: [
			'string',
			(s: string, start: number, len: number) => {
				const from = Math.max(start, 1);
				const to = start + len;
				return to <= from
					? ''
					: cps(s)
							.slice(from - 1, to - 1)
							.join('');
			}
		],
		abs: [first === 'null' ? 'int' : first, Math.abs],
		floor: [first === 'null' ? 'int' : first, Math.floor],
		ceil: [first === 'null' ? 'int' : first, Math.ceil],
		round: [first === 'null' ? 'int' : first, (x: number, d?: number) => roundAway(x, d ?? 0)],
		sqrt: ['float', (x: number) => (x < 0 ? null : Math.sqrt(x))],
		log: ['float', (x: number) => (x <= 0 ? null : Math.log(x))],
		exp: ['float', Math.exp],
		pow: [
			'float',
			(x: number, y: number) => {
				const p = Math.pow(x, y);
				return Number.isNaN(p) ? null : p;
			}
		],
		year: ['int', (x: number) => datePart('year', x, first)],
		month: ['int', (x: number) => datePart('month', x, first)],
		day: ['int', (x: number) => datePart('day', x, first)],
		hour: ['int', (x: number) => datePart('hour', x, first)]
	};
	const entry = impl[name];
	if (!entry) throw new Error(`reference: unknown function ${name}`);
	const [type, f] = entry;
	if (args.some((a) => a.type === 'null')) return { type, at: () => null };
	return {
		type,
		at: (row) => {
			const vs: Value[] = [];
			for (const a of args) {
				const v = a.at(row);
				if (v === null) return null;
				vs.push(v);
			}
			return (f as (...v: Value[]) => Value)(...vs);
		}
	};
}

function unify(list: Node[]): { type: ExprType; nodes: Node[] } {
	const temporal = list.find((n) => isTemporal(n.type));
	if (temporal) list = list.map((n) => temporalLiteral(n, temporal.type));
	let type: ExprType = 'null';
	for (const n of list) {
		const next = join(type, n.type);
		if (!next) throw new Error(`reference: cannot mix ${type} and ${n.type}`);
		type = next;
	}
	return { type, nodes: list.map((n) => as(n, type)) };
}

function call(name: string, args: Node[]): Node {
	switch (name) {
		case 'if': {
			const [c] = args;
			const { type, nodes } = unify(args.slice(1));
			const [a, b] = nodes;
			return { type, at: (r) => (c.at(r) === true ? a.at(r) : b.at(r)) };
		}
		case 'coalesce': {
			const { type, nodes } = unify(args);
			return {
				type,
				at: (r) => {
					for (const n of nodes) {
						const v = n.at(r);
						if (v !== null) return v;
					}
					return null;
				}
			};
		}
		case 'min':
		case 'max': {
			const { type, nodes } = unify(args);
			if (type === 'null') return { type, at: () => null };
			const f = name === 'min' ? Math.min : Math.max;
			const [a, b] = nodes;
			return {
				type,
				at: (r) => {
					const x = a.at(r);
					const y = b.at(r);
					return x === null || y === null ? null : f(x as number, y as number);
				}
			};
		}
		case 'concat':
			return {
				type: 'string',
				at: (r) => {
					let out = '';
					for (const a of args) {
						const v = a.at(r);
						if (v === null) return null;
						out += text(v, a.type);
					}
					return out;
				}
			};
		default:
			return strictCall(name, args);
	}
}

function compile(e: Expr, fields: readonly Field[]): Node {
	switch (e.kind) {
		case 'literal': {
			const value = e.value;
			return {
				type: e.type,
				at: () => value,
				text: e.type === 'string' ? (value as string) : undefined,
				nullLiteral: e.type === 'null'
			};
		}
		case 'column': {
			const field = fields.find((f) => f.name === e.name);
			if (!field) throw new Error(`reference: unknown column ${e.name}`);
			const name = e.name;
			return { type: exprTypeOfColumn(field.type), at: (r) => r[name] };
		}
		case 'unary': {
			const x = compile(e.operand, fields);
			if (e.op === '-') {
				if (x.type === 'null') return { type: 'null', at: () => null };
				return {
					type: x.type,
					at: (r) => {
						const v = x.at(r);
						return v === null ? null : -(v as number);
					}
				};
			}
			return {
				type: 'bool',
				at: (r) => {
					const v = x.at(r);
					return v === null ? null : !v;
				}
			};
		}
		case 'binary': {
			const l = compile(e.left, fields);
			const r = compile(e.right, fields);
			if (e.op === 'and' || e.op === 'or') {
				const f = e.op === 'and' ? and : or;
				return { type: 'bool', at: (row) => f(l.at(row), r.at(row)) };
			}
			if (e.op in COMPARE) return compareNodes(e.op, l, r);
			return arithmetic(e.op, l, r);
		}
		case 'in': {
			const x = compile(e.value, fields);
			const tests = e.items.map((item) => compareNodes('==', x, compile(item, fields)));
			return {
				type: 'bool',
				at: (r) => {
					let v: Value = false;
					for (const t of tests) v = or(v, t.at(r));
					return e.negated ? (v === null ? null : !v) : v;
				}
			};
		}
		case 'isNull': {
			const x = compile(e.operand, fields);
			return { type: 'bool', at: (r) => (x.at(r) === null) !== e.negated };
		}
		case 'call':
			return call(
				e.name.toLowerCase(),
				e.args.map((a) => compile(a, fields))
			);
	}
}
