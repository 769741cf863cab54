// Random well-typed expressions over random columns with nulls, evaluated column-at-a-time by
// the module and row-at-a-time by the tiny reference evaluator below; the results must agree.
// The generator builds each expression's source text and its reference meaning together, so the
// reference does not share the module's parser, checker or kernels. Seeded: a failure prints the
// seed and path to replay it, and fast-check shrinks it to a small expression.

import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../runtime/contracts';
import { checkExpression, evaluate, evaluateFilter } from './evaluate';
import { columnCells, makeBatch, makeColumn } from './testing';

type V = number | boolean | string | null;
type Row = Record<string, V>;
type Ty = 'int' | 'float' | 'bool' | 'string' | 'date' | 'timestamp';
interface G {
	src: string;
	type: Ty;
	ev: (row: Row) => V;
}

const SEED = 20240131;
const DAY = 86_400_000;

const COLUMNS: [string, ColumnType, Ty][] = [
	['i1', 'int32', 'int'],
	['i2', 'int16', 'int'],
	['g', 'int64', 'int'],
	['f1', 'float64', 'float'],
	['b1', 'bool', 'bool'],
	['b2', 'bool', 'bool'],
	['s1', 'utf8', 'string'],
	['s2', 'utf8', 'string'],
	['d1', 'date32', 'date'],
	['t1', 'timestamp', 'timestamp']
];
const FIELDS = COLUMNS.map(([name, type]) => ({ name, type }));
const STRINGS = [
	'',
	'a',
	'A',
	'ab',
	'Ab',
	'BA',
	' é ',
	'ÉÜ',
	'x y',
	'ß',
	'😀',
	'  pad\t',
	'\u00a0nb'
];
const FLOATS = [0, -0, 0.5, -1.25, 3, 10.75, 1e3, -7, 2.5, NaN, Infinity];

// ---- reference semantics, one row at a time -------------------------------------------------

const nul = (...xs: V[]) => xs.some((x) => x === null);
const lift2 = (f: (a: never, b: never) => V) => (a: V, b: V) =>
	nul(a, b) ? null : f(a as never, b as never);
const bytes = (s: string) => Buffer.from(s, 'utf8');
const cmp = (a: V, b: V): number =>
	typeof a === 'string'
		? Buffer.compare(bytes(a), bytes(b as string))
		: (a as number) < (b as number)
			? -1
			: (a as number) > (b as number)
				? 1
				: (a as number) === (b as number)
					? 0
					: NaN;
const COMPARE: Record<string, (c: number) => boolean> = {
	'==': (c) => c === 0,
	'!=': (c) => c !== 0,
	'<': (c) => c < 0,
	'<=': (c) => c <= 0,
	'>': (c) => c > 0,
	'>=': (c) => c >= 0
};
function refRound(x: number, d: number): number {
	const f = 10 ** Math.abs(d);
	const m = Math.abs(x);
	const r = d >= 0 ? Math.round(m * f) / f : Math.round(m / f) * f;
	return Math.sign(x) * r;
}
function text(v: V, type: Ty): string {
	if (type === 'date') return new Date((v as number) * DAY).toISOString().slice(0, 10);
	if (type === 'timestamp') return new Date(v as number).toISOString();
	return String(v);
}
const codePoints = (s: string) => [...s];
const asMs = (g: G): G =>
	g.type === 'date'
		? {
				...g,
				type: 'timestamp',
				ev: (r) => {
					const v = g.ev(r);
					return v === null ? null : (v as number) * DAY;
				}
			}
		: g;

// ---- the generator --------------------------------------------------------------------------

const depth = { maxDepth: 3, depthIdentifier: 'expr', depthSize: 'small' as const };
const quote = (s: string) =>
	"'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\t/g, '\\t') + "'";
const col = (name: string, type: Ty): G => ({ src: name, type, ev: (r) => r[name] });
const lit = (src: string, type: Ty, value: V): G => ({ src, type, ev: () => value });
const call = (name: string, type: Ty, args: G[], f: (...v: V[]) => V, nullable = true): G => ({
	src: `${name}(${args.map((a) => a.src).join(', ')})`,
	type,
	ev: (r) => {
		const vs = args.map((a) => a.ev(r));
		return nullable && nul(...vs) ? null : f(...vs);
	}
});
const unifyNum = (a: G, b: G): Ty => (a.type === 'float' || b.type === 'float' ? 'float' : 'int');

const exprs = fc.letrec<Record<Ty | 'num' | 'temporal' | 'any', G>>((tie) => {
	const t = (k: Ty | 'num' | 'temporal' | 'any') => tie(k) as fc.Arbitrary<G>;
	const ifOf = (ty: Ty | 'num') =>
		fc.tuple(t('bool'), t(ty), t(ty)).map(([c, a, b]): G => {
			const type = ty === 'num' ? unifyNum(a, b) : a.type;
			return {
				src: `if(${c.src}, ${a.src}, ${b.src})`,
				type,
				ev: (r) => (c.ev(r) === true ? a.ev(r) : b.ev(r))
			};
		});
	const coalesceOf = (ty: Ty) =>
		fc
			.array(t(ty), { minLength: 1, maxLength: 3 })
			.map((args) =>
				call('coalesce', ty, args, (...v) => v.find((x) => x !== null) ?? null, false)
			);
	return {
		num: fc.oneof(t('int'), t('float')),
		temporal: fc.oneof(t('date'), t('timestamp')),
		any: fc.oneof(t('int'), t('float'), t('bool'), t('string'), t('date'), t('timestamp')),
		int: fc.oneof(
			depth,
			fc.oneof(
				fc.constantFrom('i1', 'i2', 'g').map((n) => col(n, 'int')),
				fc.integer({ min: -5, max: 5 }).map((v) => lit(v < 0 ? `(${v})` : String(v), 'int', v))
			),
			fc.tuple(t('int'), fc.constantFrom('+', '-', '*', '%'), t('int')).map(([a, op, b]): G => ({
				src: `(${a.src} ${op} ${b.src})`,
				type: 'int',
				ev: (r) =>
					lift2((x: number, y: number) =>
						op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : y === 0 ? null : x % y
					)(a.ev(r), b.ev(r))
			})),
			t('int').map((a): G => ({
				src: `-${a.src}`,
				type: 'int',
				ev: (r) => {
					const v = a.ev(r);
					return v === null ? null : -(v as number);
				}
			})),
			fc
				.tuple(fc.constantFrom('abs', 'floor', 'ceil', 'round'), t('int'))
				.map(([f, a]) =>
					call(f, 'int', [a], (x) =>
						f === 'abs'
							? Math.abs(x as number)
							: f === 'round'
								? refRound(x as number, 0)
								: (x as number)
					)
				),
			fc
				.tuple(t('int'), fc.integer({ min: -2, max: 2 }))
				.map(([a, d]) =>
					call('round', 'int', [a, lit(d < 0 ? `(${d})` : String(d), 'int', d)], (x) =>
						refRound(x as number, d)
					)
				),
			t('string').map((s) => call('length', 'int', [s], (x) => codePoints(x as string).length)),
			fc.tuple(fc.constantFrom('year', 'month', 'day', 'hour'), t('temporal')).map(([f, a]) =>
				call(f, 'int', [a], (x) => {
					const d = new Date(a.type === 'date' ? (x as number) * DAY : (x as number));
					return f === 'year'
						? d.getUTCFullYear()
						: f === 'month'
							? d.getUTCMonth() + 1
							: f === 'day'
								? d.getUTCDate()
								: d.getUTCHours();
				})
			),
			fc
				.tuple(fc.constantFrom('min', 'max'), t('int'), t('int'))
				.map(([f, a, b]) =>
					call(f, 'int', [a, b], (x, y) =>
						(f === 'min' ? Math.min : Math.max)(x as number, y as number)
					)
				),
			ifOf('int'),
			coalesceOf('int')
		),
		float: fc.oneof(
			depth,
			fc.oneof(
				fc.constant(col('f1', 'float')),
				fc
					.constantFrom('0.5', '2.25', '1e3', '1.5e-1', '.75')
					.map((s) => lit(s, 'float', Number(s)))
			),
			fc
				.tuple(t('num'), fc.constantFrom('+', '-', '*', '/', '%'), t('num'))
				.map(([a, op, b]): G => ({
					src: `(${a.src} ${op} ${b.src})`,
					type: op === '/' ? 'float' : unifyNum(a, b),
					ev: (r) =>
						lift2((x: number, y: number) =>
							op === '+'
								? x + y
								: op === '-'
									? x - y
									: op === '*'
										? x * y
										: y === 0
											? null
											: op === '/'
												? x / y
												: x % y
						)(a.ev(r), b.ev(r))
				})),
			fc
				.tuple(fc.constantFrom('sqrt', 'log', 'exp', 'abs', 'floor', 'ceil', 'round'), t('float'))
				.map(([f, a]) =>
					call(f, f === 'sqrt' || f === 'log' || f === 'exp' ? 'float' : a.type, [a], (v) => {
						const x = v as number;
						if (f === 'sqrt') return x < 0 ? null : Math.sqrt(x);
						if (f === 'log') return x <= 0 ? null : Math.log(x);
						if (f === 'exp') return Math.exp(x);
						if (f === 'abs') return Math.abs(x);
						if (f === 'round') return refRound(x, 0);
						return f === 'floor' ? Math.floor(x) : Math.ceil(x);
					})
				),
			fc.tuple(t('num'), t('num')).map(([a, b]) =>
				call('pow', 'float', [a, b], (x, y) => {
					const p = Math.pow(x as number, y as number);
					return Number.isNaN(p) ? null : p;
				})
			),
			fc.tuple(t('float'), t('int')).map(([a, d]) =>
				call(
					'round',
					a.type,
					[
						a,
						{
							...d,
							src: `(${d.src} % 4)`,
							ev: (r) => {
								const v = d.ev(r);
								return v === null ? null : (v as number) % 4;
							}
						}
					],
					(x, y) => refRound(x as number, y as number)
				)
			),
			fc
				.tuple(fc.constantFrom('min', 'max'), t('float'), t('num'))
				.map(([f, a, b]) =>
					call(f, unifyNum(a, b), [a, b], (x, y) =>
						(f === 'min' ? Math.min : Math.max)(x as number, y as number)
					)
				),
			ifOf('num').map((g) => ({
				...g,
				src: `(${g.src} * 1.0)`,
				type: 'float' as Ty,
				ev: (r: Row) => {
					const v = g.ev(r);
					return v === null ? null : (v as number) * 1.0;
				}
			})),
			coalesceOf('float')
		),
		bool: fc.oneof(
			depth,
			fc.oneof(
				fc.constantFrom('b1', 'b2').map((n) => col(n, 'bool')),
				fc.constantFrom(true, false).map((v) => lit(String(v), 'bool', v))
			),
			fc
				.tuple(t('num'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), t('num'))
				.map(([a, op, b]) => compare(a, op, b)),
			fc
				.tuple(
					t('string'),
					fc.constantFrom('==', '!=', '<', '<=', '>', '>='),
					fc.oneof(
						t('string'),
						fc.constantFrom(...STRINGS).map((s) => lit(quote(s), 'string', s))
					)
				)
				.map(([a, op, b]) => compare(a, op, b)),
			fc
				.tuple(t('temporal'), fc.constantFrom('==', '<', '>='), t('temporal'))
				.map(([a, op, b]) => compare(asMs(a), op, asMs(b), `(${a.src} ${op} ${b.src})`)),
			fc
				.tuple(
					fc.constantFrom('<', '>=', '=='),
					fc.constantFrom('1970-01-01', '2000-02-29', '2024-12-31')
				)
				.map(([op, day]) =>
					compare(col('d1', 'date'), op, lit(`"${day}"`, 'date', Date.parse(day) / DAY))
				),
			// Column against a literal, either way round: the scalar fast paths, with ties.
			fc
				.tuple(
					fc.constantFrom('i2', 'f1', 'g'),
					fc.constantFrom('==', '!=', '<', '<=', '>', '>='),
					fc.integer({ min: -3, max: 3 }),
					fc.boolean()
				)
				.map(([name, op, v, flip]) => {
					const [c, l] = [col(name, 'int'), lit(`(${v})`, 'int', v)];
					return flip ? compare(l, op, c) : compare(c, op, l);
				}),
			fc
				.tuple(t('bool'), fc.constantFrom('==', '!='), t('bool'))
				.map(([a, op, b]) => compare(a, op, b)),
			{
				weight: 6,
				arbitrary: fc
					.tuple(t('bool'), fc.constantFrom('and', '&&', 'or', '||'), t('bool'))
					.map(([a, op, b]): G => ({
						src: `(${a.src} ${op} ${b.src})`,
						type: 'bool',
						ev: (r) => {
							const [x, y] = [a.ev(r), b.ev(r)];
							if (op === 'and' || op === '&&')
								return x === false || y === false ? false : x === null || y === null ? null : true;
							return x === true || y === true ? true : x === null || y === null ? null : false;
						}
					}))
			},
			{
				weight: 2,
				arbitrary: fc.tuple(fc.constantFrom('not ', '!'), t('bool')).map(([op, a]): G => ({
					src: `${op}(${a.src})`,
					type: 'bool',
					ev: (r) => {
						const v = a.ev(r);
						return v === null ? null : !v;
					}
				}))
			},
			fc.tuple(t('any'), fc.boolean()).map(([a, neg]): G => ({
				src: `(${a.src} is ${neg ? 'not ' : ''}null)`,
				type: 'bool',
				ev: (r) => (a.ev(r) === null) !== neg
			})),
			fc
				.tuple(
					t('int'),
					fc.uniqueArray(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 4 }),
					fc.boolean()
				)
				.map(([a, items, neg]): G => ({
					src: `(${a.src} ${neg ? 'not in' : 'in'} (${items.join(', ')}))`,
					type: 'bool',
					ev: (r) => {
						const v = a.ev(r);
						return v === null ? null : items.includes(v as number) !== neg;
					}
				})),
			fc
				.tuple(
					fc.constantFrom('contains', 'starts_with', 'ends_with'),
					t('string'),
					fc.oneof(
						t('string'),
						fc.constantFrom('', 'a', 'b', 'é', 'pad').map((s) => lit(quote(s), 'string', s))
					)
				)
				.map(([f, s, p]) =>
					call(f, 'bool', [s, p], (x, y) => {
						const [h, n] = [x as string, y as string];
						return f === 'contains'
							? h.includes(n)
							: f === 'starts_with'
								? h.startsWith(n)
								: h.endsWith(n);
					})
				),
			ifOf('bool'),
			coalesceOf('bool')
		),
		string: fc.oneof(
			depth,
			fc.oneof(
				fc.constantFrom('s1', 's2').map((n) => col(n, 'string')),
				fc.constantFrom(...STRINGS).map((s) => lit(quote(s), 'string', s))
			),
			fc
				.tuple(fc.constantFrom('lower', 'upper', 'trim'), t('string'))
				.map(([f, s]) =>
					call(f, 'string', [s], (x) =>
						f === 'lower'
							? (x as string).toLowerCase()
							: f === 'upper'
								? (x as string).toUpperCase()
								: (x as string).trim()
					)
				),
			fc.tuple(t('string'), t('int'), t('int')).map(([s, a, b]) =>
				call('substring', 'string', [s, a, b], (x, st, ln) => {
					const from = Math.max(st as number, 1);
					const to = (st as number) + (ln as number);
					return to <= from
						? ''
						: codePoints(x as string)
								.slice(from - 1, to - 1)
								.join('');
				})
			),
			fc
				.array(t('any'), { minLength: 1, maxLength: 3 })
				.map((args) =>
					call('concat', 'string', args, (...v) => v.map((x, i) => text(x, args[i].type)).join(''))
				),
			ifOf('string'),
			coalesceOf('string')
		),
		date: fc.oneof(
			depth,
			fc.constant(col('d1', 'date')),
			fc.constantFrom('1999-12-31', '2024-02-29').map((day) => {
				const days = Date.parse(day) / DAY;
				return { src: `coalesce(d1, "${day}")`, type: 'date' as Ty, ev: (r: Row) => r.d1 ?? days };
			}),
			fc
				.tuple(fc.constantFrom('min', 'max'), t('date'), t('date'))
				.map(([f, a, b]) =>
					call(f, 'date', [a, b], (x, y) =>
						(f === 'min' ? Math.min : Math.max)(x as number, y as number)
					)
				),
			ifOf('date')
		),
		timestamp: fc.oneof(
			depth,
			fc.constant(col('t1', 'timestamp')),
			fc.tuple(t('date'), t('timestamp')).map(([a, b]) => {
				const [x, y] = [asMs(a), b];
				return (
					call('coalesce', 'timestamp', [a, b], () => null, false) && {
						src: `coalesce(${a.src}, ${b.src})`,
						type: 'timestamp' as Ty,
						ev: (r: Row) => x.ev(r) ?? y.ev(r)
					}
				);
			}),
			fc.tuple(fc.constantFrom('min', 'max'), t('timestamp'), t('temporal')).map(([f, a, b]) => {
				const y = asMs(b);
				return {
					src: `${f}(${a.src}, ${b.src})`,
					type: 'timestamp' as Ty,
					ev: (r: Row) =>
						lift2((p: number, q: number) => (f === 'min' ? Math.min(p, q) : Math.max(p, q)))(
							a.ev(r),
							y.ev(r)
						)
				};
			}),
			ifOf('timestamp')
		)
	};
});

function compare(a: G, op: string, b: G, src = `(${a.src} ${op} ${b.src})`): G {
	return {
		src,
		type: 'bool',
		ev: (r) => lift2((x: never, y: never) => COMPARE[op](cmp(x, y)))(a.ev(r), b.ev(r))
	};
}

// ---- data -----------------------------------------------------------------------------------

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
const rowArb = fc.record({
	i1: maybe(fc.integer({ min: -50, max: 50 })),
	i2: maybe(fc.integer({ min: -3, max: 3 })),
	g: maybe(fc.integer({ min: -50, max: 50 })),
	f1: maybe(fc.constantFrom(...FLOATS)),
	b1: maybe(fc.boolean()),
	b2: maybe(fc.boolean()),
	s1: maybe(fc.constantFrom(...STRINGS)),
	s2: maybe(fc.constantFrom(...STRINGS)),
	d1: maybe(fc.integer({ min: -1000, max: 20000 })),
	t1: maybe(fc.integer({ min: -1e11, max: 2e12 }))
});

function batchOfRows(rows: Row[], shared: boolean) {
	return makeBatch(
		...COLUMNS.map(([name, type]) =>
			makeColumn(
				type,
				rows.map((r) => r[name]),
				shared
			)
		)
	);
}

function same(got: V, want: V, type: Ty): boolean {
	if (got === null || want === null) return got === want;
	if (typeof want === 'number') {
		// int64 output is exact below 2^63; the reference has no such limit.
		if (type === 'int' && Math.abs(want) >= 2 ** 62) return true;
		return got === want || (Number.isNaN(got as number) && Number.isNaN(want));
	}
	return got === want;
}

describe('evaluate agrees with a row-at-a-time reference evaluator', () => {
	it(`on 1000 random expressions over random columns with nulls (seed ${SEED})`, () => {
		// Bools twice as often: they are what filters run, and where three-valued logic lives.
		const ty = fc.constantFrom<Ty>('int', 'float', 'bool', 'bool', 'string', 'date', 'timestamp');
		const exprArb = ty.chain((k) => exprs[k]);
		fc.assert(
			fc.property(
				exprArb,
				fc.array(rowArb, { maxLength: 40, size: 'max' }),
				fc.boolean(),
				(g, rows, shared) => {
					const checked = checkExpression(g.src, FIELDS);
					if (!checked.ok)
						throw new Error(`${g.src}: ${checked.errors.map((e) => e.message).join('; ')}`);
					expect(checked.type).toBe(g.type);
					// Two batches through one program: a prefix, then all rows (scratch reuse across sizes).
					for (const part of [rows.slice(0, rows.length >> 1), rows]) {
						const batch = batchOfRows(part, shared);
						const got = columnCells(evaluate(checked.program, batch)).map((v) =>
							typeof v === 'bigint' ? Number(v) : v
						);
						const want = part.map((r) => g.ev(r));
						const bad = got.findIndex((v, i) => !same(v, want[i], g.type));
						if (bad >= 0) {
							throw new Error(
								`${g.src}\nrow ${bad}: ${JSON.stringify(part[bad])}\ngot ${String(got[bad])}, want ${String(want[bad])}`
							);
						}
						if (g.type === 'bool') {
							const { selection, count } = evaluateFilter(checked.program, batch);
							const kept = want.flatMap((v, i) => (v === true ? [i] : []));
							expect(Array.from(selection.subarray(0, count))).toEqual(kept);
						}
					}
				}
			),
			{ seed: SEED, numRuns: 1000 }
		);
	});
});
